// Reading `nft -j` output exactly. Counters are u64 in the kernel, but nft 1.0.6 prints them
// through a signed int64 (json_integer in src/json.c), so values ≥ 2^63 arrive negative
// (../shared/fixtures/iptables-1.8.9/nft-1.0.6_native-inet_json_list-ruleset.json: `"bytes": -1`
// for 2^64 − 1), and JSON.parse rounds every integer above 2^53. Node 20's JSON.parse cannot see
// the source text of a number, so long integer literals are turned into marked strings first.

/** Prefix of a string that stands for an integer literal too long for a double. */
export const BIG_MARK = '\u0000int:';

// A string token, or an integer of 16+ digits that is a whole number token (not part of a
// fraction or exponent). Strings are matched first, so digits inside them are never touched.
const TOKENS = /"(?:[^"\\]|\\.)*"|(?<![\w.+-])-?\d{16,}(?![\w.])/g;

/** JSON.parse, with every integer literal of 16 or more digits kept as a `BIG_MARK` string. */
export function parseJsonKeepingBigIntegers(text: string): unknown {
	// The mark is written as the JSON escape `\u0000`: a raw control character is not valid JSON.
	const marked = text.replace(TOKENS, token => (token.startsWith('"') ? token : `"\\u0000int:${token}"`));
	return JSON.parse(marked) as unknown;
}

const TWO_64 = 1n << 64n;
const TWO_63 = 1n << 63n;

/** A counter as nft printed it, as the kernel's u64: negatives are wrapped back (x + 2^64).
 * null when the value is not an integer at all. */
export function u64(value: unknown): bigint | null {
	let integer: bigint;
	if (typeof value === 'number' && Number.isSafeInteger(value)) {
		integer = BigInt(value);
	} else if (typeof value === 'string' && value.startsWith(BIG_MARK) && /^-?\d+$/.test(value.slice(BIG_MARK.length))) {
		integer = BigInt(value.slice(BIG_MARK.length));
	} else {
		return null;
	}

	if (integer < -TWO_63 || integer >= TWO_64) return null;
	return integer < 0n ? integer + TWO_64 : integer;
}

/** A plain object (not an array, not null), for walking untyped JSON. */
export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The only key of a one-key object such as `{"accept": null}`, or null. */
export function soleKey(value: unknown): string | null {
	if (!isObject(value)) return null;
	const keys = Object.keys(value);
	return keys.length === 1 ? keys[0]! : null;
}
