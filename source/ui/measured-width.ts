import stringWidth from 'string-width';

// Ink measures the width of every line of every text node on every frame (render-node-to-output's
// widestLine, output.js), with no memory of the last frame. A line with any character outside
// printable ASCII — our `–`, `›`, `·` and sparkline blocks — goes through Intl.Segmenter: in a CPU
// profile of bench/frames.ts at 1,000 rules that was 16 % of the dashboard's CPU. Between two
// frames nearly every line is the same string, so the build (scripts/esbuild-options.mjs) hands
// Ink and widest-line this memoised string-width instead. Bounded: cleared when full.

const LIMIT = 8192;
const widths = new Map<string, number>();

export default function measuredWidth(text: string, options?: Parameters<typeof stringWidth>[1]): number {
	if (options !== undefined) return stringWidth(text, options);
	let width = widths.get(text);
	if (width === undefined) {
		width = stringWidth(text);
		if (widths.size >= LIMIT) widths.clear();
		widths.set(text, width);
	}

	return width;
}
