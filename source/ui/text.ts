// Column arithmetic in terminal cells. Ink measures with string-width; this is the same idea kept
// small: combining marks take no cell, East Asian wide characters and emoji take two.

const zeroWidth = /[\p{Mn}\p{Me}\u200B-\u200F\u2060\uFEFF]/u;
const wide = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;
const ascii = /^[\u0020-\u007E]*$/;

export function cellWidth(character: string): number {
	if (zeroWidth.test(character)) return 0;
	return wide.test(character) ? 2 : 1;
}

export function displayWidth(text: string): number {
	if (ascii.test(text)) return text.length;
	let width = 0;
	for (const character of text) width += cellWidth(character);
	return width;
}

/** Cuts `text` to at most `width` cells, ending in `…` when something was cut. */
export function truncate(text: string, width: number): string {
	if (width <= 0) return '';
	if (displayWidth(text) <= width) return text;
	let result = '';
	let used = 0;
	for (const character of text) {
		const cells = cellWidth(character);
		if (used + cells > width - 1) break;
		result += character;
		used += cells;
	}

	return result + '…';
}

export type Align = 'left' | 'right';

/** Exactly `width` cells: truncated with `…`, then padded on the side away from `align`. */
export function fit(text: string, width: number, align: Align = 'left'): string {
	const cut = truncate(text, width);
	const pad = ' '.repeat(Math.max(0, width - displayWidth(cut)));
	return align === 'right' ? pad + cut : cut + pad;
}

/** Word-wraps `text` to lines of at most `width` cells; words longer than a line are cut hard. */
export function wrap(text: string, width: number): string[] {
	if (width <= 0) return [];
	const lines: string[] = [];
	let line = '';
	const flush = (): void => {
		lines.push(line);
		line = '';
	};

	for (const word of text.split(' ')) {
		let rest = word;
		while (displayWidth(rest) > width) {
			if (line !== '') flush();
			let head = '';
			for (const character of rest) {
				if (displayWidth(head + character) > width) break;
				head += character;
			}

			lines.push(head);
			rest = rest.slice(head.length);
		}

		const joined = line === '' ? rest : `${line} ${rest}`;
		if (displayWidth(joined) <= width) line = joined;
		else {
			flush();
			line = rest;
		}
	}

	if (line !== '' || lines.length === 0) flush();
	return lines;
}
