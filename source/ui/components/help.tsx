import {Box, Text} from 'ink';
import {KEYMAP, keysFor, keysLabel} from '../keymap.ts';
import {fit, truncate, wrap} from '../text.ts';

// Generated from the keymap: what is bound is what is shown.

const KEYS_WIDTH = 16;

function bindingLines(width: number): string[] {
	return KEYMAP.filter(binding => binding.scope === 'list' || binding.scope === 'always')
		.map(binding => truncate(`${fit(keysLabel(binding), KEYS_WIDTH)}${binding.description}`, width - 1));
}

function filterLines(width: number): string[] {
	const keys = KEYMAP.filter(binding => binding.scope === 'filter').map(binding => `${keysLabel(binding)} ${binding.description}`);
	return wrap(`In the ${keysFor('filter')} box: ${keys.join(' · ')}.`, width);
}

export function Help({width, height}: {width: number; height: number}) {
	const footer = filterLines(width);
	const rows = Math.max(1, height - 1 - footer.length);
	const columns = bindingLines(width).length > rows && width >= 80 ? 2 : 1;
	const columnWidth = Math.min(Math.floor(width / columns), 48);
	const lines = bindingLines(columnWidth);
	const perColumn = Math.ceil(lines.length / columns);
	return (
		<Box flexDirection="column" height={height}>
			<Text bold wrap="truncate">{`Keys (${keysFor('closeHelp').split(' ').join(' or ')} closes this)`}</Text>
			<Box>
				{Array.from({length: columns}, (_, column) => (
					<Box key={column} flexDirection="column" width={columnWidth}>
						{lines.slice(column * perColumn, (column + 1) * perColumn).slice(0, rows).map(line => (
							<Text key={line} wrap="truncate">{line}</Text>
						))}
					</Box>
				))}
			</Box>
			{footer.map(line => <Text key={line} dimColor wrap="truncate">{line}</Text>)}
		</Box>
	);
}
