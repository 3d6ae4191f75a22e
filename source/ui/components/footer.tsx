import {Text} from 'ink';
import {footerText} from '../keymap.ts';
import {truncate} from '../text.ts';

/** Key hints generated from the keymap, as many as fit. */
export function Footer({width, help}: {width: number; help: boolean}) {
	return <Text dimColor wrap="truncate">{truncate(footerText(width, help), width)}</Text>;
}
