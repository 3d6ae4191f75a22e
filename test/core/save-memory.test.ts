import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {ParsedDump, Sample} from '../../source/core/model.ts';
import {createSaveParser, parseSave} from '../../source/core/parse-save.ts';
import {rateSample, type RateState} from '../../source/core/rates.ts';
import {plainData as plain} from '../helpers/samples.ts';

// The save parser's line memory (save-memory.ts) and the rates' positional matching must give
// exactly what a parser without memory gives, whatever happens between two dumps: counters move,
// rules come and go (Docker inserts at the top), chains appear, a comment spans lines, counters
// pass 2^53. Each case below is checked against a fresh parser, and a seeded random walk of
// edits checks many more.

type Line = {table: string; text: string; packets: bigint};

function dump(lines: Line[]): string {
	const out: string[] = [];
	for (const table of ['nat', 'filter']) {
		const chains = new Set(lines.filter(line => line.table === table && line.text.startsWith(':')).map(line => line.text));
		out.push(`*${table}`, ...chains);
		for (const line of lines.filter(item => item.table === table && item.text.startsWith('-A'))) out.push(`[${line.packets}:${line.packets * 60n}] ${line.text}`);
		out.push('COMMIT');
	}

	return out.join('\n') + '\n';
}

function base(): Line[] {
	const lines: Line[] = [
		{table: 'nat', text: ':PREROUTING ACCEPT [3:180]', packets: 0n},
		{table: 'nat', text: ':DOCKER - [0:0]', packets: 0n},
		{table: 'nat', text: '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER', packets: 5n},
		{table: 'filter', text: ':FORWARD DROP [0:0]', packets: 0n},
		{table: 'filter', text: ':DOCKER - [0:0]', packets: 0n},
		{table: 'filter', text: '-A FORWARD -o docker0 -j DOCKER', packets: 1n},
		{table: 'filter', text: '-A FORWARD -j ACCEPT', packets: 1n},
		{table: 'filter', text: '-A FORWARD -j ACCEPT', packets: 2n},
		{table: 'filter', text: '-A DOCKER -m comment --comment "two\nlines" -j RETURN', packets: 0n},
	];
	for (let i = 0; i < 6; i++) lines.push({table: 'nat', text: `-A DOCKER ! -i docker0 -p tcp -m tcp --dport ${8000 + i} -j DNAT --to-destination 172.17.0.${2 + i}:80`, packets: BigInt(i)});
	return lines;
}


function sample(parsed: ParsedDump, seq: number): Sample {
	return {seq, time: new Date(0), monotonicMs: seq * 1000, readMs: 1, source: {command: '', version: '', backend: ''}, warnings: parsed.warnings, approximate: parsed.approximate, tables: parsed.tables};
}

/** Parses and rates the dumps twice, with the memories and without; every step must agree. */
function agree(dumps: string[]): void {
	const parse = createSaveParser();
	let remembered: RateState | null = null;
	let fresh: RateState | null = null;
	dumps.forEach((text, i) => {
		const withMemory = parse(text, {family: 'ipv4'});
		const without = parseSave(text, {family: 'ipv4'});
		assert.deepEqual(plain(withMemory), plain(without), `dump ${i + 1} parses the same`);
		const a = rateSample(remembered, sample(withMemory, i + 1));
		const b = rateSample(fresh, sample(without, i + 1));
		remembered = a.state;
		fresh = b.state;
		assert.deepEqual(plain(a.rated), plain(b.rated), `dump ${i + 1} rates the same`);
	});
}

const edit = (lines: Line[], change: (copy: Line[]) => void): Line[] => {
	const copy = lines.map(line => ({...line}));
	change(copy);
	return copy;
};

