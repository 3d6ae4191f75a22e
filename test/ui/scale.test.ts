import assert from 'node:assert/strict';
import {test} from 'node:test';
import {FakeSource, ratedRun} from './samples.ts';

// Only visible rows are rendered: a 20,000-rule chain (a kube-proxy host) costs a key press what a
// 20-rule chain does, and a sample costs little more than its parse.
//
// Measured with React's production build, as dist/cli.js ships it (scripts/build.mjs defines
// NODE_ENV=production): the development build of React 19 logs a deep diff of every changed prop
// to its performance track, which for a 20,000-row array is what would be measured instead.
process.env.NODE_ENV = 'production';
const {createElement} = await import('react');
const {App} = await import('../../source/ui/app.tsx');
const {renderAt} = await import('./render.ts');

function chainText(rules: number, step: number): string {
	const lines = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]'];
	lines.push('[0:0] -A INPUT -j KUBE-SERVICES');
	for (let i = 0; i < rules; i++) {
		const packets = (i % 7) * step;
		lines.push(`[${packets}:${packets * 60}] -A KUBE-SERVICES -d 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 -p tcp -m comment --comment "ns/svc-${i}:http" -m tcp --dport 80 -j KUBE-SVC-${i}`);
	}

	lines.push('COMMIT', '');
	return lines.join('\n');
}

async function measure(rules: number): Promise<{sample: number; key: number; lines: number}> {
	const samples = ratedRun([chainText(rules, 1), chainText(rules, 2)]);
	const source = new FakeSource();
	const app = createElement(App, {source, initial: {intervalMs: 1000, table: 'filter', chain: 'KUBE-SERVICES'}, color: false, clock: () => 0});
	const screen = renderAt(app, 160, 40);
	await screen.waitFor(() => source.listening === 1);
	source.emit({type: 'sample', sample: samples[0]!});
	await screen.waitFor(frame => frame.includes('KUBE-SVC-0'));
	let started = performance.now();
	source.emit({type: 'sample', sample: samples[1]!});
	await screen.waitFor(frame => frame.includes('1.0/s'));
	const sample = performance.now() - started;
	started = performance.now();
	for (let i = 0; i < 10; i++) await screen.press('j');
	const key = (performance.now() - started) / 10;
	const lines = screen.frame().split('\n').filter(line => /KUBE-SVC-\d+/.test(line)).length;
	screen.unmount();
	return {sample, key, lines};
}

test('a 20,000-rule chain renders only the rows on screen, and a key costs what it costs with 20', async () => {
	const small = await measure(20);
	const large = await measure(20_000);
	process.stdout.write(`# key ${small.key.toFixed(1)} ms / ${large.key.toFixed(1)} ms; sample ${small.sample.toFixed(1)} ms / ${large.sample.toFixed(1)} ms\n`);
	assert.equal(small.lines, 20);
	assert.equal(large.lines, 35, 'one screenful of rows, not 20,000');
	// Generous bounds for a loaded 2-core CI machine; on a laptop a key is ~2 ms either way.
	assert.ok(large.key < small.key * 5 + 25, `key: ${large.key.toFixed(1)} ms with 20,000 rules, ${small.key.toFixed(1)} ms with 20`);
	assert.ok(large.sample < 1500, `a 20,000-rule sample took ${large.sample.toFixed(0)} ms to show`);
});
