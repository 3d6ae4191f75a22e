import {Box, Text} from 'ink';
import {detailLines} from '../detail.ts';
import {keysFor} from '../keymap.ts';
import type {State} from '../state.ts';
import {LineView} from './line.tsx';

type Props = {state: State; view: {table: string; chain: string; rule: string}; top: number; width: number; height: number; color: boolean};

/** The rule detail, scrolled by the movement keys when it is taller than the screen. */
export function RuleDetail({state, view, top, width, height, color}: Props) {
	const lines = detailLines(state, view, width);
	const first = Math.max(0, Math.min(top, lines.length - height));
	const more = lines.length - first - height;
	const shown = lines.slice(first, first + (more > 0 ? height - 1 : height));
	return (
		<Box flexDirection="column" height={height}>
			{shown.map((line, index) => (
				// Lines are positional: the detail is redrawn whole on every sample.
				<LineView key={first + index} line={line} color={color}/>
			))}
			{more > 0 && <Text dimColor>{`… ${more + 1} more lines (${keysFor('down')})`}</Text>}
		</Box>
	);
}
