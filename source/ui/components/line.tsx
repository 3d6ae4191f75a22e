import {Text} from 'ink';
import type {Line} from '../chrome.ts';
import {toneProps} from '../theme.ts';

/** One terminal line of styled segments, cut at the terminal's edge. */
export function LineView({line, color}: {line: Line; color: boolean}) {
	if (line.length === 0) return <Text> </Text>;
	return (
		<Text wrap="truncate">
			{line.map((segment, index) => (
				// Segments have no identity of their own; their position is their key.
				<Text key={index} {...toneProps(segment.tone, color)}>{segment.text}</Text>
			))}
		</Text>
	);
}
