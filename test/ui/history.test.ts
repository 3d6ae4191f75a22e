import assert from 'node:assert/strict';
import test from 'node:test';
import type {RatedChain, RatedRule, RatedSample} from '../../source/core/model.ts';
import {HISTORY_POINTS, type History, type Series, createHistory, recordHistory} from '../../source/ui/history.ts';
import {seededRandom} from '../helpers/random.ts';

// The history as users see it (sparklines, min/avg/max) must be what appending every shown
// sample's rate to a 60-point list per key gives; the store only avoids doing that work for rules
// whose rated object did not change. Samples here are built by hand: history reads only keys,
// rates and object identity.

type Rates = {packetsPerSecond: number | null; bytesPerSecond: number | null};

const rule = (key: string, packets: number | null): RatedRule =>
	({key: `chain/${key}`, id: key, packetsPerSecond: packets, bytesPerSecond: packets === null ? null : packets * 100}) as unknown as RatedRule;

const chain = (key: string, rules: RatedRule[], packets: number | null = null): RatedChain =>
	({key, rate: {packetsPerSecond: packets, bytesPerSecond: packets === null ? null : packets * 10}, rules}) as unknown as RatedChain;

const sample = (chains: RatedChain[]): RatedSample => ({tables: [{chains}]}) as unknown as RatedSample;

/** What the dashboard showed before the store: every key's list copied and appended each sample. */
function reference(history: Map<string, Series>, shown: RatedSample): Map<string, Series> {
	const next = new Map<string, Series>();
	const append = (values: ReadonlyArray<number | null> = [], value: number | null) => [...values, value].slice(-HISTORY_POINTS);
	const add = (key: string, rate: Rates) => {
		const before = history.get(key);
		next.set(key, {packets: append(before?.packets, rate.packetsPerSecond), bytes: append(before?.bytes, rate.bytesPerSecond)});
	};

	for (const table of shown.tables) {
		for (const each of table.chains) {
			add(each.key, each.rate);
			for (const one of each.rules) add(one.id, one);
		}
	}

	return next;
}

test('a series keeps only the last 60 shown points, oldest first', () => {
	let history = createHistory();
	for (let i = 1; i <= HISTORY_POINTS + 15; i++) history = recordHistory(history, sample([chain('c', [rule('r', i)])]));
	const series = history.get('r')!;
	assert.equal(series.packets.length, HISTORY_POINTS);
	assert.deepEqual(series.packets, Array.from({length: HISTORY_POINTS}, (_, i) => i + 16));
	assert.deepEqual(series.bytes.slice(-2), [7400, 7500]);
});

test('an unchanged rule object goes on with its value; unknown rates stay null', () => {
	const idle = rule('idle', 0);
	const unknown = rule('unknown', null);
	let history = recordHistory(createHistory(), sample([chain('c', [rule('idle', null), unknown])]));
	const steady = chain('c', [idle, unknown]);
	for (let i = 0; i < 4; i++) history = recordHistory(history, sample([steady]));
	assert.deepEqual(history.get('idle')!.packets, [null, 0, 0, 0, 0]);
	assert.deepEqual(history.get('unknown')!.packets, [null, null, null, null, null]);
	history = recordHistory(history, sample([chain('c', [rule('idle', 3), unknown])]));
	assert.deepEqual(history.get('idle')!.packets, [null, 0, 0, 0, 0, 3]);
	assert.deepEqual(history.get('idle')!.bytes, [null, 0, 0, 0, 0, 300]);
});

test('keys of rules and chains that vanished are dropped, and start afresh if they return', () => {
	let history = recordHistory(createHistory(), sample([chain('a', [rule('a1', 1), rule('a2', 2)]), chain('b', [rule('b1', 1)])]));
	history = recordHistory(history, sample([chain('a', [rule('a2', 2)])]));
	assert.equal(history.get('a1'), undefined);
	assert.equal(history.get('b'), undefined);
	assert.equal(history.get('b1'), undefined);
	assert.deepEqual(history.get('a2')!.packets, [2, 2]);
	assert.equal(history.size, 2, 'a and a2 are all it holds');
	history = recordHistory(history, sample([chain('a', [rule('a1', 5), rule('a2', 2)])]));
	assert.deepEqual(history.get('a1')!.packets, [5]);
});

