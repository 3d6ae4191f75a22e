import type {Family} from './model.ts';

// A rule's identity must survive other rules being inserted above it (Docker inserts at the top
// of chains whenever a container starts), so it is never the position: it is the rule's text
// plus its occurrence among identical rules of the same chain.

const separator = '\u001F';

export function chainKey(family: Family, table: string, chain: string): string {
	return family + separator + table + separator + chain;
}

/** family, table, chain, the rule's text and its occurrence among identical rules of the chain. */
export function ruleKey(chain: string, spec: string, occurrence: number): string {
	return chain + separator + spec + separator + occurrence;
}

/** A short id for JSON and the UI: 53 bits of cyrb53 over the key, base 36 (11 characters).
 * Collisions are improbable (~1e-7 for 50,000 rules) and harmless: rates are keyed by the key. */
export function ruleId(key: string): string {
	let h1 = 0xde_ad_be_ef;
	let h2 = 0x41_c6_ce_57;
	for (let i = 0; i < key.length; i++) {
		const code = key.charCodeAt(i);
		h1 = Math.imul(h1 ^ code, 2_654_435_761);
		h2 = Math.imul(h2 ^ code, 1_597_334_677);
	}

	h1 = Math.imul(h1 ^ (h1 >>> 16), 2_246_822_507) ^ Math.imul(h2 ^ (h2 >>> 13), 3_266_489_909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2_246_822_507) ^ Math.imul(h1 ^ (h1 >>> 13), 3_266_489_909);
	const hash = (4_294_967_296 * (2_097_151 & h2)) + (h1 >>> 0);
	return hash.toString(36).padStart(11, '0');
}
