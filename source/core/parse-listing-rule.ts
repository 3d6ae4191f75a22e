// Splits one rule line of `iptables [-v] -n [-x] -L [--line-numbers]` into its columns.
// The printf sequence (reference §5, v1.8.9 print_rule_details / print_fragment / print_ifaces):
//   [num "%-4u "] [pkts bytes] target"%-9s " ('!'|' ')prot opt(2)" " [" %-6s " in " %-6s " out]
//   ('!'|' ')"%-19s " source ('!'|' ')"%-19s " destination ["[goto] "] matches target-options
// Whitespace splitting alone is wrong: an empty target is 10 spaces, ip6tables ≤1.8.8 prints a
// blank `opt`, and ≤1.8.8 glues long protocol names to `opt` (`udplite--`). Scanning by hand with
// charCodeAt keeps a 20,000-rule listing in a few milliseconds.

const SPACE = 32;

export type ListingLayout = {
	/** The column header began with `num` (`--line-numbers`). */
	lineNumbers: boolean;
	/** The column header had `pkts bytes … in out` (`-v`). */
	verbose: boolean;
};

export type RuleColumns = {
	num: number | null;
	packets: string | null;
	bytes: string | null;
	target: string;
	protocolRaw: string;
	/** `--`, `-f` or `!f`; '' when ip6tables ≤1.8.8 left the column blank. */
	opt: string;
	in: string | null;
	out: string | null;
	source: string;
	destination: string;
	/** Everything after the destination column, trimmed, `[goto]` still in front. */
	rest: string;
};

function skipSpaces(line: string, from: number): number {
	let i = from;
	while (i < line.length && line.charCodeAt(i) === SPACE) {
		i++;
	}

	return i;
}

function tokenEnd(line: string, from: number): number {
	let i = from;
	while (i < line.length && line.charCodeAt(i) !== SPACE) {
		i++;
	}

	return i;
}

function startsWithDigit(line: string, at: number): boolean {
	const code = line.charCodeAt(at);
	return code >= 48 && code <= 57;
}

/** The next whitespace-free word at or after `from`, or null at the end of the line. */
function word(line: string, from: number): [string, number] | null {
	const start = skipSpaces(line, from);
	if (start >= line.length) {
		return null;
	}

	const end = tokenEnd(line, start);
	return [line.slice(start, end), end];
}

/** `--line-numbers` prints `%-4u `: returns the number, where it ends, and where the target
 * column starts when there are no counters (column max(4, digits) + 1). */
function readNum(line: string): [number, number, number] | null {
	const end = tokenEnd(line, 0);
	const digits = line.slice(0, end);
	if (end === 0 || !/^\d+$/.test(digits)) {
		return null;
	}

	const targetStart = Math.max(end, 4) + 1;
	return line.slice(end, targetStart).trim() === '' ? [Number(digits), end, targetStart] : null;
}

/** Counters are right-aligned and each is followed by exactly one space, so the target column
 * starts right after the space behind the bytes token. */
function readCounters(line: string, from: number): [string, string, number] | null {
	const packets = word(line, from);
	if (packets === null || !startsWithDigit(packets[0], 0)) {
		return null;
	}

	const bytes = word(line, packets[1]);
	if (bytes === null || !startsWithDigit(bytes[0], 0) || bytes[1] >= line.length) {
		return null;
	}

	return [packets[0], bytes[0], bytes[1] + 1];
}

function isOpt(text: string): boolean {
	return text === '--' || text === '-f' || text === '!f';
}

/** prot and opt, starting at the inversion column. `%-5s` (≤1.8.8) and `%-4s ` (≥1.8.9, ba98dc47)
 * both put a short protocol's opt 5 columns after its start; a long one is either glued to opt
 * (≤1.8.8: `udplite--`) or followed by one space. */
function readProtocolAndOpt(line: string, from: number): [string, string, number] | null {
	const protStart = line.charCodeAt(from) === 33 ? from + 1 : from;
	const end = tokenEnd(line, protStart);
	const token = line.slice(protStart, end);
	const inversion = protStart > from ? '!' : '';
	if (token === '') {
		return null;
	}

	if (token.length >= 7 && isOpt(token.slice(-2))) {
		return [inversion + token.slice(0, -2), token.slice(-2), end];
	}

	const optStart = protStart + Math.max(5, token.length + 1);
	const opt = line.slice(optStart, optStart + 2);
	const after = line.charCodeAt(optStart + 2);
	if (!(Number.isNaN(after) || after === SPACE)) {
		return null;
	}

	if (isOpt(opt)) {
		return [inversion + token, opt, optStart + 2];
	}

	return opt === '  ' ? [inversion + token, '', optStart + 2] : null;
}

/** Reads `count` whitespace-free columns; null when the line ends early. */
function readWords(line: string, from: number, count: number): [string[], number] | null {
	const words: string[] = [];
	let at = from;
	for (let i = 0; i < count; i++) {
		const next = word(line, at);
		if (next === null) {
			return null;
		}

		words.push(next[0]);
		at = next[1];
	}

	return [words, at];
}

/** The columns of a rule line (already right-trimmed), or null when the line does not have the
 * shape of a rule (then it is the continuation of a comment that contained a newline). */
export function splitRuleLine(line: string, layout: ListingLayout): RuleColumns | null {
	const num = layout.lineNumbers ? readNum(line) : null;
	const counters = layout.verbose ? readCounters(line, num?.[1] ?? 0) : null;
	if ((layout.lineNumbers && num === null) || (layout.verbose && counters === null)) {
		return null;
	}

	const targetStart = counters?.[2] ?? num?.[2] ?? 0;
	const targetEnd = line.charCodeAt(targetStart) === SPACE ? targetStart : tokenEnd(line, targetStart);
	const protocol = readProtocolAndOpt(line, skipSpaces(line, targetEnd));
	const fields = protocol === null ? null : readWords(line, protocol[2], layout.verbose ? 4 : 2);
	if (protocol === null || fields === null) {
		return null;
	}

	const [columns, end] = fields;
	return {
		num: num?.[0] ?? null,
		packets: counters?.[0] ?? null,
		bytes: counters?.[1] ?? null,
		target: line.slice(targetStart, targetEnd),
		protocolRaw: protocol[0],
		opt: protocol[1],
		in: layout.verbose ? columns[0]! : null,
		out: layout.verbose ? columns[1]! : null,
		source: columns.at(-2)!,
		destination: columns.at(-1)!,
		rest: line.slice(end).trim(),
	};
}
