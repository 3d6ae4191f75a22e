import type {RatedSample} from '../core/model.ts';
import {maxHelpTop} from './help-text.ts';
import {recordHistory} from './history.ts';
import {type Command, type KeyName, commandFor, isText} from './keymap.ts';
import {completed, snapshot} from './mark.ts';
import {detail, drillIn, moveBy, moveTo, pop, push, refresh, resetStack, setViewport} from './navigation.ts';
import {
	INTERVAL_STEPS, PATH_KINDS, SORT_CYCLE, SORT_HOLD_MS, type State, type View,
	orderTables, rootView, sortsByValue, tableChoices, tableId, topFrame,
} from './state.ts';

// Every change to the dashboard goes through `reduce`: source events, keys (as commands) and the
// terminal size. Time comes in with the action, so the reducer stays pure and tests need no clock.

export type Action =
	| {type: 'sample'; sample: RatedSample; now: number}
	| {type: 'error'; message: string; retryInMs: number; now: number}
	| {type: 'interval'; requestedMs: number; effectiveMs: number}
	/** The source has ended (a replay without --loop): no sample follows. */
	| {type: 'end'}
	/** The list's rows; the terminal's width and the body's height when the root knows them. */
	| {type: 'viewport'; rows: number; width?: number; body?: number}
	| {type: 'command'; command: Command; now: number}
	/** A key, resolved here against the scope the state is in (so `/abc` in one read opens the
	 * filter box and types `abc` into it, whatever the handlers' closures saw). */
	| {type: 'key'; key: KeyName; now: number}
	| {type: 'filterText'; text: string};

function cycle<T>(values: readonly T[], current: T): T {
	return values[(values.indexOf(current) + 1) % values.length]!;
}

/** The first sample decides what the flags could not: which table holds `--chain`, and the
 * family when none was asked for and the host has only IPv6 tables. */
function resolveStart(state: State): State {
	let next = state;
	const families = new Set(state.sample?.tables.map(table => table.family));
	if (!state.familyChosen && !families.has(state.family) && families.size > 0) {
		next = {...next, family: families.has('ipv4') ? 'ipv4' : 'ipv6'};
	}

	const pending = next.pendingChain;
	if (pending === null) return next;
	next = {...next, pendingChain: null};
	const candidates = next.sample?.tables
		.filter(candidate => candidate.family === next.family && (pending.table === undefined || candidate.name === pending.table || tableId(candidate) === pending.table));
	const table = orderTables(candidates ?? []).find(candidate => candidate.chains.some(chain => chain.name === pending.chain));
	if (table === undefined) return next;
	// Esc from the chain lands on it in the overview.
	const key = table.chains.find(chain => chain.name === pending.chain)!.key;
	const root = {...next.stack[0]!, selected: key};
	return push(refresh({...next, stack: [root]}), {kind: 'chain', table: tableId(table), chain: pending.chain});
}

function show(state: State, sample: RatedSample, receivedAt: number, now: number): State {
	const first = state.sample === null;
	const next = resolveStart({...state, sample, receivedAt, history: recordHistory(state.history, sample)});
	if (first) return refresh(next);
	return refresh(next, {previous: state.rows, hold: sortsByValue(next) && now - state.movedAt < SORT_HOLD_MS});
}

/** `z` and `m` take the same snapshot of the shown sample (mark.ts says how they differ). `m`
 * again moves the mark and keeps how the diff is sorted and what it hides. */
function zero(state: State, now: number): State {
	return state.sample === null ? state : refresh({...state, baseline: snapshot(state.sample, now)});
}

function setMark(state: State, now: number): State {
	if (state.sample === null) return state;
	const {sort, hideUnmoved} = state.mark ?? {sort: 'packets', hideUnmoved: true};
	return refresh({...state, mark: {...snapshot(state.sample, now), sort, hideUnmoved}});
}

function cycleSort(state: State): State {
	if (state.mark !== null) return refresh({...state, mark: {...state.mark, sort: state.mark.sort === 'packets' ? 'bytes' : 'packets'}});
	return refresh({...state, sort: cycle(SORT_CYCLE, state.sort)});
}

function scrollHelp(state: State, delta: number): State {
	const max = maxHelpTop(state.viewportWidth, state.bodyRows);
	return {...state, helpTop: Math.max(0, Math.min(max, state.helpTop + delta))};
}

function viewport(state: State, action: Extract<Action, {type: 'viewport'}>): State {
	const next = setViewport(state, action.rows);
	const width = action.width ?? next.viewportWidth;
	const body = action.body ?? next.bodyRows;
	if (width === next.viewportWidth && body === next.bodyRows) return next;
	const sized = {...next, viewportWidth: width, bodyRows: body};
	return {...sized, helpTop: Math.min(sized.helpTop, maxHelpTop(width, body))};
}

function stepInterval(state: State, direction: 1 | -1): State {
	const current = state.interval.requestedMs;
	const requestedMs = direction > 0
		? INTERVAL_STEPS.find(step => step > current) ?? current
		: INTERVAL_STEPS.findLast(step => step < current) ?? current;
	return {...state, interval: {...state.interval, requestedMs}};
}

