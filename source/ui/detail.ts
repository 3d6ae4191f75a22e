import {dockerRuleNote} from '../core/docker.ts';
import {explainPolicy, explainRule} from '../core/explain.ts';
import type {RatedChain, RatedRule, RatedTable, RateStatus} from '../core/model.ts';
import {NAMED_COUNTERS, chainFacts, chainLabel, uncountedText, vmapLines} from './detail-nft.ts';
import {chainReferences} from '../core/path.ts';
import {formatBytes, formatCount, formatRate, sparkline} from './format.ts';
import {seriesKey, seriesStats} from './history.ts';
import type {Line, Segment} from './chrome.ts';
import {ruleOptions} from './cells.ts';
import {ruleDelta} from './mark.ts';
import {sanitize} from './sanitize.ts';
import {type State, findChain, sinceBaseline} from './state.ts';
import type {Tone} from './theme.ts';
import {wrap} from './text.ts';

// The rule detail: everything the table had to cut, untruncated (wrapped instead).

const seg = (text: string, tone: Tone = 'plain'): Segment => ({text, tone});

const statusText: Record<RateStatus, string> = {
	ok: '',
	new: 'unknown: first sample of this rule',
	reset: 'unknown: the counter went down (reset or rule replaced)',
	stale: 'unknown: no time passed between samples',
	uncounted: 'unknown: nothing counts this',
};

function field(name: string, value: string, width: number): Line[] {
	const label = name.padEnd(13);
	return wrap(value, Math.max(10, width - label.length)).map((part, index) => [seg(index === 0 ? label : ' '.repeat(label.length), 'dim'), seg(part)]);
}

function optionalField(name: string, value: string | null, width: number): Line[] {
	return value === null ? [] : field(name, value, width);
}

function stats(values: ReadonlyArray<number | null>, unit: 'packets' | 'bytes', bits: boolean): string {
	const found = seriesStats(values);
	if (found === null) return 'no known rate yet';
	const format = (value: number): string => formatRate(value, unit, bits);
	return `min ${format(found.min)}  avg ${format(found.avg)}  max ${format(found.max)}  over ${found.points} sample${found.points === 1 ? '' : 's'}`;
}

function counters(state: State, rule: RatedRule): string {
	if (rule.counted === false) return 'none (no counter statement)';
	const since = sinceBaseline(state, rule.key, rule);
	const text = `${formatCount(rule.packets, 'grouped')} packets, ${formatBytes(rule.bytes, 'grouped')}`;
	if (state.baseline === null) return text;
	return `${text}; since z: ${formatCount(since.packets, 'grouped')} packets, ${formatBytes(since.bytes, 'grouped')}`;
}

/** The Δ since the mark, in words; null without a mark. */
function sinceMark(state: State, rule: RatedRule): string | null {
	if (state.mark === null) return null;
	const delta = ruleDelta(state.mark, rule);
	if (delta.status === 'uncounted') return 'unknown: nothing counts this rule';
	if (delta.status === 'reset') return 'reset: the counter went down since the mark (iptables -Z, the rule replaced, a policy reset); the difference is unknown';
	const counted = `${formatCount(delta.packets, 'grouped')} packets, ${formatBytes(delta.bytes, 'grouped')}`;
	return delta.status === 'new' ? `${counted} (new since the mark: counted from 0)` : counted;
}

/** "Why is this 0?" (explain.ts): how this rule is counted, and for a built-in chain how its
 * policy is, where either is surprising. */
function whyZero(state: State, table: string, chain: RatedChain, rule: RatedRule, width: number): Line[] {
	// The rate line already says how to count an uncounted rule, with its own handle.
	const texts = explainRule(table, chain.name, rule).filter(note => note.id !== 'nft-no-counter').map(note => note.text);
	if (state.sample !== null) texts.push(...explainPolicy(chain, state.sample.source).map(note => `${chain.name} policy: ${note.text}`));
	return texts.flatMap((text, index) => field(index === 0 ? 'why 0?' : '', text, width));
}

