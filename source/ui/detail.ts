import {dockerRuleNote} from '../core/docker.ts';
import {explainPolicy, explainRule} from '../core/explain.ts';
import type {RatedChain, RatedRule, RateStatus} from '../core/model.ts';
import {chainReferences} from '../core/path.ts';
import {formatBytes, formatCount, formatRate, sparkline} from './format.ts';
import {seriesStats} from './history.ts';
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
	const texts = explainRule(table, chain.name, rule).map(note => note.text);
	if (state.sample !== null) texts.push(...explainPolicy(chain, state.sample.source).map(note => `${chain.name} policy: ${note.text}`));
	return texts.flatMap((text, index) => field(index === 0 ? 'why 0?' : '', text, width));
}

export function detailLines(state: State, view: {table: string; chain: string; rule: string}, width: number): Line[] {
	const found = findChain(state, view.table, view.chain);
	const rule = found?.chain.rules.find(candidate => candidate.key === view.rule);
	if (found === undefined || rule === undefined) return [[seg('This rule is no longer in the firewall.', 'dim')]];
	const series = state.history.get(rule.key);
	const references = chainReferences(found.table, found.chain.name)
		.map(reference => `${sanitize(reference.chain)} #${reference.rule.index}`);
	const note = dockerRuleNote(view.table, view.chain, rule);
	const lines: Line[] = [
		...wrap(sanitize(`-A ${view.chain} ${rule.spec}`), width).map(part => [seg(part, 'title')]),
		[],
		...field('rule', `#${rule.index} of ${found.chain.rules.length} in ${sanitize(view.table)} ${sanitize(view.chain)}`, width),
		...field('target', sanitize(rule.target) + (rule.goto ? ' (goto)' : ''), width),
		...field('protocol', sanitize(rule.protocolRaw === rule.protocol ? rule.protocol : `${rule.protocol} (${rule.protocolRaw})`), width),
		...field('in / out', `${sanitize(rule.in)} → ${sanitize(rule.out)}`, width),
		...field('source', sanitize(rule.source), width),
		...field('destination', sanitize(rule.destination), width),
		...field('options', ruleOptions(rule) || '(none)', width),
		[],
		...field('counters', counters(state, rule), width),
		...optionalField('since mark', sinceMark(state, rule), width),
		...field('rate', statusText[rule.status] || `${formatRate(rule.packetsPerSecond, 'packets')}, ${formatRate(rule.bytesPerSecond, 'bytes', state.bits)}`, width),
		...field('pkts/s', stats(series?.packets ?? [], 'packets', false), width),
		...field('bytes/s', stats(series?.bytes ?? [], 'bytes', state.bits), width),
		...field('history', sparkline(series?.packets ?? [], Math.min(60, Math.max(10, width - 13))), width),
		[],
		...field('reached from', references.length === 0 ? (found.chain.builtin ? `the ${view.chain} hook` : 'no rule jumps here') : references.join(', '), width),
	];
	if (note !== null) lines.push(...field('Docker', sanitize(note), width));
	lines.push(...whyZero(state, view.table, found.chain, rule, width));
	return lines;
}
