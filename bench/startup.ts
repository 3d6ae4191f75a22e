// (6): from process start to the dashboard's first complete frame (the header says how old the
// sample is), in a pseudo-terminal, against the first line of `--json`. Both wait for the same
// first read (iptables -V, then iptables-save); the difference is what the dashboard adds.
import {spawn} from 'node:child_process';
import {cliPath, startDashboard} from './terminal.ts';
import {median, residentBytes} from './proc.ts';

export type Startup = {
	/** Milliseconds from spawning to: any frame, the first frame with a sample, the first JSON line. */
	firstFrame: number;
	completeFrame: number;
	firstJson: number;
	/** VmRSS of the dashboard after a few samples, bytes. */
	rss: number | undefined;
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

async function once(namespace: string, options: StartupOptions, settle: boolean): Promise<Startup> {
	const firstJson = await firstJsonLine(namespace, options.timeoutMs);
	const dashboard = startDashboard(['--netns', namespace]);
	try {
		const firstFrame = await dashboard.when(/fwtop {2}\S/, options.timeoutMs);
		const completeFrame = await dashboard.when(/ ago · read \d/, options.timeoutMs);
		if (settle) await new Promise(resolve => setTimeout(resolve, options.settleMs));
		const pid = dashboard.nodePid();
		return {firstFrame, completeFrame, firstJson, rss: pid === undefined || !settle ? undefined : residentBytes(pid)};
	} finally {
		await dashboard.quit();
	}
}

export type StartupOptions = {timeoutMs: number; settleMs: number; tries: number};

/** Medians of `tries` starts (a start-up is short and the machine is shared); the RSS of the last. */
export async function measureStartup(namespace: string, options: StartupOptions): Promise<Startup> {
	const runs: Startup[] = [];
	for (let i = 0; i < options.tries; i++) runs.push(await once(namespace, options, i === options.tries - 1));
	return {
		firstFrame: median(runs.map(run => run.firstFrame)),
		completeFrame: median(runs.map(run => run.completeFrame)),
		firstJson: median(runs.map(run => run.firstJson)),
		rss: runs.at(-1)!.rss,
	};
}