/** The rule as its source writes it: `-A CHAIN spec` for iptables, nft's own text for nft. */
function title(chain: string, table: RatedTable, rule: RatedRule, width: number): Line[] {
	const text = table.backend === 'nft' ? rule.spec : `-A ${chain} ${rule.spec}`;
	return wrap(sanitize(text), width).map(part => [seg(part, 'title')]);
}

function rateText(state: State, table: RatedTable, chain: RatedChain, rule: RatedRule): string {
	if (rule.status === 'uncounted') return uncountedText(table, chain, rule);
	return statusText[rule.status] || `${formatRate(rule.packetsPerSecond, 'packets')}, ${formatRate(rule.bytesPerSecond, 'bytes', state.bits)}`;
}

/** Handle, chain facts, verdict-map branches and named counter: nft tables only. */
function nftFields(table: RatedTable, chain: RatedChain, rule: RatedRule, width: number): Line[] {
	if (table.backend !== 'nft') return [];
	const branches = vmapLines(rule);
	return [
		...optionalField('handle', rule.handle === undefined ? null : `${rule.handle} (the rule's identity while it exists)`, width),
		...optionalField('chain', chainFacts(chain), width),
		...branches.flatMap((branch, index) => field(index === 0 ? 'vmap' : '', branch, width)),
		...(branches.length === 0 ? [] : field('', 'Enter on a ↳ row under this rule in the chain view follows it', width)),
		...optionalField('counter', rule.counterName === undefined ? null : sanitize(`${rule.counterName} (named counter; its row is in ${NAMED_COUNTERS})`), width),
	];
}

function counterLines(state: State, table: RatedTable, chain: RatedChain, rule: RatedRule, width: number): Line[] {
	const series = state.history.get(seriesKey(rule));
	const uncounted = rule.counted === false;
	return [
		...field('counters', counters(state, rule), width),
		...optionalField('since mark', sinceMark(state, rule), width),
		...field('rate', rateText(state, table, chain, rule), width),
		...(uncounted ? [] : [
			...field('pkts/s', stats(series?.packets ?? [], 'packets', false), width),
			...field('bytes/s', stats(series?.bytes ?? [], 'bytes', state.bits), width),
			...field('history', sparkline(series?.packets ?? [], Math.min(60, Math.max(10, width - 13))), width),
		]),
	];
}

export function detailLines(state: State, view: {table: string; chain: string; rule: string}, width: number): Line[] {
	const found = findChain(state, view.table, view.chain);
	const rule = found?.chain.rules.find(candidate => candidate.key === view.rule);
	if (found === undefined || rule === undefined) return [[seg('This rule is no longer in the firewall.', 'dim')]];
	const {table, chain} = found;
	const references = chainReferences(table, chain.name)
		.map(reference => `${sanitize(reference.chain)} #${reference.rule.index}`);
	const note = dockerRuleNote(table.name, chain.name, rule);
	const lines: Line[] = [
		...title(chain.name, table, rule, width),
		[],
		...field('rule', `#${rule.index} of ${chain.rules.length} in ${sanitize(view.table)} ${sanitize(chainLabel(chain))}`, width),
		...nftFields(table, chain, rule, width),
		...field('target', rule.targets === undefined ? sanitize(rule.target) + (rule.goto ? ' (goto)' : '') : 'the verdict map (vmap above)', width),
		...field('protocol', sanitize(rule.protocolRaw === rule.protocol ? rule.protocol : `${rule.protocol} (${rule.protocolRaw})`), width),
		...field('in / out', `${sanitize(rule.in)} → ${sanitize(rule.out)}`, width),
		...field('source', sanitize(rule.source), width),
		...field('destination', sanitize(rule.destination), width),
		...field('options', ruleOptions(rule) || '(none)', width),
		[],
		...counterLines(state, table, chain, rule, width),
		[],
		...field('reached from', references.length === 0 ? (chain.builtin ? `the ${sanitize(chain.hook ?? view.chain)} hook` : 'no rule jumps here') : references.join(', '), width),
	];
	if (note !== null) lines.push(...field('Docker', sanitize(note), width));
	lines.push(...whyZero(state, table.name, chain, rule, width));
	return lines;
}
