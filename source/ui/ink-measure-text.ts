import {widestLine} from './measured-width.ts';

// Ink's measure-text.js, without its memory. Ink keeps the size of every text it was ever asked to
// lay out in a Map it never empties: a dashboard whose rates change every second adds each new
// row text to it, without end (at 1,000 rules in bench/memory.ts, the heap after a full
// collection grew 15 % over 1,500 samples, and kept growing). The build hands Ink this one
// instead (scripts/esbuild-options.mjs): each line's width comes from measured-width.ts, whose
// memory holds the last two frames' lines.

export type Dimensions = {width: number; height: number};

export default function measureText(text: string): Dimensions {
	if (text.length === 0) return {width: 0, height: 0};
	return {width: widestLine(text), height: text.split('\n').length};
}
