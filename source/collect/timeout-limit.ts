// The limit on one iptables call, which adapts: `--timeout` (default 5 s) is where it starts, a
// read that times out doubles it for the next attempt, and reads that succeed bring it back down.
// Measured: at 50,000 rules on a busy 2-core VM `iptables-save -c` took more than 5 s now and
// then; with a fixed limit every attempt was cut off and retried with backoff, and the first
// sample came after 172 s.

/** However slow the reads, one call is never given more than this, unless --timeout asks for more. */
export const MAX_TIMEOUT_MS = 60_000;

/** The most the limit can grow to from `flagMs`: 10× the flag, at most a minute, never below the flag. */
export function timeoutCapMs(flagMs: number): number {
	return Math.max(flagMs, Math.min(10 * flagMs, MAX_TIMEOUT_MS));
}

/** After a timeout: twice the limit, up to the cap. */
export function grownTimeoutMs(currentMs: number, flagMs: number): number {
	return Math.min(timeoutCapMs(flagMs), currentMs * 2);
}

/** After a read that took `readMs`: half the limit, but never below the flag, and never below twice
 * the read just made (reads of 8 s keep a 16 s limit instead of timing out every other time). */
export function settledTimeoutMs(currentMs: number, flagMs: number, readMs: number): number {
	return Math.max(flagMs, Math.min(currentMs, Math.max(currentMs / 2, Math.ceil(2 * readMs))));
}

export type TimeoutLimit = {
	/** The limit for the next call, ms. */
	readonly ms: number;
	readonly flagMs: number;
	/** A read timed out: returns the new, longer limit. */
	grow(): number;
	/** A read succeeded after `readMs`. */
	settle(readMs: number): void;
};

export function createTimeoutLimit(flagMs: number): TimeoutLimit {
	let ms = flagMs;
	return {
		get ms() {
			return ms;
		},
		flagMs,
		grow() {
			ms = grownTimeoutMs(ms, flagMs);
			return ms;
		},
		settle(readMs) {
			ms = settledTimeoutMs(ms, flagMs, readMs);
		},
	};
}
