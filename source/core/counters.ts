// Counter tokens of `iptables -L -v`. With `-x` they are exact u64 decimals; without it
// xtables_print_num (unchanged v1.4.21–v1.8.13) prints ≤99999 exactly and otherwise divides by
// 1000 with rounding, adding K, M, G or T (reference §6). BigInt because u64 > 2^53.
import {ParseError, excerpt} from './parse-error.ts';

const COUNTER = /^(\d{1,20})([KMGT])$/;
const U64_MAX = (1n << 64n) - 1n;
const SCALE: Record<string, bigint> = {K: 1000n, M: 1_000_000n, G: 1_000_000_000n, T: 1_000_000_000_000n};

export type Counter = {
	value: bigint;
	/** True for a suffixed value: it was rounded to the unit, so it is not good for deltas. */
	approximate: boolean;
};

/** Exact decimals are by far the most common token, so they skip the regular expression. */
function isDigits(text: string): boolean {
	if (text.length === 0 || text.length > 20) {
		return false;
	}

	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 48 || code > 57) {
			return false;
		}
	}

	return true;
}

export function parseCounter(text: string): Counter {
	if (text === '0') {
		return {value: 0n, approximate: false};
	}

	if (isDigits(text)) {
		const value = BigInt(text);
		if (value > U64_MAX) {
			throw new ParseError(`counter '${text}' is larger than 2^64-1`);
		}

		return {value, approximate: false};
	}

	const match = COUNTER.exec(text);
	if (match === null) {
		throw new ParseError(`bad counter '${excerpt(text)}'`);
	}

	return {value: BigInt(match[1]!) * SCALE[match[2]!]!, approximate: true};
}
