import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import {frameMemo} from './frame-drawn.ts';

// Ink measures the width of every line of every text node on every frame (render-node-to-output's
// widestLine; our row-output.ts for clips and wide characters), with no memory of the last frame.
// A line with any character outside printable ASCII — our `–`, `›`, `·` and sparkline blocks —
// goes through Intl.Segmenter: in a CPU profile of bench/frames.ts at 1,000 rules that was 16 % of
// the dashboard's CPU. Between two
// frames nearly every line is the same string, so the build (scripts/esbuild-options.mjs) hands
// Ink and widest-line this memoised string-width instead.

// A new line (a row whose rates moved) still costs string-width's segmenter. Its rows hold
// printable ASCII and a few glyphs of fwtop's own, each one column wide and a grapheme of its own
// next to any of the others (none is a mark, joiner, variation selector, regional indicator or
// Hangul jamo), so such a line is as wide as it has characters. test/ui/ink-memo.test.ts checks
// that against string-width for every glyph beside every other character. Any other character,
// user text included, goes to string-width itself. (The widths are not asked of string-width when
// this loads: its first non-ASCII answer compiles its emoji expressions and starts ICU's
// segmenter, about 60 ms at every start.)
const GLYPHS = new Set('–—−›·…↳→←↑↓↔↺↩Δ▁▂▃▄▅▆▇█■×≤≥␛²§');

/** string-width's answer for a line of printable ASCII and GLYPHS, else undefined. */
export function glyphLineWidth(text: string): number | undefined {
	const visible = text.includes('\u001B') || text.includes('\u009B') ? stripAnsi(text) : text;
	let width = 0;
	for (const character of visible) {
		const code = character.charCodeAt(0);
		if (!((code >= 0x20 && code <= 0x7E) || GLYPHS.has(character))) return undefined;
		width++;
	}

	return width;
}

/** Widths not asked for in the last two frames are forgotten (bounded-memo.ts). */
const rememberedWidths = frameMemo<number>();

export default function measuredWidth(text: string, options?: Parameters<typeof stringWidth>[1]): number {
	return options === undefined ? rememberedWidths.get(text, () => glyphLineWidth(text) ?? stringWidth(text)) : stringWidth(text, options);
}

/** The widest line of `text`, as widest-line measures it. */
export function widestLine(text: string): number {
	let width = 0;
	for (const line of text.split('\n')) width = Math.max(width, measuredWidth(line));
	return width;
}
