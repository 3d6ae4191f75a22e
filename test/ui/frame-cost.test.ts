import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {RatedRule, RatedSample} from '../../source/core/model.ts';
import {drive} from './drive.ts';
import {FakeSource, ratedRun} from './samples.ts';

// What a key press costs must not grow with the rules off screen (issue 4: a frame ≤ 8 ms at
// 50,000 rules). Asserted by what the code touches rather than by a clock: the reducer keeps the
// rows and the history it has, and a rendered frame reads only the rules on screen.

process.env.NODE_ENV = 'production';
const {createElement} = await import('react');
const {App} = await import('../../source/ui/app.tsx');
const {renderAt} = await import('./render.ts');

const RULES = 20_000;

function chainText(step: number): string {
	const lines = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]'];
	lines.push('[0:0] -A INPUT -j KUBE-SERVICES');
	for (let i = 0; i < RULES; i++) {
		const packets = (i % 7) * step;
		lines.push(`[${packets}:${packets * 60}] -A KUBE-SERVICES -d 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 -p tcp -m comment --comment "ns/svc-${i}:http" -m tcp --dport 80 -j KUBE-SVC-${i}`);
	}

	lines.push('COMMIT', '');
	return lines.join('\n');
}

const [first, second] = ratedRun([chainText(1), chainText(2)]);

test('cursor keys move the selection without recomputing rows or touching the history', () => {
	const driver = drive({table: 'filter', chain: 'KUBE-SERVICES'}, 45).sample(first!).sample(second!);
	const {rows, history} = driver.state;
	assert.equal(rows.length, RULES);
	for (const key of ['j', 'j', 'k', 'pagedown', 'end', 'pageup', 'home']) {
		driver.keys(key);
		assert.equal(driver.state.rows, rows, `${key} kept the rows`);
		assert.equal(driver.state.history, history, `${key} kept the history`);
	}

	assert.equal(driver.state.stack.at(-1)!.index, 0, 'and the cursor did move: home is row 0 again');
});

/** The sample with every rule behind a proxy that notes which rules are read. */
function watched(sample: RatedSample, touched: Set<string>): RatedSample {
	const watch = (rule: RatedRule): RatedRule => new Proxy(rule, {
		get(target, property, receiver) {
			touched.add(target.key);
			return Reflect.get(target, property, receiver) as unknown;
		},
	});
	return {
		...sample,
		tables: sample.tables.map(table => ({...table, chains: table.chains.map(chain => ({...chain, rules: chain.rules.map(watch)}))})),
	};
}

test('a key press in a 20,000-rule chain reads only the rules on screen', async () => {
	const touched = new Set<string>();
	const source = new FakeSource();
	const app = createElement(App, {source, initial: {intervalMs: 1000, table: 'filter', chain: 'KUBE-SERVICES'}, color: false, clock: () => 0});
	const screen = renderAt(app, 200, 50);
	try {
		await screen.waitFor(() => source.listening === 1);
		source.emit({type: 'sample', sample: watched(first!, touched)});
		await screen.waitFor(frame => frame.includes('KUBE-SVC-0 '));
		source.emit({type: 'sample', sample: watched(second!, touched)});
		await screen.waitFor(frame => frame.includes('1.0/s'));
		assert.ok(touched.size >= RULES, 'a sample reads the chain (rows, filter, history)');
		for (const keys of ['j', 'j', '\u001B[6~', 'k']) {
			touched.clear();
			await screen.press(keys);
			assert.ok(touched.size <= 50, `${keys}: ${touched.size} rules read for a 50-line screen`);
		}
	} finally {
		screen.unmount();
	}
});
