// Untrusted text (rule comments, interface names, file contents) must not reach a terminal raw:
// an ESC or a newline in a comment could redraw the screen or forge a line.

const controls = /[\u0000-\u001F\u007F-\u009F]/g;

/** Replaces C0/C1 control characters with visible escapes (`\n`, `\x1b`), and cuts to `max`
 * characters with an ellipsis. */
export function printable(text: string, max = Number.POSITIVE_INFINITY): string {
	const visible = text.replaceAll(controls, character => {
		if (character === '\n') return '\\n';
		if (character === '\t') return '\\t';
		return '\\x' + character.charCodeAt(0).toString(16).padStart(2, '0');
	});
	return visible.length > max ? visible.slice(0, Math.max(0, max - 1)) + '…' : visible;
}
