import {Text} from 'ink';
import {footerText} from '../keymap.ts';

/** Key hints generated from the keymap, as many as fit. */
export function Footer({width, help}: {width: number; help: boolean}) {
	return <Text dimColor wrap="truncate">{footerText(width, help)}</Text>;
}
