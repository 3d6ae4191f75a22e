import {DOCKER_NFT_TABLE} from './docker.ts';
import type {Family} from './model.ts';
import {TABLE_NAMES} from './model.ts';
import {ruleText, type RuleTextFields} from './rule-text.ts';

// Rule patterns for `fwtop --until` and the dashboard's `/` filter (README "Rule patterns"):
//
//   [TABLE/][CHAIN:]TEXT      nat/DOCKER:to:172.17.0.2:80   DOCKER:dpt:80   :172.17.0.2   nat/
//
// TABLE is one of the table names. CHAIN is the part before the first `:`, taken as a chain only
// when a chain of that name exists (in TABLE, when given; case-insensitive); otherwise the whole
// is text, so `dpt:80` and `to:172.17.0.2:80` work as they are. A leading `:` always means "text
// only". TEXT is words separated by spaces; a rule matches when each word is a case-insensitive
// substring of its text (rule-text.ts: target, protocol, interfaces, addresses, options, comment,
// the save text and its listing-style words), numbers matched whole (`80` is not `8080`).

export type RulePattern = {
	/** The pattern as given. */
	source: string;
	/** A table name, lower case, or null for every table. */
	table: string | null;
	/** The part before the first `:` when it could be a chain name (no spaces), else null. */
	head: string | null;
	/** The text after the first `:` (used when head is a chain). */
	rest: string;
	/** The text after `TABLE/` (used when head is not a chain). */
	body: string;
};

/** A pattern resolved against the chains that exist: what it selects. */
export type PatternScope = {
	table: string | null;
	/** The chain name as the firewall spells it, or null for every chain. */
	chain: string | null;
	/** Lower-case words that must all occur in the rule's text. */
	words: string[];
};

export type PatternTables = ReadonlyArray<{name: string; chains: ReadonlyArray<{name: string}>}>;

const TABLES = new Set<string>([...TABLE_NAMES, DOCKER_NFT_TABLE]);

export function parsePattern(source: string): RulePattern {
	const text = source.trim();
	const prefix = /^([A-Za-z][\w-]*)\//.exec(text);
	const table = prefix !== null && TABLES.has(prefix[1]!.toLowerCase()) ? prefix[1]!.toLowerCase() : null;
	const body = table === null ? text : text.slice(prefix![0].length);
	const colon = body.indexOf(':');
	if (colon === -1) return {source, table, head: null, rest: body, body};
	if (colon === 0) return {source, table, head: null, rest: body.slice(1), body: body.slice(1)};
	const head = body.slice(0, colon);
	return {source, table, head: /\s/.test(head) ? null : head, rest: body.slice(colon + 1), body};
}

const words = (text: string): string[] => text.toLowerCase().split(/\s+/).filter(word => word !== '');

/** Decides whether the pattern's head names a chain, given the tables of a sample. */
export function resolvePattern(pattern: RulePattern, tables: PatternTables): PatternScope {
	const {table, head} = pattern;
	if (head !== null) {
		const wanted = head.toLowerCase();
		for (const candidate of tables) {
			if (table !== null && candidate.name !== table) continue;
			const chain = candidate.chains.find(item => item.name.toLowerCase() === wanted);
			if (chain !== undefined) return {table, chain: chain.name, words: words(pattern.rest)};
		}
	}

	return {table, chain: null, words: words(pattern.body)};
}

const isDigit = (character: string | undefined): boolean => character !== undefined && character >= '0' && character <= '9';

/** `word` occurs in `text`, with numbers matched whole: a word that ends (starts) with a digit
 * is not followed (preceded) by one, so `dpt:80` is not `dpt:8080` and `172.17.0.2` is not
 * `172.17.0.20`. */
export function containsWord(text: string, word: string): boolean {
	const digitEnd = isDigit(word.at(-1));
	const digitStart = isDigit(word[0]);
	for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
		if (digitEnd && isDigit(text[at + word.length])) continue;
		if (digitStart && isDigit(text[at - 1])) continue;
		return true;
	}

	return false;
}

export function scopeMatches(scope: PatternScope, table: string, chain: string, rule: RuleTextFields): boolean {
	if (scope.table !== null && scope.table !== table) return false;
	if (scope.chain !== null && scope.chain !== chain && scope.chain.toLowerCase() !== chain.toLowerCase()) return false;
	if (scope.words.length === 0) return true;
	const text = ruleText(rule);
	return scope.words.every(word => containsWord(text, word));
}

export type PatternMatch<R> = {family: Family; table: string; chain: string; rule: R};

type MatchTables<R> = ReadonlyArray<{family: Family; name: string; chains: ReadonlyArray<{name: string; rules: readonly R[]}>}>;

/** Every rule the pattern selects, in table, chain and rule order. */
export function matchingRules<R extends RuleTextFields>(pattern: RulePattern, tables: MatchTables<R>): Array<PatternMatch<R>> {
	const scope = resolvePattern(pattern, tables);
	const matches: Array<PatternMatch<R>> = [];
	for (const table of tables) {
		if (scope.table !== null && scope.table !== table.name) continue;
		for (const chain of table.chains) {
			for (const rule of chain.rules) {
				if (scopeMatches(scope, table.name, chain.name, rule)) matches.push({family: table.family, table: table.name, chain: chain.name, rule});
			}
		}
	}

	return matches;
}

/** The scope in words, for messages: `nat DOCKER rules containing "to:172.17.0.2:80"`. */
export function describeScope(scope: PatternScope): string {
	const where = [scope.table, scope.chain].filter(part => part !== null).join(' ');
	const rules = where === '' ? 'rules' : `${where} rules`;
	return scope.words.length === 0 ? rules : `${rules} containing ${scope.words.map(word => JSON.stringify(word)).join(' and ')}`;
}
