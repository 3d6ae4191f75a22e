import {detectDockerGeneration, dockerChainInfo, natNote} from '../core/docker.ts';
import {explainSample} from '../core/explain.ts';
import type {RatedSample} from '../core/model.ts';
import type {SourceDescription} from '../core/sample-source.ts';
import {formatAge, formatDuration, formatInterval} from './format.ts';
import {sanitize} from './sanitize.ts';
import {type Frame, type State, type View, findChain, rootView, topFrame} from './state.ts';
import type {Tone} from './theme.ts';
import {displayWidth, truncate, wrap} from './text.ts';
import {chainFacts} from './detail-nft.ts';

// The lines around the table: header, warnings, breadcrumb and notes. Pure, so the root can count
// them to know how many rows the list gets, and tests can read them without a renderer.

export type Segment = {text: string; tone: Tone};
export type Line = Segment[];

const seg = (text: string, tone: Tone = 'plain'): Segment => ({text, tone});

function backend(description: SourceDescription, state: State): string {
	const source = state.sample?.source;
	const version = description.version || source?.version || '';
	const name = description.backend || source?.backend || '';
	if (version === '' && name === '') return 'detecting backend…';
	return [name, version].filter(part => part !== '').join(' ');
}

function interval(state: State): string {
	const {requestedMs, effectiveMs} = state.interval;
	if (effectiveMs > requestedMs) return `every ${formatInterval(requestedMs)} → ${formatInterval(effectiveMs)} (slow reads)`;
	return `every ${formatInterval(requestedMs)}`;
}

type Part = {text: string; tone: Tone; keep: number};

/** `+ nft 1.0.6` when --backend auto shows native nftables tables beside iptables' (with
 * --backend nftables the backend part already says `nftables 1.0.6`). */
function nftPart(state: State): string | null {
	const source = state.sample?.source;
	if (source?.nftVersion === undefined || source.backend === 'nftables') return null;
	return state.sample!.tables.some(table => table.backend === 'nft') ? `+ nft ${sanitize(source.nftVersion)}` : null;
}

/** `fn(sample)` computed once per sample: a sample is immutable, and the header and banners are
 * drawn on every key press (detectDockerGeneration and explainSample walk every table; at 50,000
 * rules that was milliseconds a frame, several times over). */
function perSample<T>(fn: (sample: RatedSample) => T): (sample: RatedSample) => T {
	const cache = new WeakMap<RatedSample, T>();
	return sample => {
		if (cache.has(sample)) return cache.get(sample)!;
		const value = fn(sample);
		cache.set(sample, value);
		return value;
	};
}

// Every chain the detection looks for is named DOCKER-*; handing it only those saves building a
// set of 17,000 chain names per sample at 50,000 rules.
const dockerOf = perSample(sample => detectDockerGeneration(sample.tables.map(table =>
	({name: table.name, chains: table.chains.filter(chain => chain.name.startsWith('DOCKER'))}))));
const bannersOf = perSample(explainSample);

/** What the header says, each part with how long it stays when the line is too narrow (the
 * lowest `keep` goes first). */
function headerParts(state: State, description: SourceDescription, now: number): Part[] {
	const parts: Part[] = [
		{text: sanitize(description.host), tone: 'plain', keep: 4},
		{text: backend(description, state), tone: 'plain', keep: 5},
	];
	const nft = nftPart(state);
	if (nft !== null) parts.push({text: nft, tone: 'plain', keep: 5});
	const docker = state.sample === null ? null : dockerOf(state.sample);
	if (docker !== null) parts.push({text: `Docker ${docker}`, tone: 'plain', keep: 3});
	parts.push({text: state.family === 'ipv4' ? 'IPv4' : 'IPv6', tone: 'plain', keep: 6}, {text: interval(state), tone: 'plain', keep: 2});
	// At the end of a replay the last sample's age would only grow: say why nothing moves instead.
	if (state.ended) parts.push({text: 'replay ended — q to quit', tone: 'warn', keep: 11});
	else if (state.receivedAt === null || state.sample === null) parts.push({text: 'waiting for the first sample…', tone: 'plain', keep: 7});
	else parts.push({text: `${formatAge(now - state.receivedAt)} ago`, tone: 'plain', keep: 7}, {text: `read ${formatDuration(state.sample.readMs)}`, tone: 'plain', keep: 1});
	if (state.mark !== null) parts.push({text: `mark ${formatAge(now - state.mark.at)} ago`, tone: 'note', keep: 9});
	if (state.paused) parts.push({text: 'PAUSED', tone: 'warn', keep: 10});
	if (state.sample?.approximate === true) parts.push({text: 'approximate counters', tone: 'note', keep: 8});
	return parts;
}

