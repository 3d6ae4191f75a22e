// One rule line of `iptables [-v] -n [-x] -L [--line-numbers]`, in two parts: the prefix (rule
// number and counters, new every sample) and the text after it (the same while the rule exists).
// The printf sequence (reference §5, v1.8.9 print_rule_details / print_fragment / print_ifaces):
//   [num "%-4u "] [pkts bytes] target"%-9s " ('!'|' ')prot opt(2)" " [" %-6s " in "%-6s " out]
//   ('!'|' ')"%-19s " source ('!'|' ')"%-19s " destination ["[goto] "] matches target-options
// Whitespace splitting alone is wrong: an empty target is 10 spaces, ip6tables ≤1.8.8 prints a
// blank `opt`, and ≤1.8.8 glues long protocol names to `opt` (`udplite--`).
import type {Rule} from './model.ts';
import {detach} from './strings.ts';
import {protocolName} from './protocols.ts';

const SPACE = 32;
const BANG = 33;

export type ListingLayout = {
	/** The column header began with `num` (`--line-numbers`). */
	lineNumbers: boolean;
	/** The column header had `pkts bytes … in out` (`-v`). */
	verbose: boolean;
};

export type RulePrefix = {
	num: number | null;
	packets: string | null;
	bytes: string | null;
	/** Where the target column starts. */
	bodyStart: number;
};

/** Everything a rule line says apart from its number and counters. */
export type RuleText = Omit<Rule, 'index' | 'packets' | 'bytes'> & {
	/** An IPv6 address, or the blank `opt` only ip6tables ≤1.8.8 prints. */
	ipv6: boolean;
};

class Scanner {
	pos: number;

	constructor(readonly line: string, from = 0) {
		this.pos = from;
	}

	skipSpaces(): void {
		while (this.pos < this.line.length && this.line.charCodeAt(this.pos) === SPACE) {
			this.pos++;
		}
	}

	/** Index of the first space at or after `from` (or the line's end). */
	tokenEnd(from: number): number {
		let end = from;
		while (end < this.line.length && this.line.charCodeAt(end) !== SPACE) {
			end++;
		}

		return end;
	}

	/** The next whitespace-free word, or '' at the end of the line. */
	word(): string {
		this.skipSpaces();
		const start = this.pos;
		this.pos = this.tokenEnd(start);
		return this.line.slice(start, this.pos);
	}

	/** The next word if it starts with a digit (a counter or a rule number), else null. */
	numeric(): string | null {
		this.skipSpaces();
		const code = this.line.charCodeAt(this.pos);
		return code >= 48 && code <= 57 ? this.word() : null;
	}
}

/** `--line-numbers` prints `%-4u `; without counters the target starts at column max(4, n) + 1. */
function readNum(scan: Scanner, verbose: boolean): number | null {
	const digits = scan.numeric();
	if (digits === null || !/^\d+$/.test(digits)) {
		return null;
	}

	if (!verbose) {
		const targetStart = Math.max(digits.length, 4) + 1;
		if (scan.line.slice(digits.length, targetStart).trim() !== '') {
			return null;
		}

		scan.pos = targetStart;
	}

	return Number(digits);
}

/** Rule number and counters, or null when the line does not start like a rule. Counters are
 * right-aligned and each is followed by exactly one space, so the target column starts right
 * after the space behind the bytes token. */
export function readRulePrefix(line: string, layout: ListingLayout): RulePrefix | null {
	const scan = new Scanner(line);
	const num = layout.lineNumbers ? readNum(scan, layout.verbose) : null;
	const packets = layout.verbose ? scan.numeric() : null;
	const bytes = layout.verbose ? scan.numeric() : null;
	if ((layout.lineNumbers && num === null) || (layout.verbose && (packets === null || bytes === null))) {
		return null;
	}

	return {num, packets, bytes, bodyStart: layout.verbose ? scan.pos + 1 : scan.pos};
}

function isOpt(text: string): boolean {
	return text === '--' || text === '-f' || text === '!f';
}

