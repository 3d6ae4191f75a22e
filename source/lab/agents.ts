// The lab's long-running helpers: tiny Node programs run with `node -e` inside a namespace, so the
// lab needs no packages beyond Node itself. Each one exits when its stdin closes (the lab's process
// died, however it died) and after a hard lifetime, so none can outlive the lab for long.
import {execa, type ResultPromise} from 'execa';
import {binary} from './netns.ts';

export type CurlResult = {ok: number; failed: number; bodies: string[]};

const exitWithParent = `
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(0), Number(process.env.FWTOP_LAB_LIFETIME_MS)).unref();
`;

// Every response closes its connection, so each request is a new conntrack flow: nat rules (which
// count only a flow's first packet) then count requests.
const serverScript = `
const http = require('node:http');
const [port, body] = [Number(process.argv[1]), process.argv[2]];
const server = http.createServer((request, response) => {
	response.writeHead(200, {'content-type': 'text/plain', connection: 'close'});
	response.end(body + '\\n');
});
server.listen(port, '0.0.0.0', () => process.stdout.write('ready\\n'));
${exitWithParent}`;

// One line per request on stdout: "ok URL" or "fail URL reason".
const trickleScript = `
const [intervalMs, ...urls] = [Number(process.argv[1]), ...process.argv.slice(2)];
async function once(url) {
	try {
		const response = await fetch(url, {signal: AbortSignal.timeout(2000)});
		await response.text();
		process.stdout.write('ok ' + url + '\\n');
	} catch (error) {
		process.stdout.write('fail ' + url + ' ' + String(error && error.message) + '\\n');
	}
}
async function tick() {
	for (const url of urls) await once(url);
	setTimeout(tick, intervalMs);
}
tick();
${exitWithParent}`;

export type Agent = {
	child: ResultPromise;
	/** Resolves with the first stdout line that satisfies the predicate; rejects on timeout/exit. */
	waitForLine(predicate: (line: string) => boolean, timeoutMs: number): Promise<string>;
	lines: string[];
};

function spawnAgent(ns: string, script: string, args: string[], lifetimeMs: number): Agent {
	const child = execa(binary('ip'), ['netns', 'exec', ns, process.execPath, '-e', script, ...args], {
		stdin: 'pipe',
		reject: false,
		buffer: false,
		env: {FWTOP_LAB_LIFETIME_MS: String(lifetimeMs)},
		forceKillAfterDelay: 2000,
	});
	const lines: string[] = [];
	const waiters = new Set<() => void>();
	let rest = '';
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		const parts = (rest + chunk).split('\n');
		rest = parts.pop() ?? '';
		lines.push(...parts);
		for (const wake of waiters) {
			wake();
		}
	});
	child.stderr.resume();
	void child.then(() => {
		for (const wake of waiters) {
			wake();
		}
	});

	const waitForLine = async (predicate: (line: string) => boolean, timeoutMs: number) =>
		new Promise<string>((resolve, reject) => {
			const check = () => {
				const line = lines.find(predicate);
				if (line !== undefined) {
					done();
					resolve(line);
				} else if (child.exitCode !== null || child.signalCode !== null) {
					done();
					reject(new Error(`agent in ${ns} exited before printing the expected line`));
				}
			};

			const timer = setTimeout(() => {
				done();
				reject(new Error(`agent in ${ns}: no expected line within ${timeoutMs} ms`));
			}, timeoutMs);
			const done = () => {
				clearTimeout(timer);
				waiters.delete(check);
			};

			waiters.add(check);
			check();
		});

	return {child, waitForLine, lines};
}

export function startServer(ns: string, port: number, body: string, lifetimeMs: number): Agent {
	return spawnAgent(ns, serverScript, [String(port), body], lifetimeMs);
}

export function startFetchLoop(ns: string, intervalMs: number, urls: string[], lifetimeMs: number): Agent {
	return spawnAgent(ns, trickleScript, [String(intervalMs), ...urls], lifetimeMs);
}

/** Lets the event loop end while the agent runs (the lab's `exit` hook then cleans up). */
export function detach(agent: Agent): void {
	agent.child.unref();
	for (const stream of [agent.child.stdin, agent.child.stdout, agent.child.stderr]) {
		(stream as unknown as {unref?: () => void} | null)?.unref?.();
	}
}

export function killQuietly(pid: number): void {
	try {
		process.kill(pid, 'SIGKILL');
	} catch {
		// Already gone.
	}
}

export async function stopAgent(agent: Agent): Promise<void> {
	if (agent.child.exitCode === null && agent.child.signalCode === null) {
		agent.child.kill('SIGTERM');
	}

	await agent.child;
}

export async function stopLoops(loops: Agent[]): Promise<{ok: number; failed: number}> {
	await Promise.all(loops.map(async loop => stopAgent(loop)));
	const lines = loops.flatMap(loop => loop.lines);
	return {ok: lines.filter(line => line.startsWith('ok ')).length, failed: lines.filter(line => line.startsWith('fail ')).length};
}

// One curl process for the whole burst: fast enough that a burst fits between two samples even
// on a loaded machine. The server closes every connection, so each URL is a new connection.
export async function curlFrom(ns: string, url: string, count: number, maxTimeSeconds: number): Promise<CurlResult> {
	const n = Math.max(0, Math.min(count, 1000));
	const result: CurlResult = {ok: 0, failed: 0, bodies: []};
	if (n === 0) {
		return result;
	}

	const output = await execa(binary('ip'), ['netns', 'exec', ns, binary('curl'), '-sS', '--max-time', String(maxTimeSeconds),
		'--write-out', '\n@@fwtop-curl %{http_code} %{exitcode}\n', ...Array<string>(n).fill(url)], {
		reject: false,
		timeout: ((maxTimeSeconds + 1) * n + 5) * 1000,
	});
	let last = 0;
	for (const match of String(output.stdout).matchAll(/\n@@fwtop-curl (\d{3}) (\d+)(?:\n|$)/g)) {
		if (match[1] === '200' && match[2] === '0') {
			result.ok++;
			result.bodies.push(String(output.stdout).slice(last, match.index));
		}

		last = match.index + match[0].length;
	}

	result.failed = n - result.ok;
	return result;
}
