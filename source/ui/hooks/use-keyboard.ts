import {useInput, useStdin} from 'ink';
import {type Dispatch, useEffect} from 'react';
import {keysOf} from '../keymap.ts';
import type {Action} from '../reducer.ts';

/** The one key handler of the dashboard: every key becomes an action; the reducer decides what it
 * means in the scope it is in. It reads nothing from its closure, so keys typed faster than a
 * render are all kept (`jjj` in one read is three moves). Off while the filter box has the keys. */
export function useKeyboard(dispatch: Dispatch<Action>, clock: () => number, isActive: boolean): void {
	// Raw mode is held for the dashboard's whole life. Ink 6.8 counts raw-mode users and, when the
	// count drops to zero, detaches stdin and drops an Esc still waiting to be told apart from an
	// escape sequence (App.js); handing the keys between this handler and the filter box's would
	// pass through zero and lose that Esc.
	const {setRawMode, isRawModeSupported} = useStdin();
	useEffect(() => {
		if (!isRawModeSupported) return;
		setRawMode(true);
		return () => {
			setRawMode(false);
		};
	}, [setRawMode, isRawModeSupported]);

	useInput((input, key) => {
		for (const name of keysOf(input, key)) dispatch({type: 'key', key: name, now: clock()});
	}, {isActive});
}
