import {useStdout} from 'ink';
import {useEffect, useState} from 'react';
import {type TerminalSize, terminalSizeOf} from '../waiting-frame.ts';

/** The terminal's size, following `resize`. Only the root calls this; everything below gets
 * width and height as props, so it can be rendered at any size in tests. */
export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => terminalSizeOf(stdout));
	useEffect(() => {
		const onResize = (): void => {
			const next = terminalSizeOf(stdout);
			setSize(previous => (previous.columns === next.columns && previous.rows === next.rows ? previous : next));
		};

		onResize();
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