/** prot and opt, starting at the inversion column. `%-5s` (≤1.8.8) and `%-4s ` (≥1.8.9, ba98dc47)
 * both put a short protocol's opt 5 columns after its start; a long one is either glued to opt
 * (≤1.8.8: `udplite--`) or followed by one space. Returns [prot, opt] or null. */
function readProtocolAndOpt(scan: Scanner): [string, string] | null {
	scan.skipSpaces();
	const inverted = scan.line.charCodeAt(scan.pos) === BANG;
	const protStart = inverted ? scan.pos + 1 : scan.pos;
	const end = scan.tokenEnd(protStart);
	const length = end - protStart;
	const glued = length >= 7 && isOpt(scan.line.slice(end - 2, end));
	const optStart = glued ? end - 2 : protStart + Math.max(5, length + 1);
	const opt = scan.line.slice(optStart, optStart + 2);
	const after = scan.line.charCodeAt(optStart + 2);
	if (length === 0 || !(isOpt(opt) || opt === '  ') || !(Number.isNaN(after) || after === SPACE)) {
		return null;
	}

	scan.pos = optStart + 2;
	const protocol = scan.line.slice(inverted ? protStart - 1 : protStart, glued ? end - 2 : end);
	return [protocol, opt === '  ' ? '' : opt];
}

/** The comment is between the first `/* ` and the last ` *\/`: it may itself hold both (§5). */
export function commentOf(options: string): string | null {
	const open = options.indexOf('/* ');
	const close = options.lastIndexOf(' */');
	return open !== -1 && close >= open + 2 ? options.slice(open + 3, close) : null;
}

/** The rule without counters: `target prot opt [in out] source destination [[goto]] options`.
 * Array join makes one flat string, where a template literal would keep a rope of pieces. */
export function specOf(rule: Omit<Rule, 'index' | 'packets' | 'bytes'>): string {
	const parts = [rule.target, rule.protocolRaw, rule.opt];
	if (rule.in !== '' || rule.out !== '') {
		parts.push(rule.in, rule.out);
	}

	parts.push(rule.source, rule.destination);
	if (rule.goto) {
		parts.push('[goto]');
	}

	if (rule.options !== '') {
		parts.push(rule.options);
	}

	return parts.join(' ');
}


/** The rule's text from `bodyStart` (see readRulePrefix), or null when it does not have the shape
 * of a rule (then the line continues a comment that contained a newline). `same` returns one
 * shared copy of a repeated value (`ACCEPT`, `*`, `0.0.0.0/0`). `own`, when given, is that text
 * already copied out of the sample (the memory keeps it): the fields are slices of it. */
export function readRuleText(line: string, bodyStart: number, verbose: boolean, same: (value: string) => string, own?: string): RuleText | null {
	const body = own ?? detach(line.slice(bodyStart));
	const scan = new Scanner(body);
	const target = body.length === 0 || body.charCodeAt(0) === SPACE ? '' : scan.word();
	const protocol = readProtocolAndOpt(scan);
	const inface = verbose && protocol !== null ? scan.word() : '';
	const outface = verbose && protocol !== null ? scan.word() : '';
	const source = protocol === null ? '' : scan.word();
	const destination = protocol === null ? '' : scan.word();
	if (protocol === null || destination === '') {
		return null;
	}

	const rest = body.slice(scan.pos).trim();
	const goto = rest.startsWith('[goto]');
	const options = goto ? rest.slice(6).trimStart() : rest;
	// One object literal with every field: spreading a partial one was 50× slower in V8 (Node 20).
	const text: RuleText = {
		target: same(target),
		goto,
		protocol: same(protocolName(protocol[0])),
		protocolRaw: same(protocol[0]),
		// ip6tables ≤1.8.8 leaves opt blank where ≥1.8.9 prints `--` (6e41c2d8): same meaning.
		opt: protocol[1] === '' ? '--' : same(protocol[1]),
		in: same(inface),
		out: same(outface),
		source: same(source),
		destination: same(destination),
		options,
		comment: commentOf(options),
		spec: '',
		ipv6: protocol[1] === '' || source.includes(':') || destination.includes(':'),
	};
	text.spec = specOf(text);
	return text;
}
