import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Family, ParsedDump, Sample} from '../../source/core/model.ts';
import {createListingParser, parseListing} from '../../source/core/parse-listing.ts';
import {rateSample, type RateState} from '../../source/core/rates.ts';
import {OWN_DIR, read} from './listing-helpers.ts';
import {seededRandom} from '../helpers/random.ts';
import {plainData as plain} from '../helpers/samples.ts';

// The listing parser's line memory (listing-memory.ts) must give exactly what a parser without
// memory gives, whatever happens between two listings of a table: counters move, rules come and
// go, chains appear and vanish, a comment spans lines (and forges a chain header), counters pass
// 2^53 or carry a K suffix. Each case is checked against a fresh parser, with the rates, and a
// seeded random walk of edits checks many more.


function sample(parsed: ParsedDump, seq: number): Sample {
	return {seq, time: new Date(0), monotonicMs: seq * 1000, readMs: 1, source: {command: '', version: '', backend: ''}, warnings: parsed.warnings, approximate: parsed.approximate, tables: parsed.tables};
}

/** Parses and rates the listings with the memories and without; every step must agree, and no
 * step may change what an earlier one returned. */
function agree(texts: string[], family?: Family): ParsedDump[] {
	const parse = createListingParser();
	const options = family ? {family, table: 'nat'} : {table: 'nat'};
	let remembered: RateState | null = null;
	let fresh: RateState | null = null;
	const results: ParsedDump[] = [];
	const snapshots: unknown[] = [];
	texts.forEach((text, i) => {
		const withMemory = parse(text, options);
		const without = parseListing(text, options);
		assert.deepEqual(plain(withMemory), plain(without), `listing ${i + 1} parses the same`);
		const a = rateSample(remembered, sample(withMemory, i + 1));
		const b = rateSample(fresh, sample(without, i + 1));
		remembered = a.state;
		fresh = b.state;
		assert.deepEqual(plain(a.rated), plain(b.rated), `listing ${i + 1} rates the same`);
		results.push(withMemory);
		snapshots.push(plain(withMemory));
	});
	results.forEach((result, i) => assert.deepEqual(plain(result), snapshots[i], `listing ${i + 1} unchanged by later ones`));
	return results;
}

type Line = {packets: bigint; bytes: bigint; body: string};
type Block = {head: string; rules: Line[]};

const COLUMNS = '    pkts      bytes target     prot opt in     out     source               destination         ';

const counterText = (value: bigint, width: number): string => (value >= 100_000_000_000n && value % 2n === 1n ? `${value / 1000n}K` : String(value)).padStart(width);

function listing(blocks: Block[]): string {
	return blocks.map(block => [block.head, COLUMNS, ...block.rules.map(rule => `${counterText(rule.packets, 8)} ${counterText(rule.bytes, 8)} ${rule.body}`)].join('\n')).join('\n\n') + '\n';
}

/** Real rule texts (after the counters, trailing spaces kept) from recorded listings. */
function bodies(): string[] {
	const found = new Set<string>();
	for (const name of ['nft_nat_vnxL', 'nft_filter_vnxL', 'legacy_filter_vnxL']) {
		for (const line of read(`${OWN_DIR}${name}.txt`).split('\n')) {
			const match = /^ *\d+ +\d+ (.+)$/.exec(line);
			if (match) found.add(match[1]!);
		}
	}

	found.add('ACCEPT     0    --  *      *       192.0.2.7            0.0.0.0/0            /* two\nlines */');
	return [...found];
}

const BODIES = bodies();

function base(): Block[] {
	const rule = (i: number, packets: bigint): Line => ({packets, bytes: packets * 60n, body: BODIES[i % BODIES.length]!});
	return [
		{head: 'Chain PREROUTING (policy ACCEPT 3 packets, 180 bytes)', rules: [rule(0, 5n), rule(1, 0n)]},
		{head: 'Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)', rules: [rule(2, 1n), rule(2, 2n)]},
		{head: 'Chain DOCKER (2 references)', rules: [0, 1, 2, 3, 4, 5].map(i => rule(i + 3, BigInt(i)))},
		{head: 'Chain EMPTY (0 references)', rules: []},
	];
}

const copy = (blocks: Block[]): Block[] => blocks.map(block => ({head: block.head, rules: block.rules.map(rule => ({...rule}))}));

function edited(blocks: Block[], change: (blocks: Block[]) => void): Block[] {
	const next = copy(blocks);
	change(next);
	return next;
}

