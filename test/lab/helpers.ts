// Small helpers shared by the lab tests: exact counters from `iptables-save -c`, exact JSON, and
// waiting on a predicate with a deadline instead of sleeping.

/** `[packets, bytes]` of the rule whose save text (after the counters) is `spec`, e.g.
 * `-A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80`. */
export function saveCounters(save: string, table: string, spec: string): [bigint, bigint] {
	let current = '';
	const found: Array<[bigint, bigint]> = [];
	for (const line of save.split('\n')) {
		if (line.startsWith('*')) {
			current = line.slice(1).trim();
		}

		const match = /^\[(\d+):(\d+)\] (.*)$/.exec(line);
		if (current === table && match && match[3]!.trim() === spec) {
			found.push([BigInt(match[1]!), BigInt(match[2]!)]);
		}
	}

	if (found.length !== 1) {
		throw new Error(`expected one ${table} rule "${spec}", found ${found.length}`);
	}

	return found[0]!;
}

const bigPrefix = '\u0000bigint:';
const numberToken = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/y;

/** JSON.parse that keeps integers beyond 2^53 exact: long digit runs outside strings become
 * bigint, everything else parses as usual. (Node 20's JSON.parse has no access to source text.) */
export function parseJsonExact(text: string): unknown {
	let out = '';
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i]!;
		if (inString) {
			out += char;
			if (char === '\\') {
				out += text[++i] ?? '';
			} else if (char === '"') {
				inString = false;
			}
		} else if (char === '"') {
			inString = true;
			out += char;
		} else if (/[-\d]/.test(char)) {
			numberToken.lastIndex = i;
			const token = numberToken.exec(text)![0];
			const integer = /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token));
			out += integer ? JSON.stringify(bigPrefix + token) : token;
			i += token.length - 1;
		} else {
			out += char;
		}
	}

	return JSON.parse(out, (_key, value: unknown) =>
		typeof value === 'string' && value.startsWith(bigPrefix) ? BigInt(value.slice(bigPrefix.length)) : value);
}

/** Polls `check` until it returns a value other than undefined/false, or throws after timeoutMs. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		}

		await new Promise(resolve => setTimeout(resolve, everyMs));
	}
}

/** Each line of an NDJSON stream (fwtop --json's stdout), parsed with parseJsonExact as it arrives;
 * a line cut between two chunks waits for its end. */
export function onJsonLines(stream: NodeJS.ReadableStream, onValue: (value: unknown) => void): void {
	let rest = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk: string) => {
		const lines = (rest + chunk).split('\n');
		rest = lines.pop() ?? '';
		for (const line of lines) if (line !== '') onValue(parseJsonExact(line));
	});
}
