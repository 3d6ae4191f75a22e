import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {describe, it} from 'node:test';
import type {Family, ParsedDump} from '../../source/core/model.ts';
import {ParseError} from '../../source/core/parse-error.ts';
import {createSaveParser, parseSave} from '../../source/core/parse-save.ts';
import {seededRandom} from '../helpers/random.ts';
import {plainData as plain} from '../helpers/samples.ts';

// The collector parses a dump as the child prints it (parse-save.ts `SaveStream`): wherever the
// pipe cuts the text — inside a line, between a `\r` and its `\n`, inside a comment that holds a
// newline — the pieces must parse to exactly what the whole text parses to, line numbers of
// errors included, and a stream given up half-way must leave the parser's memory as it was.

const fixtures = new URL('../fixtures/', import.meta.url);
const saveFixtures = readdirSync(fixtures).filter(name => /save-c.*\.txt$/.test(name));
const familyOf = (name: string): Family => (name.startsWith('ip6tables') ? 'ipv6' : 'ipv4');

function seeded(seed: number): (n: number) => number {
	const random = seededRandom(seed);
	return n => Math.floor(random() * n);
}

/** `text` cut at random places into pieces of 1 to `longest` characters. */
function pieces(text: string, random: (n: number) => number, longest: number): string[] {
	const out: string[] = [];
	for (let at = 0; at < text.length;) {
		const length = 1 + random(longest);
		out.push(text.slice(at, at + length));
		at += length;
	}

	return out;
}

function streamed(parse: ReturnType<typeof createSaveParser>, family: Family, parts: string[]): ParsedDump {
	const stream = parse.stream(family);
	for (const part of parts) stream.push(part);
	return stream.end();
}

const withComment = '*filter\r\n:INPUT ACCEPT [1:60]\r\n[2:120] -A INPUT -m comment --comment "two\nlines" -j ACCEPT\r\n[0:0] -A INPUT -m comment --comment "a\n\nb" -j DROP\r\nCOMMIT\r\n';

describe('a save dump parsed in pieces', () => {
	it('gives what the whole text gives, for every fixture and random cuts', () => {
		assert.ok(saveFixtures.length >= 6, `save fixtures found: ${saveFixtures.join(', ')}`);
		const random = seeded(7);
		for (const name of saveFixtures) {
			const text = readFileSync(new URL(name, fixtures), 'utf8');
			const family = familyOf(name);
			const whole = plain(parseSave(text, {family}));
			for (const longest of [1, 7, 64, 1000]) {
				assert.deepEqual(plain(streamed(createSaveParser(), family, pieces(text, random, longest))), whole, `${name}, pieces of up to ${longest}`);
			}
		}
	});

	it('across CRLF line ends and comments that hold newlines, one character at a time', () => {
		const whole = parseSave(withComment, {family: 'ipv4'});
		assert.equal(whole.tables[0]!.chains[0]!.rules[1]!.comment, 'a\n\nb');
		assert.deepEqual(plain(streamed(createSaveParser(), 'ipv4', [...withComment])), plain(whole));
	});

	it('with the memory: the next dump in pieces gives back the unchanged rules and chains as the same objects', () => {
		const parse = createSaveParser();
		const first = parse(withComment, {family: 'ipv4'});
		const moved = withComment.replace('[0:0] -A INPUT -m comment --comment "a', '[5:300] -A INPUT -m comment --comment "a');
		const random = seeded(3);
		const second = streamed(parse, 'ipv4', pieces(moved, random, 9));
		assert.deepEqual(plain(second), plain(parseSave(moved, {family: 'ipv4'})));
		const [before, after] = [first, second].map(dump => dump.tables[0]!.chains[0]!);
		assert.equal(after!.rules[0], before!.rules[0], 'the rule whose counters did not move is the same object');
		assert.notEqual(after!.rules[1], before!.rules[1]);
		assert.equal(after!.rules[1]!.packets, 5n);
	});

	it('a stream given up half-way leaves the memory of the last finished dump', () => {
		// Line ends as iptables-save writes them: a CRLF line never matches the memory's fast path.
		const text = withComment.replaceAll('\r\n', '\n');
		const parse = createSaveParser();
		const first = parse(text, {family: 'ipv4'});
		const abandoned = parse.stream('ipv4');
		abandoned.push(text.replace('two', 'three').slice(0, 70));
		const again = parse(text, {family: 'ipv4'});
		assert.equal(again.tables[0]!.chains[0], first.tables[0]!.chains[0], 'nothing changed: the same Chain object');
	});

	it('reports a bad line with the line number the whole text gives', () => {
		const text = withComment.replace('COMMIT', 'garbage');
		const lineOf = (parse: () => unknown): number | undefined => {
			try {
				parse();
			} catch (error) {
				if (error instanceof ParseError) return error.line;
				throw error;
			}

			return undefined;
		};

		const whole = lineOf(() => parseSave(text, {family: 'ipv4'}));
		assert.equal(whole, 8, 'COMMIT\'s line, after two rules of two and three lines');
		assert.equal(lineOf(() => streamed(createSaveParser(), 'ipv4', [...text])), whole);
	});

	it('waits for the end before it calls a comment unterminated', () => {
		const stream = createSaveParser().stream('ipv4');
		stream.push('*filter\n:INPUT ACCEPT [0:0]\n[0:0] -A INPUT -m comment --comment "never\n');
		stream.push('closed -j ACCEPT\n');
		assert.throws(() => stream.end(), /line 3: unterminated quoted string/);
	});
});
