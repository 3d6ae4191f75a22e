import {addCounterCommand} from '../core/nft-hint.ts';
import type {RatedChain, RatedRule, RatedTable} from '../core/model.ts';
import {sanitize} from './sanitize.ts';

// The nftables facts of the rule detail and the chain view's header: what `nft -a list ruleset`
// says about a rule and its chain that iptables has no column for. Pure strings; detail.ts and
// chrome.ts lay them out.

/** The label of the synthetic chain that holds a table's named counters (parse-nft.ts `@counters`). */
export const NAMED_COUNTERS = 'named counters';

/** A chain's name as the dashboard shows it: `@counters` is not a chain nft knows, so it says what it is. */
export function chainLabel(chain: Pick<RatedChain, 'name' | 'synthetic'>): string {
	return chain.synthetic === 'counters' ? `${chain.name} (${NAMED_COUNTERS})` : chain.name;
}

/** `base chain: hook forward, priority 0, type filter, policy accept`, or what a regular chain is. */
export function chainFacts(chain: RatedChain): string | null {
	if (chain.synthetic === 'counters') return `${NAMED_COUNTERS}: one row per \`counter NAME { }\` of the table; rules count into one with \`counter name NAME\``;
	if (chain.hook === undefined && chain.handle === undefined) return null;
	if (chain.hook === undefined) return 'regular chain: runs only when a rule jumps, goes or maps to it';
	const facts = [`hook ${chain.hook}`, `priority ${chain.priority ?? '?'}`, `type ${chain.type ?? '?'}`, `policy ${chain.policy ?? 'accept'}`];
	if (chain.device !== undefined) facts.push(`device ${chain.device}`);
	return sanitize(`base chain: ${facts.join(', ')}`);
}

/** Why the rate is unknown on every sample, and how to count it (fwtop never does). */
export function uncountedText(table: RatedTable, chain: RatedChain, rule: RatedRule): string {
	if (rule.counterName !== undefined) {
		return sanitize(`not its own: this rule counts into the named counter "${rule.counterName}" (its row is in ${NAMED_COUNTERS}, @counters)`);
	}

	if (rule.kind === 'counter') return 'unknown: this named counter was not read';
	const command = addCounterCommand(table, chain.name, rule);
	const how = command === null ? 'Add a `counter` statement to count it' : `To count it: \`${command}\` (the replaced rule counts from 0)`;
	return sanitize(`unknown: this rule has no counter statement, so nothing counts it (not 0). ${how}; fwtop itself only reads.`);
}

/** One `when → chain` per verdict-map branch, followable with Enter on its ↳ row in the chain view. */
export function vmapLines(rule: RatedRule): string[] {
	return (rule.targets ?? []).map(target => sanitize(`${target.when} → ${target.chain}${target.goto ? ' (goto)' : ''}`));
}