const TITLE = 'fwtop';

/** `fwtop  host · nf_tables 1.8.9 · Docker 27 · IPv4 · every 1s · 0.4s ago · read 35ms · mark 12s
 * ago · PAUSED`; parts are left out, least needed first, until it fits `width`. */
export function headerLine(state: State, description: SourceDescription, now: number, width = Number.POSITIVE_INFINITY): Line {
	const parts = headerParts(state, description, now);
	const length = (): number => TITLE.length + 2 + parts.reduce((sum, part) => sum + displayWidth(part.text), 0) + 3 * Math.max(0, parts.length - 1);
	while (parts.length > 1 && length() > width) {
		const lowest = parts.reduce((low, part, index) => (part.keep < parts[low]!.keep ? index : low), 0);
		parts.splice(lowest, 1);
	}

	return [seg(TITLE, 'title'), ...parts.map((part, index) => seg((index === 0 ? '  ' : ' · ') + part.text, part.tone))];
}

const BANNER_LINES = 2;

/** `text` wrapped to `width`, at most `max` lines, the last cut with `…` when there is more. */
function clampWrap(text: string, width: number, max: number): string[] {
	const lines = wrap(text, width);
	const shown = lines.slice(0, max);
	if (lines.length > max) shown[max - 1] = truncate(shown[max - 1]! + ' ' + lines[max]!, width);
	return shown;
}

const LEGACY_WARNING = /legacy tables present/i;

/** The error with its retry countdown; else the host's banners (explain.ts: a split legacy/nft
 * host, Docker's nftables accept undone by a FORWARD DROP) and the sample's warnings (one line;
 * the split-host banner says what the legacy-tables warning says). Empty when all is well. */
export function alertLines(state: State, now: number, width: number): Line[] {
	if (state.error !== null) {
		const seconds = Math.max(0, Math.ceil((state.error.retryAt - now) / 1000));
		return [[seg(`read failed: ${sanitize(state.error.message)} — retrying in ${seconds}s`, 'error')]];
	}

	if (state.sample === null) return [];
	const banners = bannersOf(state.sample);
	const lines: Line[] = banners.flatMap(banner => clampWrap(banner.text, width, BANNER_LINES).map(text => [seg(text, 'warn')]));
	const split = banners.some(banner => banner.id === 'split-host');
	const warnings = state.sample.warnings.filter(warning => !(split && LEGACY_WARNING.test(warning)));
	if (warnings.length > 0) {
		const more = warnings.length > 1 ? ` (+${warnings.length - 1} more)` : '';
		lines.push([seg(`warning: ${sanitize(warnings[0]!)}${more}`, 'note')]);
	}

	return lines;
}

const tableLabel = (state: State): string => (state.table === 'all' ? 'all tables' : state.table);

function crumb(state: State, frame: Frame, previous: Frame | undefined): string[] {
	const {view} = frame;
	if (view.kind === 'rule') {
		const rule = findChain(state, view.table, view.chain)?.chain.rules.find(candidate => candidate.key === view.rule);
		const where = previous?.view.kind === 'chain' && previous.view.table === view.table && previous.view.chain === view.chain
			? [] : [sanitize(view.table), sanitize(view.chain)];
		return [...where, rule === undefined ? 'rule (gone)' : `rule #${rule.index}`];
	}

	if (view.kind !== 'chain') return [];
	const previousTable = previous?.view.kind === 'chain' ? previous.view.table : undefined;
	return previousTable === view.table ? [sanitize(view.chain)] : [sanitize(view.table), sanitize(view.chain)];
}

