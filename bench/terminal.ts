// The real dashboard in a pseudo-terminal: `script` (util-linux) gives `node dist/cli.js` a tty of
// 200×50, we read what it draws and type into it. Only processes started here are ever signalled.
import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {childPids, median} from './proc.ts';

export const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const ansi = /\u001B(?:\[[\d;?]*[A-Za-z]|\][^\u0007]*\u0007|[()][A-Z0-9]|[=>])/g;

export type Dashboard = {
	started: number;
	child: ChildProcess;
	/** Everything drawn so far, escape sequences removed. */
	screen(): string;
	/** Milliseconds from the start until the screen first matched `pattern`. */
	when(pattern: RegExp, timeoutMs: number): Promise<number>;
	/** The pid of `node dist/cli.js` (the child of `script`). */
	nodePid(): number | undefined;
	quit(): Promise<void>;
};

/** `when` of a Dashboard: polls the screen, woken by each chunk of output. */
function watcher(started: number, text: () => string, child: ChildProcess, waiters: Array<() => void>): Dashboard['when'] {
	const seen = new Map<RegExp, number>();
	return async (pattern, timeoutMs) => {
		while (!seen.has(pattern)) {
			if (pattern.test(text())) {
				seen.set(pattern, performance.now() - started);
				break;
			}

			if (performance.now() > started + timeoutMs || child.exitCode !== null) throw new Error(`no ${String(pattern)} on the dashboard; it shows:\n${text().slice(-2000)}`);
			await new Promise<void>(resolve => {
				waiters.push(resolve);
				setTimeout(resolve, 50);
			});
		}

		return seen.get(pattern)!;
	};
}

/** `word` quoted for sh. */
const quote = (word: string): string => `'${word.replaceAll('\'', '\'\\\'\'')}'`;

/** `node dist/cli.js ARGS` in a 200×50 pseudo-terminal; `prefix` runs it through another command
 * that execs it (`ip netns exec NS`), so that the pid stays fwtop's. */
export function startDashboard(args: string[], prefix: string[] = []): Dashboard {
	return startInTerminal([...prefix, process.execPath, cliPath, ...args]);
}

/** How long the pseudo-terminal itself takes to start a program, ms (median of `tries`): `script`,
 * its `sh -c`, `stty` and the `exec`, until a `/bin/echo` run in place of fwtop has printed. A user
 * starting fwtop from a shell has none of these, so the first frame is also timed less this. */
export async function terminalStartMs(tries = 7): Promise<number> {
	const times: number[] = [];
	for (let i = 0; i < tries; i++) {
		const echo = startInTerminal(['echo', 'fwtop-terminal-ready']);
		const exited = new Promise(resolve => echo.child.once('exit', resolve));
		try {
			times.push(await echo.when(/fwtop-terminal-ready/, 10_000));
		} finally {
			if (echo.child.exitCode === null) await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 5000))]);
			echo.child.kill('SIGTERM');
		}
	}

	return median(times);
}

/** `words` (a command and its arguments) run in a 200×50 pseudo-terminal made by `script`
 * (util-linux), exec'd by its shell: stdin and stdout are the terminal's, `env` gets TERM. */
export function spawnInTerminal(words: string[], env: NodeJS.ProcessEnv): ChildProcess {
	const command = `stty cols 200 rows 50 2>/dev/null; exec ${words.map(quote).join(' ')}`;
	return spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'ignore'], env: {...env, TERM: 'xterm-256color'}});
}

/** `words` in the pseudo-terminal (spawnInTerminal), what it draws watched. */
function startInTerminal(words: string[]): Dashboard {
	const started = performance.now();
	const env: NodeJS.ProcessEnv = {...process.env};
	delete env.CI;
	const child = spawnInTerminal(words, env);
	let text = '';
	const waiters: Array<() => void> = [];
	child.stdout!.setEncoding('utf8');
	child.stdout!.on('data', (chunk: string) => {
		text += chunk.replace(ansi, '');
		if (text.length > 1_000_000) text = text.slice(-200_000);
		for (const waiter of waiters.splice(0)) waiter();
	});
	const when = watcher(started, () => text, child, waiters);

	return {
		started,
		child,
		screen: () => text,
		when,
		nodePid() {
			try {
				return childPids(child.pid!)[0];
			} catch {
				return undefined;
			}
		},
		async quit() {
			if (child.exitCode !== null) return;
			const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
			child.stdin!.write('q');
			const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
			await exited;
			clearTimeout(timer);
		},
	};
}
