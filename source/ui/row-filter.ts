import {type PatternScope, containsWord, parsePattern, resolvePattern, scopeMatches} from '../core/pattern.ts';
import type {Row, State} from './state.ts';

// The `/` filter speaks the rule-pattern grammar of `fwtop --until` (source/core/pattern.ts,
// README "Rule patterns"): `[TABLE/][CHAIN:]TEXT`, every word must occur, numbers whole. So a
// pattern tried in the dashboard is the one a runbook waits on. Rules match as `--until` matches
// them; a chain (overview) matches by its own name or by one of its rules; the path view keeps its
// skeleton (hooks, chain headers) so matching rules still show where they are.

/** The words of `text` all occur (numbers whole) and the table and chain are the scope's. */
function textMatches(scope: PatternScope, table: string | undefined, chain: string | undefined, text: string): boolean {
	if (scope.table !== null && scope.table !== table) return false;
	if (scope.chain !== null && scope.chain.toLowerCase() !== chain?.toLowerCase()) return false;
	const lower = text.toLowerCase();
	return scope.words.every(word => containsWord(lower, word));
}

function rowMatches(scope: PatternScope, row: Row): boolean {
	if (row.kind === 'rule') return scopeMatches(scope, row.table.name, row.chain.name, row.rule);
	if (row.kind === 'chain') {
		const {table, chain} = row;
		return textMatches(scope, table.name, chain.name, `${table.name} ${chain.name} ${chain.policy ?? ''}`)
			|| chain.rules.some(rule => scopeMatches(scope, table.name, chain.name, rule));
	}

	const {path} = row;
	if (path.kind === 'hook' || path.kind === 'chain') return true;
	if (path.kind === 'rule' && path.rule !== undefined && path.table !== undefined && path.chain !== undefined) {
		return scopeMatches(scope, path.table, path.chain, path.rule);
	}

	return textMatches(scope, path.table, path.chain, path.label);
}

/** The filter for the state's text, or null when there is none. The pattern's chain is resolved
 * against the shown family's tables (every table, whatever the table choice). */
export function patternFilter(state: Pick<State, 'filter' | 'sample' | 'family'>): ((row: Row) => boolean) | null {
	const text = state.filter.text.trim();
	if (text === '') return null;
	const tables = state.sample?.tables.filter(table => table.family === state.family) ?? [];
	const scope = resolvePattern(parsePattern(text), tables);
	return row => rowMatches(scope, row);
}
