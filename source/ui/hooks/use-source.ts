import {type Dispatch, useEffect} from 'react';
import type {Family} from '../../core/model.ts';
import type {SampleSource, SourceEvent} from '../../core/sample-source.ts';
import {type Action, reduce} from '../reducer.ts';
import type {State} from '../state.ts';

/** The reducer's action for a source event, stamped with the clock when it arrives. */
export function actionOf(event: SourceEvent, now: number): Action {
	switch (event.type) {
		case 'sample': return {type: 'sample', sample: event.sample, now};
		case 'error': return {type: 'error', message: event.message, retryInMs: event.retryInMs, now};
		case 'interval': return {type: 'interval', requestedMs: event.requestedMs, effectiveMs: event.effectiveMs};
		case 'end': return {type: 'end'};
	}
}

/** `state` with what a source started early has already emitted (the first read, done while Ink
 * loaded): the first frame shows the sample instead of waiting for the subscription's effect and
 * a second frame. */
export function withEarlyEvents(state: State, source: SampleSource, clock: () => number): State {
	const events = source.takeEarly?.() ?? [];
	return events.reduce((next, event) => reduce(next, actionOf(event, clock())), state);
}

/** Subscribes to the source for the life of the dashboard, starts it, and stops it on unmount. */
export function useSource(source: SampleSource, dispatch: Dispatch<Action>, clock: () => number): void {
	useEffect(() => {
		const unsubscribe = source.subscribe(event => {
			dispatch(actionOf(event, clock()));
		});
		source.start();
		return () => {
			unsubscribe();
			source.stop();
		};
	}, [source, dispatch, clock]);
}

/** The families the source should read: the shown one, once the first sample has said which
 * families the host has; every family while a `z` or `m` snapshot waits for one the sample only
 * carried (mark.ts). */
export function focusOf(state: Pick<State, 'sample' | 'family' | 'baseline' | 'mark'>): Family | 'all' {
	if (state.sample === null || state.baseline?.pending !== undefined || state.mark?.pending !== undefined) return 'all';
	return state.family;
}

/** Tells the source what to read when that changes: on a host with both families, the dashboard
 * then runs one `-save` a read instead of two (poller.ts reads the other now and then). */
export function useFocus(source: SampleSource, focus: Family | 'all'): void {
	useEffect(() => {
		source.focus?.(focus === 'all' ? undefined : [focus]);
	}, [source, focus]);
}
