import cliTruncate from 'cli-truncate';
import wrapAnsi from 'wrap-ansi';
import {frameMemo} from './frame-drawn.ts';

// Ink's wrap-text.js with a memory that forgets. Ink remembers every text it ever wrapped or
// truncated, in an object it never empties (see ink-measure-text.ts for what that does to a
// dashboard that runs for days); this one keeps the last two frames' texts (bounded-memo.ts). The
// wrapping is Ink's: wrap-ansi with hard breaks, or cli-truncate at the end, middle or start.

const rememberedWraps = frameMemo<string>();

const truncatePositions = {'truncate-middle': 'middle', 'truncate-start': 'start'} as const;

function wrap(text: string, maxWidth: number, wrapType: string): string {
	if (wrapType === 'wrap') return wrapAnsi(text, maxWidth, {trim: false, hard: true});
	if (!wrapType.startsWith('truncate')) return text;
	const position = truncatePositions[wrapType as keyof typeof truncatePositions] ?? 'end';
	return cliTruncate(text, maxWidth, {position});
}

export default function wrapText(text: string, maxWidth: number, wrapType: string): string {
	return rememberedWraps.get(`${maxWidth} ${wrapType} ${text}`, () => wrap(text, maxWidth, wrapType));
}

/** How many wrapped texts are remembered now: for tests. */
export const wrapsRemembered = (): number => rememberedWraps.size;
