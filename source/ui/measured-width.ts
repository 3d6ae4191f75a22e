import stringWidth from 'string-width';
import {boundedMemo} from './bounded-memo.ts';

// Ink measures the width of every line of every text node on every frame (render-node-to-output's
// widestLine; our row-output.ts for clips and wide characters), with no memory of the last frame. A line with any character outside
// printable ASCII — our `–`, `›`, `·` and sparkline blocks — goes through Intl.Segmenter: in a CPU
// profile of bench/frames.ts at 1,000 rules that was 16 % of the dashboard's CPU. Between two
// frames nearly every line is the same string, so the build (scripts/esbuild-options.mjs) hands
// Ink and widest-line this memoised string-width instead.

const rememberedWidth = boundedMemo(8192, text => stringWidth(text));

export default function measuredWidth(text: string, options?: Parameters<typeof stringWidth>[1]): number {
	return options === undefined ? rememberedWidth(text) : stringWidth(text, options);
}