/** The drill-down stack as a path: `nat › PREROUTING › DOCKER`. */
export function breadcrumb(state: State): string {
	const root = rootView(state) === 'path' ? `path (${state.pathKind})` : tableLabel(state);
	if (state.stack.length === 1) return root;
	const crumbs = state.stack.slice(1).flatMap((frame, index) => crumb(state, frame, state.stack[index]));
	return (rootView(state) === 'path' ? ['path', ...crumbs] : crumbs).join(' › ');
}

function sortLabel(state: State, kind: View['kind']): string {
	if (state.mark !== null) return `Δ ${state.mark.sort}`;
	return state.sort === 'order' ? (kind === 'chain' ? 'rule order' : 'hook order') : state.sort;
}

function hiddenLabel(state: State, kind: View['kind']): string | undefined {
	const what = state.mark === null ? 'idle' : 'unmoved';
	const hidden = state.mark?.hideUnmoved ?? (kind === 'path' ? state.pathHideIdle : state.hideIdle);
	if (!hidden || kind === 'rule') return undefined;
	return `${what} ${kind === 'path' ? 'folded' : 'hidden'}`;
}

function flags(state: State): string[] {
	const result: string[] = [];
	const kind = topFrame(state).view.kind;
	if (kind === 'chain' || kind === 'overview') result.push(`sort: ${sortLabel(state, kind)}`);
	if (state.filter.text !== '') result.push(`filter: ${sanitize(state.filter.text)}`);
	const hidden = hiddenLabel(state, kind);
	if (hidden !== undefined) result.push(hidden);
	if (state.baseline !== null && state.mark === null) result.push(`counters since ${state.baseline.time.toTimeString().slice(0, 8)}`);
	if (state.bits) result.push('bits/s');
	return result;
}

export function statusLine(state: State): Line {
	const rest = flags(state);
	return [seg(breadcrumb(state), 'title'), ...(rest.length === 0 ? [] : [seg('   ' + rest.join(' · '), 'dim')])];
}

const NOTE_LINES = 2;

/** What Docker uses the chain for, and for nat, that its counters see first packets only; each
 * wrapped to at most two lines. */
export function notes(state: State, width: number): Line[] {
	const {view} = topFrame(state);
	if (view.kind !== 'chain') return [];
	const texts: Array<[string, Tone]> = [];
	const found = findChain(state, view.table, view.chain);
	// Docker's chains and the nat note go by the table's name (`docker-bridges`, `nat`), which
	// view.table qualifies with the nft family (state.ts tableId).
	const name = found?.table.name ?? view.table;
	const facts = found === undefined ? null : chainFacts(found.chain);
	if (facts !== null) texts.push([facts, 'dim']);
	const docker = dockerChainInfo(name, view.chain);
	if (docker !== null) texts.push([`Docker: ${sanitize(docker.summary)}`, 'note']);
	if (name === 'nat' || found?.chain.type === 'nat') texts.push([natNote, 'dim']);
	return texts.flatMap(([text, tone]) => clampWrap(text, width, NOTE_LINES).map(line => [seg(line, tone)]));
}

/** The lines that come and go around the view, and the body they leave between the header lines
 * and the footer: worked out once a frame by the root (notes look the chain up in the sample). */
export type Chrome = {alerts: Line[]; notes: Line[]; body: number};

export function chromeOf(state: State, now: number, width: number, height: number): Chrome {
	const alerts = alertLines(state, now, width);
	const noteLines = notes(state, width);
	return {alerts, notes: noteLines, body: Math.max(1, height - 3 - alerts.length - noteLines.length)};
}

/** Rows of the list: the body (chromeOf) less its column header. */
export function listRows(body: number): number {
	return Math.max(1, body - 1);
}
