import {type Dispatch, useEffect} from 'react';
import type {SampleSource} from '../../core/sample-source.ts';
import type {Action} from '../reducer.ts';

/** Subscribes to the source for the life of the dashboard, starts it, and stops it on unmount.
 * Each event is stamped with the clock when it arrives. */
export function useSource(source: SampleSource, dispatch: Dispatch<Action>, clock: () => number): void {
	useEffect(() => {
		const unsubscribe = source.subscribe(event => {
			switch (event.type) {
				case 'sample':
					dispatch({type: 'sample', sample: event.sample, now: clock()});
					break;
				case 'error':
					dispatch({type: 'error', message: event.message, retryInMs: event.retryInMs, now: clock()});
					break;
				case 'interval':
					dispatch({type: 'interval', requestedMs: event.requestedMs, effectiveMs: event.effectiveMs});
					break;
				case 'end':
					dispatch({type: 'end'});
					break;
			}
		});
		source.start();
		return () => {
			unsubscribe();
			source.stop();
		};
	}, [source, dispatch, clock]);
}
