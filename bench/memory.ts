// (5), run as its own process by bench/run.ts so that its resident size is fwtop's alone:
//   node --expose-gc bench/memory.mjs SAVE_FILE SAMPLES engine|dashboard   (bundled by run.ts)
// Feeds one recorded dump, with 2 % of its counters moving each sample, through what fwtop keeps
// per sample: the save parser's memory and the rates' state (`engine`, what --json keeps), and the
// dashboard's state on top (`dashboard`: the reducer's history and rows). Prints one JSON line:
// RSS and heap after a full GC at sample 100 and at the end.
import {readFileSync} from 'node:fs';
import {reduce} from '../source/ui/reducer.ts';
import {createState} from '../source/ui/state.ts';
import {moveCounters, ratedSamples} from './counters.ts';

const gc = (globalThis as {gc?: () => void}).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const [file, samplesText, mode = 'dashboard'] = process.argv.slice(2);
const total = Number(samplesText ?? 600);
const samples = ratedSamples(moveCounters(readFileSync(file!, 'utf8')));
let state = reduce(createState({intervalMs: 1000}), {type: 'viewport', rows: 45, width: 200, body: 46});
const snapshot = () => {
	gc();
	const usage = process.memoryUsage();
	return {rss: usage.rss, heap: usage.heapUsed, heapTotal: usage.heapTotal};
};

let at100 = snapshot();
const started = performance.now();
for (let i = 1; i <= total; i++) {
	const sample = samples.next();
	if (mode === 'dashboard') state = reduce(state, {type: 'sample', sample, now: i * 1000});
	if (i === Math.min(100, total)) at100 = snapshot();
}

const end = snapshot();
process.stdout.write(JSON.stringify({mode, samples: total, at100, end, msPerSample: (performance.now() - started) / total}) + '\n');
