/** A mistake in how fwtop was called or in what it was given: one line, exit code 2. */
export class UsageError extends Error {
	override name = 'UsageError';
}
