import {dockerChainInfo, natNote} from '../core/docker.ts';
import type {SourceDescription} from '../core/sample-source.ts';
import {formatAge, formatDuration, formatInterval} from './format.ts';
import {sanitize} from './sanitize.ts';
import {type Frame, type State, findChain, rootView, topFrame} from './state.ts';
import type {Tone} from './theme.ts';
import {truncate, wrap} from './text.ts';

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

/** `fwtop  host · nf_tables 1.8.9 · IPv4 · every 1s · 0.4s ago · read 35ms · PAUSED` */
export function headerLine(state: State, description: SourceDescription, now: number): Line {
	const age = state.receivedAt === null || state.sample === null
		? 'waiting for the first sample…'
		: `${formatAge(now - state.receivedAt)} ago · read ${formatDuration(state.sample.readMs)}`;
	const parts = [sanitize(description.host), backend(description, state), state.family === 'ipv4' ? 'IPv4' : 'IPv6', interval(state), age];
	const line: Line = [seg('fwtop', 'title'), seg('  ' + parts.join(' · '))];
	if (state.paused) line.push(seg(' · '), seg('PAUSED', 'warn'));
	if (state.sample?.approximate === true) line.push(seg(' · '), seg('approximate counters', 'note'));
	return line;
}

/** The error with its retry countdown, else the sample's warnings; null when all is well. */
export function alertLine(state: State, now: number): Line | null {
	if (state.error !== null) {
		const seconds = Math.max(0, Math.ceil((state.error.retryAt - now) / 1000));
		return [seg(`read failed: ${sanitize(state.error.message)} — retrying in ${seconds}s`, 'error')];
	}

	const warnings = state.sample?.warnings ?? [];
	if (warnings.length === 0) return null;
	const more = warnings.length > 1 ? ` (+${warnings.length - 1} more)` : '';
	return [seg(`warning: ${sanitize(warnings[0]!)}${more}`, 'note')];
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

function flags(state: State): string[] {
	const result: string[] = [];
	const kind = topFrame(state).view.kind;
	if (kind === 'chain' || kind === 'overview') result.push(`sort: ${state.sort === 'order' ? (kind === 'chain' ? 'rule order' : 'hook order') : state.sort}`);
	if (state.filter.text !== '') result.push(`filter: ${sanitize(state.filter.text)}`);
	const hidden = kind === 'path' ? state.pathHideIdle : state.hideIdle;
	if (hidden && kind !== 'rule') result.push(kind === 'path' ? 'idle folded' : 'idle hidden');
	if (state.baseline !== null) result.push(`counters since ${state.baseline.time.toTimeString().slice(0, 8)}`);
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
	const docker = dockerChainInfo(view.table, view.chain);
	if (docker !== null) texts.push([`Docker: ${sanitize(docker.summary)}`, 'note']);
	if (view.table === 'nat') texts.push([natNote, 'dim']);
	return texts.flatMap(([text, tone]) => {
		const lines = wrap(text, width);
		const shown = lines.slice(0, NOTE_LINES);
		if (lines.length > NOTE_LINES) shown[NOTE_LINES - 1] = truncate(shown[NOTE_LINES - 1]! + ' ' + lines[NOTE_LINES]!, width);
		return shown.map(line => [seg(line, tone)]);
	});
}

export function hasAlert(state: State): boolean {
	return state.error !== null || (state.sample?.warnings.length ?? 0) > 0;
}

/** Lines left for the view between the header lines and the footer. */
export function bodyHeight(state: State, width: number, height: number): number {
	return Math.max(1, height - 3 - (hasAlert(state) ? 1 : 0) - notes(state, width).length);
}

/** Rows of the list: the body less its column header. */
export function listRows(state: State, width: number, height: number): number {
	return Math.max(1, bodyHeight(state, width, height) - 1);
}
