import {useEffect, useState} from 'react';

/** Re-renders every `ms` so the age of the sample and the retry countdown move. */
export function useTick(ms: number): void {
	const [, setTick] = useState(0);
	useEffect(() => {
		const timer = setInterval(() => {
			setTick(tick => tick + 1);
		}, ms);
		return () => {
			clearInterval(timer);
		};
	}, [ms]);
}
