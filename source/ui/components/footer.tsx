import {Text} from 'ink';
import {hints} from '../keymap.ts';
import {truncate} from '../text.ts';

/** Key hints generated from the keymap, as many as fit. */
export function Footer({width, help}: {width: number; help: boolean}) {
	const items = hints(help ? 'help' : 'list').map(item => `${item.keys} ${item.hint}`);
	let line = '';
	for (const item of items) {
		const next = line === '' ? item : `${line}  ${item}`;
		if (next.length > width) break;
		line = next;
	}

	return <Text dimColor wrap="truncate">{truncate(line, width)}</Text>;
}