describe('the listing parser\'s memory gives what a fresh parser gives', () => {
	const first = base();
	it('when nothing changes, and then only counters', () => {
		const moved = edited(first, blocks => {
			blocks[2]!.rules[4]!.packets += 7n;
			blocks[0]!.head = 'Chain PREROUTING (policy ACCEPT 9 packets, 540 bytes)';
		});
		agree([listing(first), listing(first), listing(moved), listing(moved)]);
	});

	it('when rules are inserted at the top, deleted, moved to another chain or duplicated', () => {
		const steps = [
			first,
			edited(first, blocks => blocks[2]!.rules.unshift({packets: 0n, bytes: 0n, body: BODIES[9 % BODIES.length]!})),
			edited(first, blocks => blocks[2]!.rules.splice(1, 2)),
			edited(first, blocks => blocks[1]!.rules.push(blocks[2]!.rules.pop()!)),
			edited(first, blocks => blocks[2]!.rules.splice(3, 0, {...blocks[2]!.rules[3]!})),
		];
		agree(steps.flatMap(step => [listing(step), listing(step)]));
	});

	it('when chains appear, vanish or change their references', () => {
		agree([
			listing(first),
			listing(edited(first, blocks => blocks.splice(2, 0, {head: 'Chain NEW (1 references)', rules: [{packets: 1n, bytes: 60n, body: BODIES[0]!}]}))),
			listing(edited(first, blocks => blocks.splice(1, 1))),
			listing(edited(first, blocks => {
				blocks[2]!.head = 'Chain DOCKER (3 references)';
			})),
			listing(first),
		]);
	});

	it('when counters pass 2^53, 2^64 − 1 or are rounded with a suffix', () => {
		const big = edited(first, blocks => {
			blocks[2]!.rules[0]!.packets = (1n << 60n) + 1n;
			blocks[2]!.rules[1]!.bytes = (1n << 64n) - 1n;
			blocks[2]!.rules[2]!.packets = 123_456_789_013n;
		});
		agree([listing(first), listing(big), listing(big), listing(first)]);
	});

	it('over a comment that holds newlines and forges chain headers (recorded)', () => {
		const text = read(`${OWN_DIR}nft_filter_vnxL_comment-with-newline.txt`);
		const moved = text.replace('       6      360 DROP', '       9      540 DROP');
		agree([text, text, moved, text]);
	});

	it('over recorded IPv6 listings', () => {
		const text = read(`${OWN_DIR}ip6tables-nft_filter_vnxL.txt`);
		agree([text, text.replace(/^( +)0 +0 /m, '$1 3      240 '), text], 'ipv6');
	});

	it('gives back unchanged rules and chains as the same objects, and only those', () => {
		const moved = edited(first, blocks => {
			blocks[2]!.rules[4]!.packets += 1n;
		});
		const [one, two, three] = agree([listing(first), listing(first), listing(moved)]).map(dump => dump.tables[0]!.chains);
		assert.ok(two!.every((chain, i) => chain === one![i]), 'an unchanged listing returns the previous chains');
		assert.equal(three![0], two![0]);
		assert.notEqual(three![2], two![2], 'the chain with a moved rule is new');
		assert.notEqual(three![2]!.rules[4], two![2]!.rules[4]);
		assert.equal(three![2]!.rules[3], two![2]!.rules[3], 'its idle rules are the same objects');
	});
});


function step(blocks: Block[], next: () => number): Block[] {
	const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
	return edited(blocks, copy => {
		const block = pick(copy);
		const at = Math.floor(next() * (block.rules.length + 1));
		const action = Math.floor(next() * 7);
		if (action === 0) block.rules.splice(at, 0, {packets: 0n, bytes: 0n, body: pick(BODIES)});
		else if (action === 1) block.rules.splice(at, 1);
		else if (action === 2 && block.rules.length > 0) block.rules.splice(at, 0, {...pick(block.rules)});
		else if (action === 3) copy.splice(Math.floor(next() * copy.length) + 1, 0, {head: `Chain C${Math.floor(next() * 5)} (1 references)`, rules: []});
		else if (action === 4 && copy.length > 1) copy.splice(copy.indexOf(block), 1);
		else for (const rule of block.rules) if (next() < 0.3) rule.packets += BigInt(Math.floor(next() * 3) * (next() < 0.05 ? 1e15 : 1));
	});
}

describe('a seeded random walk of edits', () => {
	for (const seed of [1, 2, 3]) {
		it(`seed ${seed}: 150 listings agree with a fresh parser`, () => {
			const next = seededRandom(seed);
			let blocks = base();
			const texts: string[] = [];
			for (let i = 0; i < 150; i++) {
				blocks = step(blocks, next);
				texts.push(listing(blocks));
			}

			agree(texts);
		});
	}
});
