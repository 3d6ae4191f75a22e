import {Text, useInput} from 'ink';
import type {Dispatch} from 'react';
import {keysOf} from '../keymap.ts';
import type {Action} from '../reducer.ts';
import {sanitize} from '../sanitize.ts';
import {truncate} from '../text.ts';

// The `/` text box. While it is open the root's key handler is off (isActive) and this one is on;
// the reducer treats printable keys as text in this scope, so only Ctrl-C (scope `always`) still
// quits.

type Props = {text: string; width: number; dispatch: Dispatch<Action>; now: () => number};

export function FilterBox({text, width, dispatch, now}: Props) {
	useInput((input, key) => {
		for (const name of keysOf(input, key)) dispatch({type: 'key', key: name, now: now()});
	});
	return (
		<Text wrap="truncate">
			<Text bold>/</Text>
			{truncate(sanitize(text), Math.max(1, width - 30))}
			<Text inverse> </Text>
			<Text dimColor>  Enter keep · Esc clear</Text>
		</Text>
	);
}
