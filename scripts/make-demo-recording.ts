// Makes assets/demo-recording.ndjson.gz, the recording `fwtop --demo` replays where the lab cannot
// run (not root): the namespace lab with its steady trickle of traffic, watched by the real CLI
// with --json --record for about a minute. Needs root, iproute2 and iptables.
//   sudo node --import tsx scripts/make-demo-recording.ts [--seconds 60] [--out FILE]
import {rm} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {execa} from 'execa';
import {readRecording} from '../source/collect/replay.ts';

const {values} = parseArgs({options: {seconds: {type: 'string', default: '60'}, out: {type: 'string'}}});
const out = values.out ?? fileURLToPath(new URL('../assets/demo-recording.ndjson.gz', import.meta.url));
const cli = fileURLToPath(new URL('../cli.tsx', import.meta.url));
const seconds = Number(values.seconds);

await rm(out, {force: true});
const child = execa(process.execPath, ['--import', 'tsx', cli, '--demo', '--json', '--interval', '1', '--record', out], {
	reject: false,
	stdout: 'ignore',
	stderr: 'inherit',
});
// The lab takes a few seconds to build; the recording starts with the first read.
setTimeout(() => child.kill('SIGINT'), (seconds + 5) * 1000);
const result = await child;
// 130: the demo exits 128 + SIGINT after its teardown (source/lab/demo.ts).
if (result.exitCode !== 0 && result.exitCode !== 130) throw new Error(`fwtop --demo --record exited ${String(result.exitCode)}`);
const recording = await readRecording(out);
const span = (recording.entries.at(-1)!.t - recording.entries[0]!.t) / 1000;
process.stderr.write(`${out}: ${recording.entries.length} reads over ${span.toFixed(1)} s (${recording.header.source.command})\n`);
