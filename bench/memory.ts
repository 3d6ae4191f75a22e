// (5), run as its own process by bench/run.ts so that its resident size is fwtop's alone:
//   node --expose-gc bench/memory.mjs SAVE_FILE SAMPLES engine|json|dashboard   (bundled by run.ts)
// Feeds one recorded dump, with 2 % of its counters moving each sample, through what fwtop keeps
// per sample: the save parser's memory and the rates' state (`engine`, what --json keeps), the
// same plus each sample written as its NDJSON line (`json`, what --json does), and the dashboard's
// state on top (`dashboard`: the reducer's history and rows). Prints one JSON line: RSS and heap
// after a full GC at sample 100 and at the end, the highest RSS seen, and `own`: the heap this
// benchmark's own copy of the dump takes (measured before the first parse; included in `heap`).
import {readFileSync} from 'node:fs';
import {sampleJson} from '../source/core/json-line.ts';
import {reduce} from '../source/ui/reducer.ts';
import {createState} from '../source/ui/state.ts';
import {moveCounters, ratedSamples} from './counters.ts';

const gc = (globalThis as {gc?: () => void}).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const [file, samplesText, mode = 'dashboard'] = process.argv.slice(2);
const total = Number(samplesText ?? 600);
const snapshot = () => {
	gc();
	const usage = process.memoryUsage();
	return {rss: usage.rss, heap: usage.heapUsed, heapTotal: usage.heapTotal};
};

const empty = snapshot();
const mover = moveCounters(readFileSync(file!, 'utf8'));
mover.next(); // the mover's line array as it stays: some lines rewritten
const own = snapshot().heap - empty.heap;
const samples = ratedSamples(mover);
let state = reduce(createState({intervalMs: 1000}), {type: 'viewport', rows: 45, width: 200, body: 46});
let at100 = snapshot();
let peakRss = 0;
let written = 0;
const started = performance.now();
for (let i = 1; i <= total; i++) {
	const sample = samples.next();
	if (mode === 'dashboard') state = reduce(state, {type: 'sample', sample, now: i * 1000});
	if (mode === 'json') written += sampleJson(sample).length + 1;
	peakRss = Math.max(peakRss, process.memoryUsage.rss());
	if (i === Math.min(100, total)) at100 = snapshot();
}

const end = snapshot();
const line = {mode, samples: total, at100, end, own, peakRss, bytesPerSample: written / total, msPerSample: (performance.now() - started) / total};
process.stdout.write(JSON.stringify(line) + '\n');
