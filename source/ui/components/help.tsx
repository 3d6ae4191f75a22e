import {Box, Text} from 'ink';
import {helpWindow} from '../help-text.ts';
import {keysFor} from '../keymap.ts';

/** The help overlay, generated from the keymap; scrolled from `top` when taller than `height`. */
export function Help({width, height, top}: {width: number; height: number; top: number}) {
	const {title, lines, more} = helpWindow(width, height, top);
	return (
		<Box flexDirection="column" height={height}>
			<Text bold wrap="truncate">{title}</Text>
			{lines.map((line, index) => (
				// Lines are positional: the help is redrawn whole when it scrolls.
				<Text key={index} dimColor={line.dim} wrap="truncate">{line.text}</Text>
			))}
			{more > 0 && <Text dimColor wrap="truncate">{`… ${more} more lines (${keysFor('helpDown')})`}</Text>}
		</Box>
	);
}
