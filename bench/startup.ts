// (6): from process start to the dashboard's first complete frame (the header says how old the
// sample is), in a pseudo-terminal, against the first line of `--json`. Both wait for the same
// first read (iptables -V, then iptables-save); the difference is what the dashboard adds.
import {spawn} from 'node:child_process';
import {cliPath, startDashboard, terminalStartMs} from './terminal.ts';
import {median, residentBytes} from './proc.ts';

export type Startup = {
	/** Milliseconds from spawning to: any frame, the first frame with a sample, the first JSON line.
	 * The frames are timed from spawning the pseudo-terminal (terminal.ts), which takes `terminalMs`
	 * of that to start fwtop; the JSON line from spawning fwtop itself. */
	firstFrame: number;
	completeFrame: number;
	firstJson: number;
	/** The pseudo-terminal's own start (`script`, `sh -c`, `stty`, `exec`), ms: terminalStartMs. */
	terminalMs: number;
	/** VmRSS of the dashboard after a few samples, bytes. */
	rss: number | undefined;
	/** With reads slower than the 1 s interval: ms until the header said so (`every 1s → …`); NaN if never. */
	stretched?: number;
};

async function firstJsonLine(namespace: string, timeoutMs: number): Promise<number> {
	const started = performance.now();
	const child = spawn(process.execPath, [cliPath, '--json', '--count', '1', '--netns', namespace], {stdio: ['ignore', 'pipe', 'ignore']});
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGTERM');
			reject(new Error('no JSON line'));
		}, timeoutMs);
		child.stdout.once('data', () => {
			clearTimeout(timer);
			resolve(performance.now() - started);
		});
		child.once('exit', code => {
			clearTimeout(timer);
			if (code !== 0) reject(new Error(`fwtop --json exited ${String(code)}`));
		});
	});
}

async function once(namespace: string, options: StartupOptions, settle: boolean): Promise<Omit<Startup, 'terminalMs'>> {
	const firstJson = await firstJsonLine(namespace, options.timeoutMs);
	const dashboard = startDashboard(['--netns', namespace]);
	try {
		const firstFrame = await dashboard.when(/fwtop {2}\S/, options.timeoutMs);
		const completeFrame = await dashboard.when(/ ago · read \d/, options.timeoutMs);
		const stretched = options.slow ? await dashboard.when(/every 1s → [\d.]+s \(slow reads\)/, options.timeoutMs).catch(() => Number.NaN) : undefined;
		if (settle) await new Promise(resolve => setTimeout(resolve, options.settleMs));
		const pid = dashboard.nodePid();
		const rss = pid === undefined || !settle ? undefined : residentBytes(pid);
		return {firstFrame, completeFrame, firstJson, rss, ...(stretched === undefined ? {} : {stretched})};
	} finally {
		await dashboard.quit();
	}
}

/** `slow`: reads take longer than the default 1 s interval, so the header must say it stretched. */
export type StartupOptions = {timeoutMs: number; settleMs: number; tries: number; slow: boolean};

/** Medians of `tries` starts (a start-up is short and the machine is shared); the RSS of the last. */
export async function measureStartup(namespace: string, options: StartupOptions): Promise<Startup> {
	const runs: Array<Omit<Startup, 'terminalMs'>> = [];
	for (let i = 0; i < options.tries; i++) runs.push(await once(namespace, options, i === options.tries - 1));
	return {
		terminalMs: await terminalStartMs(),
		firstFrame: median(runs.map(run => run.firstFrame)),
		completeFrame: median(runs.map(run => run.completeFrame)),
		firstJson: median(runs.map(run => run.firstJson)),
		rss: runs.at(-1)!.rss,
		...(runs.at(-1)!.stretched === undefined ? {} : {stretched: runs.at(-1)!.stretched}),
	};
}