function togglePause(state: State, now: number): State {
	if (!state.paused) return {...state, paused: true};
	const resumed = {...state, paused: false};
	if (state.latest === null || state.latest === state.sample) return resumed;
	return show(resumed, state.latest, state.latestAt ?? now, now);
}

/** The table after the shown one in tableChoices (a bare `--table` name counts as its first table). */
function nextTable(state: State): string {
	const choices = tableChoices(state);
	const at = choices.indexOf(state.table);
	const index = at >= 0 ? at : choices.findIndex(choice => choice.split(' ').at(-1) === state.table);
	return choices[(index + 1) % choices.length]!;
}

function cycleTable(state: State): State {
	if (rootView(state) === 'path') return resetStack({...state, pathKind: cycle(PATH_KINDS, state.pathKind)}, {kind: 'path'});
	return resetStack({...state, table: nextTable(state)}, {kind: 'overview'});
}

function toggleIdle(state: State): State {
	if (state.mark !== null) return refresh({...state, mark: {...state.mark, hideUnmoved: !state.mark.hideUnmoved}});
	if (topFrame(state).view.kind === 'path') return refresh({...state, pathHideIdle: !state.pathHideIdle});
	return refresh({...state, hideIdle: !state.hideIdle});
}

function back(state: State): State {
	if (state.stack.length > 1) return pop(state);
	return state.filter.text === '' ? state : refresh({...state, filter: {text: '', editing: false}});
}

const rootOf = (state: State): View => ({kind: rootView(state)});

export function runCommand(state: State, command: Command, now: number): State {
	switch (command) {
		case 'up': return moveBy(state, -1, now);
		case 'down': return moveBy(state, 1, now);
		case 'pageUp': return moveBy(state, -Math.max(1, state.viewportRows - 1), now);
		case 'pageDown': return moveBy(state, Math.max(1, state.viewportRows - 1), now);
		case 'home': return moveTo(state, 0, now);
		case 'end': return moveTo(state, state.rows.length - 1, now);
		case 'enter': return drillIn(state);
		case 'detail': return detail(state);
		case 'back': return back(state);
		case 'cycleTable': return cycleTable(state);
		case 'family4': return resetStack({...state, family: 'ipv4', familyChosen: true}, rootOf(state));
		case 'family6': return resetStack({...state, family: 'ipv6', familyChosen: true}, rootOf(state));
		case 'toggleView': return resetStack(state, {kind: rootView(state) === 'path' ? 'overview' : 'path'});
		case 'filter': return {...state, filter: {...state.filter, editing: true}};
		case 'cycleSort': return cycleSort(state);
		case 'toggleIdle': return toggleIdle(state);
		case 'pause': return togglePause(state, now);
		case 'intervalUp': return stepInterval(state, 1);
		case 'intervalDown': return stepInterval(state, -1);
		case 'zero': return zero(state, now);
		case 'mark': return setMark(state, now);
		case 'clearMark': return state.mark === null ? state : refresh({...state, mark: null});
		case 'bits': return {...state, bits: !state.bits};
		case 'help': return {...state, help: true, helpTop: 0};
		case 'closeHelp': return {...state, help: false};
		case 'helpUp': return scrollHelp(state, -1);
		case 'helpDown': return scrollHelp(state, 1);
		case 'helpPageUp': return scrollHelp(state, -Math.max(1, state.bodyRows - 2));
		case 'helpPageDown': return scrollHelp(state, Math.max(1, state.bodyRows - 2));
		case 'quit': return {...state, quit: true};
		case 'filterApply': return {...state, filter: {...state.filter, editing: false}};
		case 'filterCancel': return refresh({...state, filter: {text: '', editing: false}});
		case 'filterErase': return refresh({...state, filter: {...state.filter, text: [...state.filter.text].slice(0, -1).join('')}});
	}
}

export function reduce(state: State, action: Action): State {
	switch (action.type) {
		case 'sample': {
			// A snapshot waiting for a family takes it from the first read of it, shown or not (paused).
			const {sample} = action;
			const baseline = state.baseline && completed(state.baseline, sample);
			const mark = state.mark && completed(state.mark, sample);
			const next = {...state, latest: sample, latestAt: action.now, error: null, baseline, mark};
			return state.paused ? next : show(next, sample, action.now, action.now);
		}

		case 'error': return {...state, error: {message: action.message, retryAt: action.now + action.retryInMs}};
		case 'interval': return {...state, interval: {requestedMs: action.requestedMs, effectiveMs: action.effectiveMs}};
		case 'end': return {...state, ended: true, error: null};
		case 'viewport': return viewport(state, action);
		case 'command': return runCommand(state, action.command, action.now);
		case 'key': return pressKey(state, action.key, action.now);
		case 'filterText': return refresh({...state, filter: {...state.filter, text: state.filter.text + action.text}});
	}
}

function pressKey(state: State, key: KeyName, now: number): State {
	if (state.filter.editing && isText(key)) return reduce(state, {type: 'filterText', text: key === 'space' ? ' ' : key});
	const command = commandFor(state.filter.editing ? 'filter' : state.help ? 'help' : 'list', key);
	return command === undefined ? state : runCommand(state, command, now);
}