describe('the save parser\'s memory gives what a fresh parser gives', () => {
	const first = base();
	it('when nothing changes, and then only counters', () => {
		const moved = edit(first, copy => {
			copy[4]!.packets += 7n;
			copy.at(-1)!.packets += 1n;
		});
		agree([dump(first), dump(first), dump(moved), dump(moved)]);
	});

	it('when a rule is inserted at the top of a chain and deleted again (Docker)', () => {
		const inserted = edit(first, copy => copy.splice(9, 0, {table: 'nat', text: '-A DOCKER -i docker0 -j RETURN', packets: 0n}));
		agree([dump(first), dump(inserted), dump(inserted), dump(first)]);
	});

	it('when rules and chains are deleted, added and moved', () => {
		const fewer = edit(first, copy => copy.splice(10, 3));
		const chain = edit(first, copy => copy.push({table: 'filter', text: ':DOCKER-USER - [0:0]', packets: 0n}, {table: 'filter', text: '-A DOCKER-USER -j RETURN', packets: 4n}));
		const moved = edit(first, copy => copy.push(copy.splice(9, 1)[0]!));
		agree([dump(first), dump(fewer), dump(chain), dump(moved), dump(first)]);
	});

	it('when the same words stand in another chain (their fields are reused, the chain is the line\'s)', () => {
		const elsewhere = edit(first, copy => copy.push(
			{table: 'filter', text: ':DOCKER-USER - [0:0]', packets: 0n},
			{table: 'filter', text: '-A DOCKER-USER -j ACCEPT', packets: 9n},
			{table: 'nat', text: '-A PREROUTING -o docker0 -j DOCKER', packets: 2n},
		));
		agree([dump(first), dump(elsewhere), dump(first), dump(elsewhere)]);
		const parse = createSaveParser();
		parse(dump(first), {family: 'ipv4'});
		const user = parse(dump(elsewhere), {family: 'ipv4'}).tables.find(table => table.name === 'filter')!.chains.find(chain => chain.name === 'DOCKER-USER')!;
		assert.deepEqual(user.rules.map(rule => [rule.spec, rule.target, rule.packets]), [['-j ACCEPT', 'ACCEPT', 9n]]);
	});

	it('when identical rules swap counters and counters pass 2^53', () => {
		const swapped = edit(first, copy => {
			copy[6]!.packets = 2n;
			copy[7]!.packets = 1n;
		});
		const huge = edit(first, copy => {
			copy[9]!.packets = 18_446_744_073_709_551_615n;
		});
		agree([dump(first), dump(swapped), dump(huge), dump(huge), dump(first)]);
	});

	it('over a seeded random walk of edits', () => {
		let seed = 42;
		const random = (n: number): number => {
			seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
			return seed % n;
		};

		let lines = base();
		const dumps = [dump(lines)];
		for (let step = 0; step < 60; step++) {
			lines = edit(lines, copy => {
				const rules = copy.map((line, i) => ({line, i})).filter(item => item.line.text.startsWith('-A'));
				const pick = rules[random(rules.length)]!;
				const what = random(4);
				if (what === 0) pick.line.packets += BigInt(1 + random(5));
				else if (what === 1 && rules.length > 3) copy.splice(pick.i, 1);
				else if (what === 2) copy.splice(pick.i, 0, {...pick.line, text: pick.line.text.replace(/ -j /, ` -s 10.0.0.${random(3)}/32 -j `)});
				else copy.splice(pick.i, 0, {...pick.line});
			});
			dumps.push(dump(lines));
		}

		agree(dumps);
	});

	it('returns the same Rule and Chain objects for what did not change', () => {
		const parse = createSaveParser();
		const a = parse(dump(first), {family: 'ipv4'});
		const b = parse(dump(edit(first, copy => {
			copy.at(-1)!.packets += 1n;
		})), {family: 'ipv4'});
		const chain = (parsed: ParsedDump, table: string, name: string) => parsed.tables.find(item => item.name === table)!.chains.find(item => item.name === name)!;
		assert.equal(chain(b, 'filter', 'FORWARD'), chain(a, 'filter', 'FORWARD'), 'an unchanged chain is the same object');
		assert.notEqual(chain(b, 'nat', 'DOCKER'), chain(a, 'nat', 'DOCKER'), 'a chain with a moved counter is new');
		assert.equal(chain(b, 'nat', 'DOCKER').rules[0], chain(a, 'nat', 'DOCKER').rules[0], 'and its unchanged rules are the same objects');
		assert.equal(chain(b, 'nat', 'DOCKER').rules.at(-1)!.packets, 6n);
	});
});
