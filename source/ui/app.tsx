import {useApp} from 'ink';
import {useEffect, useReducer, useRef} from 'react';
import type {SampleSource} from '../core/sample-source.ts';
import {chromeOf, listRows} from './chrome.ts';
import {Screen} from './components/screen.tsx';
import {useKeyboard} from './hooks/use-keyboard.ts';
import {focusOf, useFocus, useSource, withEarlyEvents} from './hooks/use-source.ts';
import {useTerminalSize} from './hooks/use-terminal-size.ts';
import {useTick} from './hooks/use-tick.ts';
import {reduce} from './reducer.ts';
import {type InitialOptions, createState} from './state.ts';

export type AppProps = {
	source: SampleSource;
	initial: InitialOptions;
	/** False for NO_COLOR / --no-color: no colour at all, only bold, dim and inverse. */
	color: boolean;
	/** Monotonic milliseconds; tests pass a fake one. */
	clock?: () => number;
};

const monotonic = (): number => performance.now();

/** The root: owns the state (one reducer), the one key handler, the source subscription and the
 * terminal size. Everything it renders gets plain props. */
export function App({source, initial, color, clock = monotonic}: AppProps) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	// One line less than the terminal: output as tall as the screen makes Ink 6 clear and redraw
	// everything on each frame (ink.js, `outputHeight >= stdout.rows`).
	const height = Math.max(3, rows - 1);
	const [state, dispatch] = useReducer(reduce, initial, options => withEarlyEvents(createState(options), source, clock));
	useSource(source, dispatch, clock);
	useFocus(source, focusOf(state));
	useKeyboard(dispatch, clock, !state.filter.editing);
	useTick(1000);

	const now = clock();
	const chrome = chromeOf(state, now, columns, height);
	const {body} = chrome;
	const viewport = listRows(body);
	useEffect(() => {
		dispatch({type: 'viewport', rows: viewport, width: columns, body});
	}, [viewport, columns, body]);

	const sentInterval = useRef(initial.intervalMs);
	useEffect(() => {
		if (state.interval.requestedMs === sentInterval.current) return;
		sentInterval.current = state.interval.requestedMs;
		source.setIntervalMs(state.interval.requestedMs);
	}, [source, state.interval.requestedMs]);

	useEffect(() => {
		if (state.quit) exit();
	}, [state.quit, exit]);

	return (
		<Screen
			state={state}
			description={source.describe()}
			now={now}
			width={columns}
			height={height}
			chrome={chrome}
			color={color}
			dispatch={dispatch}
			clock={clock}
		/>
	);
}
