import {useEffect, useState} from 'react';

/** A tick that lands this much after the interval does not race a sample arriving on time. */
const SLACK_MS = 150;

/** Re-renders when nothing has rendered for `ms` (a little more), so the age of the sample and the
 * retry countdown move. Every render re-arms it: while samples arrive at least that often (1 Hz,
 * the default) the tick never renders on its own; before, it was every other frame at 1 Hz. */
export function useTick(ms: number): void {
	const [, setTick] = useState(0);
	useEffect(() => {
		const timer = setTimeout(() => {
			setTick(tick => tick + 1);
		}, ms + SLACK_MS);
		return () => {
			clearTimeout(timer);
		};
	});
}
