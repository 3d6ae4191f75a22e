// (7): fwtop at 1 Hz on a small Docker host (the namespace lab: Docker 27's rules, 62 of them with
// eleven more idle published ports; a client fetching through the lab's every second), as % of
// one core: the fwtop process and its children (iptables-save, ip6tables-save), from
// /proc/PID/stat, over a window that starts after a warm-up, in `--json` mode and in the dashboard
// (in a pseudo-terminal).
// fwtop runs inside the lab's host namespace (`ip netns exec` execs it: the pid is fwtop's), as it
// runs on a real host: reading its own firewall, without an `ip netns exec` per read.
import {spawn} from 'node:child_process';
import {dockerRuleset, readmeBridges, type Bridge} from '../source/lab/docker-ruleset.ts';
import {createLab} from '../source/lab/lab.ts';
import {binary} from '../source/lab/netns.ts';
import {childPids, cpuTimes} from './proc.ts';
import {cliPath, startDashboard} from './terminal.ts';

export type HostCpu = {
	rules: number;
	seconds: number;
	json: Share;
	dashboard: Share;
	/** The floor: the same two `-save -c` calls once a second from a bash loop, nothing else. */
	floor: Share;
	/** What starting one child costs a Node process, ms of its own CPU (spawnCost). */
	spawnMs: number;
};

/** The CPU a Node process spends to start one child and see it end (`/bin/true`, piped as fwtop's
 * readers are), median of 40, in this process: Node forks itself for every child (libuv's
 * uv_spawn), so each child costs the parent its own page-table copy and the copy-on-write faults
 * after it, which a shell's or Python's vfork-style spawn does not. */
export async function spawnCost(count = 40): Promise<number> {
	const times: number[] = [];
	for (let i = 0; i < count; i++) {
		const before = process.cpuUsage();
		const child = spawn('/bin/true', [], {stdio: ['ignore', 'pipe', 'pipe']});
		await new Promise(resolve => child.once('close', resolve));
		const used = process.cpuUsage(before);
		times.push((used.user + used.system) / 1000);
	}

	return times.sort((a, b) => a - b)[Math.floor(count / 2)]!;
}

/** bash running both families' save once a second; its wait is `read -t 1` on a private fifo, so
 * that no `sleep` process is counted. */
function floorLoop(seconds: number): string {
	return `fifo=$(mktemp -u); mkfifo -m 600 "$fifo"; exec 9<>"$fifo"; rm "$fifo"; for i in $(seq ${seconds}); do `
		+ `${binary('iptables-save')} -c >/dev/null; ${binary('ip6tables-save')} -c >/dev/null; read -t 1 -u 9; done`;
}

/** % of one core in the window (steady state): all of it, fwtop's own part, its children's; and
 * all of it over the whole run, start-up included. */
export type Share = {percent: number; own: number; children: number; withStartup: number};

const own = (pid: number): number => {
	const times = cpuTimes(pid);
	return times.utime + times.stime;
};

const everything = (pid: number): number => {
	try {
		const times = cpuTimes(pid);
		return times.utime + times.stime + times.cutime + times.cstime;
	} catch {
		return 0;
	}
};

/** Ended children fwtop waited for, plus the ones still running with all they waited for (a read
 * in flight when the window closes). */
const children = (pid: number): number => {
	const times = cpuTimes(pid);
	let live: number[] = [];
	try {
		live = childPids(pid);
	} catch {
		// Gone.
	}

	return times.cutime + times.cstime + live.reduce((sum, child) => sum + everything(child), 0);
};

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** CPU % of `pid` over `seconds` after `warmup` seconds; `start` is when the process started. */
async function window(pid: () => number | undefined, start: number, warmup: number, seconds: number): Promise<Share> {
	await sleep(warmup * 1000);
	const id = pid();
	if (id === undefined) throw new Error('fwtop is not running');
	const before = [own(id), children(id)] as const;
	const from = performance.now();
	await sleep(seconds * 1000);
	const after = [own(id), children(id)] as const;
	const now = performance.now();
	const percent = (cpu: number, since: number): number => (100 * cpu) / ((now - since) / 1000);
	const mine = percent(after[0] - before[0], from);
	const theirs = percent(after[1] - before[1], from);
	return {percent: mine + theirs, own: mine, children: theirs, withStartup: percent(after[0] + after[1], start)};
}

/** The host has 60 rules; the lab's README scenario has 29 (IPv4). Docker 27 gives each
 * published port three (DNAT, ACCEPT, the hairpin MASQUERADE): so many more containers on docker0,
 * each publishing one port, as idle as a host's unused ones (the lab's client fetches A and B). */
export const HOST_RULES = 60;
const EXTRA_CONTAINERS = 11;

function benchHostBridges(): Bridge[] {
	const [docker0, ...others] = readmeBridges;
	const extra = Array.from({length: EXTRA_CONTAINERS}, (_, i) => ({ip: `172.17.0.${10 + i}`, ports: [{host: 9000 + i, container: 80, proto: 'tcp' as const}]}));
	return [{...docker0!, containers: [...docker0!.containers, ...extra]}, ...others];
}

export async function measureHostCpu(seconds: number): Promise<HostCpu> {
	const lab = await createLab({rulesetText: dockerRuleset({generation: 27, bridges: benchHostBridges()})});
	const trickle = lab.startTrickle({intervalMs: 1000});
	try {
		const rules = (await lab.save()).split('\n').filter(line => line.startsWith('[')).length;
		if (rules < HOST_RULES) throw new Error(`the bench host has ${rules} rules, fewer than ${HOST_RULES}`);
		const started = performance.now();
		const inside = ['netns', 'exec', lab.host];
		const child = spawn(binary('ip'), [...inside, process.execPath, cliPath, '--json', '--interval', '1'], {stdio: ['ignore', 'ignore', 'ignore']});
		let json;
		try {
			json = await window(() => child.pid, started, 3, seconds);
		} finally {
			child.kill('SIGTERM');
		}

		const dashboard = startDashboard(['--interval', '1'], [binary('ip'), ...inside]);
		let shown;
		try {
			shown = await window(() => dashboard.nodePid(), dashboard.started, 3, seconds);
		} finally {
			await dashboard.quit();
		}

		const loop = spawn(binary('ip'), [...inside, binary('bash'), '-c', floorLoop(seconds + 10)], {stdio: 'ignore'});
		let floor;
		try {
			floor = await window(() => loop.pid, performance.now(), 3, seconds);
		} finally {
			loop.kill('SIGTERM');
		}

		return {rules, seconds, json, dashboard: shown, floor, spawnMs: await spawnCost()};
	} finally {
		await trickle.stop();
		await lab.teardown();
	}
}