test('a table that vanishes takes its chains and rules with it; two tables of one name are kept apart', () => {
	const table = (name: string, chains: RatedChain[]) => ({family: 'ipv4', name, chains});
	const tables = (...list: Array<ReturnType<typeof table>>): RatedSample => ({tables: list}) as unknown as RatedSample;
	const nat = chain('nat/PRE', [rule('nat/PRE/1', 1)]);
	let history = recordHistory(createHistory(), tables(table('filter', [chain('f/IN', [rule('f/IN/1', 2)])]), table('nat', [nat])));
	history = recordHistory(history, tables(table('nat', [nat])));
	assert.equal(history.get('f/IN'), undefined);
	assert.equal(history.get('f/IN/1'), undefined);
	assert.deepEqual(history.get('nat/PRE/1')!.packets, [1, 1]);
	history = recordHistory(history, tables(table('nat', [nat]), table('nat', [chain('nft/PRE', [rule('nft/PRE/1', 3)])])));
	history = recordHistory(history, tables(table('nat', [nat]), table('nat', [chain('nft/PRE', [rule('nft/PRE/1', 4)])])));
	assert.deepEqual(history.get('nat/PRE/1')!.packets, [1, 1, 1, 1]);
	assert.deepEqual(history.get('nft/PRE/1')!.packets, [3, 4]);
});

test('a sample costs the history only what changed: unchanged chains and rules are not read', () => {
	const read = new Set<string>();
	const keysMade = new Set<string>();
	const watched = (key: string, packets: number): RatedRule => new Proxy(rule(key, packets), {
		get(target, property, receiver) {
			// A rule's key is made when first asked for, 150 bytes a rule kept from then on: the
			// history goes by ids. Comparing ids is what it costs to see what is the same rule.
			if (property === 'key') keysMade.add(target.id);
			else if (property !== 'id') read.add(target.id);
			return Reflect.get(target, property, receiver) as unknown;
		},
	});
	const rules = Array.from({length: 1000}, (_, index) => watched(`big/${index}`, 0));
	const big = chain('big', rules);
	let history = recordHistory(createHistory(), sample([big, chain('other', [rule('other/1', 1)])]));
	read.clear();
	history = recordHistory(history, sample([big, chain('other', [rule('other/1', 2)])]));
	assert.equal(read.size, 0, 'the same chain object again: none of its rules read');
	const moved = rules.map((one, index) => (index === 500 ? watched('big/500', 7) : one));
	history = recordHistory(history, sample([chain('big', moved), chain('other', [rule('other/1', 2)])]));
	assert.deepEqual([...read], ['big/500'], 'a changed chain: only the rule that is a new object');
	assert.deepEqual(history.get('big/500')!.packets, [0, 0, 7]);
	assert.deepEqual(history.get('big/499')!.packets, [0, 0, 0]);
	assert.equal(keysMade.size, 0, 'no rule asked for its key');
});

test('recording the same sample twice from one history (a reducer run twice) changes nothing', () => {
	const first = recordHistory(createHistory(), sample([chain('c', [rule('r', 1)])]));
	const next = sample([chain('c', [rule('r', 2)])]);
	recordHistory(first, next);
	const again = recordHistory(first, next);
	assert.deepEqual(again.get('r')!.packets, [1, 2]);
});


function mutate(chains: RatedChain[], next: () => number, step: number): RatedChain[] {
	const rate = (): number | null => (next() < 0.2 ? null : next() < 0.5 ? 0 : Math.floor(next() * 5));
	const result = chains.filter(() => next() > 0.03).map(each => {
		if (next() < 0.6) return each;
		const rules = each.rules.filter(() => next() > 0.05).map(one => (next() < 0.7 ? one : rule(one.key, next() < 0.5 ? one.packetsPerSecond : rate())));
		if (next() < 0.2) rules.push(rule(`${each.key}/r${step}`, rate()));
		return chain(each.key, rules, rate());
	});
	if (next() < 0.1 || result.length === 0) result.push(chain(`c${step}`, [rule(`c${step}/r0`, rate()), rule(`c${step}/r1`, rate())], rate()));
	return result;
}

test('over 400 random samples every series is what appending each sample gives', () => {
	const next = seededRandom(4);
	let chains = Array.from({length: 6}, (_, c) => chain(`c-${c}`, Array.from({length: 5}, (_, r) => rule(`c-${c}/${r}`, r)), c));
	let history: History = createHistory();
	let expected = new Map<string, Series>();
	for (let step = 0; step < 400; step++) {
		chains = mutate(chains, next, step);
		const shown = sample(chains);
		history = recordHistory(history, shown);
		expected = reference(expected, shown);
		for (const [key, series] of expected) assert.deepEqual(history.get(key), series, `${key} after sample ${step}`);
		assert.equal(history.size, expected.size, `keys held after sample ${step}`);
	}
});
