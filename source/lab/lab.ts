// A Docker-like host built from network namespaces, for the end-to-end tests and `fwtop --demo`.
//
//   EXTERNAL 198.51.100.2 ── ext0 198.51.100.1 ┐
//                                              HOST (ip_forward=1, Docker's rules)
//   A 172.17.0.2:80  ── veth-a ── docker0 172.17.0.1/16 ┘ │
//   B 172.18.0.2:80  ── veth-b ── br-0123456789ab 172.18.0.1/16
//
// Every command that changes state runs inside the lab's own namespaces (`ip -n NS`,
// `ip netns exec NS`); nothing routes out of them (only the containers have a default route, to
// their gateway). Teardown deletes each namespace by name and is also run on process exit.
import {execaSync} from 'execa';
import {
	curlFrom, detach, killQuietly, startFetchLoop, startServer, stopAgent, stopLoops, type Agent, type CurlResult,
} from './agents.ts';
import {dockerRuleset, readmeBridges, type Generation} from './docker-ruleset.ts';
import {
	binary, deleteNamespace, deleteNamespaceSync, findBinary, namespacePids, newRunId, run, runIn,
	sweepStaleNamespaces,
} from './netns.ts';

export type Backend = 'nft' | 'legacy';

export type LabOptions = {
	/** Which Docker generation's rules to load (generated); default 27. Ignored with rulesetText. */
	generation?: Generation;
	backend?: Backend;
	/** `iptables-restore` input to load instead of the generated rules. */
	rulesetText?: string;
	/** An nftables ruleset loaded with `nft -f -` in the host namespace. Without rulesetText, no
	 * iptables rules are loaded at all (a host that runs nftables only, like Docker 29's backend). */
	nftRulesetText?: string;
	/** Run id in namespace names; default `<pid>-<4 hex>` (what the stale sweep recognises). */
	id?: string;
	/** Hard lifetime of the lab's helper processes; default one hour. */
	lifetimeMs?: number;
};

export type {CurlResult} from './agents.ts';

export type Trickle = {stop(): Promise<{ok: number; failed: number}>};

export type Lab = {
	id: string;
	/** The host namespace's name (where the firewall is). */
	host: string;
	namespaces: string[];
	roles: {host: string; containerA: string; containerB: string; external: string};
	backend: Backend;
	/** Runs `ip netns exec NS FILE ARGS…` and returns stdout; throws on failure. */
	exec(ns: string, file: string, args: string[], options?: {input?: string; timeoutMs?: number}): Promise<string>;
	/** `iptables ARGS…` of the lab's backend inside the host namespace. */
	iptables(args: string[]): Promise<string>;
	/** `iptables-save -c` of the lab's backend inside the host namespace. */
	save(): Promise<string>;
	/** `count` requests from EXTERNAL, one connection each (one curl process, --max-time each). */
	curl(url: string, options?: {count?: number; maxTimeSeconds?: number}): Promise<CurlResult>;
	/** A steady fetch loop from EXTERNAL to both published ports; optionally A → EXTERNAL too. */
	startTrickle(options: {intervalMs: number; outboundIntervalMs?: number; lifetimeMs?: number}): Trickle;
	teardown(): Promise<void>;
	/** Synchronous teardown for `process.on('exit')`. */
	teardownSync(): void;
};

export const published = {a: 'http://198.51.100.1:80/', b: 'http://198.51.100.1:8080/'};
export const externalServer = 'http://198.51.100.2:8000/';

const restoreCommand = {nft: ['iptables-nft-restore', 'iptables-restore'], legacy: ['iptables-legacy-restore']};
const iptablesCommand = {nft: ['iptables-nft', 'iptables'], legacy: ['iptables-legacy']};
const saveCommand = {nft: ['iptables-nft-save', 'iptables-save'], legacy: ['iptables-legacy-save']};

function pick(names: string[]): string {
	for (const name of names) {
		const path = findBinary(name);
		if (path) {
			return path;
		}
	}

	throw new Error(`none of ${names.join(', ')} is installed (apt-get install iptables)`);
}

/** Whether this machine can build the lab, and if not, why. */
export async function labAvailable(options: {backend?: Backend} = {}): Promise<{ok: true} | {ok: false; reason: string}> {
	const backend = options.backend ?? 'nft';
	if (process.getuid?.() !== 0) {
		return {ok: false, reason: `the lab needs root (network namespaces); uid is ${String(process.getuid?.())}`};
	}

	for (const names of [['ip'], ['curl'], restoreCommand[backend], iptablesCommand[backend], saveCommand[backend]]) {
		if (!names.some(name => findBinary(name))) {
			return {ok: false, reason: `${names.join(' or ')} not found on the system paths`};
		}
	}

	const probe = `fwtop-${newRunId()}-probe`;
	try {
		await run(binary('ip'), ['netns', 'add', probe]);
		// Legacy needs the kernel's x_tables; nft needs nf_tables. Listing the filter table loads either.
		await runIn(probe, pick(iptablesCommand[backend]), ['-w', '-S']);
		return {ok: true};
	} catch (error: unknown) {
		return {ok: false, reason: `cannot build a network namespace with iptables (${backend}): ${(error as Error).message}`};
	} finally {
		await deleteNamespace(probe).catch(() => undefined);
	}
}

const liveLabs = new Set<Lab>();
let exitHookInstalled = false;

function installExitHook(): void {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.on('exit', () => {
			for (const lab of liveLabs) {
				lab.teardownSync();
			}
		});
	}
}

type Names = Lab['roles'];

/** `created` collects the namespaces this lab added, so a failed build never deletes a namespace
 * it did not make (a name collision). */
async function buildTopology(names: Names, created: string[]): Promise<void> {
	const ip = binary('ip');
	const {host} = names;
	const links: Array<{ns: string; hostSide: string; bridge?: string; hostAddress?: string; address: string; gateway?: string}> = [
		{ns: names.containerA, hostSide: 'veth-a', bridge: 'docker0', address: '172.17.0.2/16', gateway: '172.17.0.1'},
		{ns: names.containerB, hostSide: 'veth-b', bridge: 'br-0123456789ab', address: '172.18.0.2/16', gateway: '172.18.0.1'},
		{ns: names.external, hostSide: 'ext0', hostAddress: '198.51.100.1/24', address: '198.51.100.2/24'},
	];
	for (const ns of Object.values(names)) {
		await run(ip, ['netns', 'add', ns]);
		created.push(ns);
		await run(ip, ['-n', ns, 'link', 'set', 'lo', 'up']);
	}

	for (const bridge of readmeBridges) {
		await run(ip, ['-n', host, 'link', 'add', bridge.name, 'type', 'bridge']);
		await run(ip, ['-n', host, 'addr', 'add', `${bridge.gateway}/${bridge.subnet.split('/')[1] ?? '16'}`, 'dev', bridge.name]);
		await run(ip, ['-n', host, 'link', 'set', bridge.name, 'up']);
	}

	for (const link of links) {
		// Created inside HOST with the peer moved straight into its namespace: the root namespace
		// never sees either end.
		await run(ip, ['-n', host, 'link', 'add', link.hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', link.ns]);
		if (link.bridge) {
			await run(ip, ['-n', host, 'link', 'set', link.hostSide, 'master', link.bridge]);
		}

		if (link.hostAddress) {
			await run(ip, ['-n', host, 'addr', 'add', link.hostAddress, 'dev', link.hostSide]);
		}

		await run(ip, ['-n', host, 'link', 'set', link.hostSide, 'up']);
		await run(ip, ['-n', link.ns, 'addr', 'add', link.address, 'dev', 'eth0']);
		await run(ip, ['-n', link.ns, 'link', 'set', 'eth0', 'up']);
		if (link.gateway) {
			await run(ip, ['-n', link.ns, 'route', 'add', 'default', 'via', link.gateway]);
		}
	}

	await runIn(host, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
}

async function startServers(names: Names, lifetimeMs: number): Promise<Agent[]> {
	const agents = [
		startServer(names.containerA, 80, 'container A (172.17.0.2)', lifetimeMs),
		startServer(names.containerB, 80, 'container B (172.18.0.2)', lifetimeMs),
		startServer(names.external, 8000, 'external (198.51.100.2)', lifetimeMs),
	];
	await Promise.all(agents.map(async agent => agent.waitForLine(line => line === 'ready', 10_000)));
	// Listening is not answering: probe each from the host directly (not through the DNAT, so the
	// lab starts with the DNAT counters at zero).
	for (const url of ['http://172.17.0.2/', 'http://172.18.0.2/', externalServer]) {
		await runIn(names.host, 'curl', ['-sf', '--retry', '20', '--retry-connrefused', '--retry-delay', '0', '--retry-max-time', '10', '--max-time', '2', '-o', '/dev/null', url]);
	}

	return agents;
}

/** Builds the lab; on any failure everything built so far is deleted before the error is thrown. */
export async function createLab(options: LabOptions = {}): Promise<Lab> {
	const id = options.id ?? newRunId();
	if (!/^[a-z\d][a-z\d-]{0,39}$/.test(id)) {
		throw new Error(`lab id ${JSON.stringify(id)}: use lowercase letters, digits and dashes`);
	}

	const backend = options.backend ?? 'nft';
	const lifetimeMs = options.lifetimeMs ?? 3_600_000;
	const names: Names = {
		host: `fwtop-${id}-host`,
		containerA: `fwtop-${id}-ctra`,
		containerB: `fwtop-${id}-ctrb`,
		external: `fwtop-${id}-ext`,
	};
	await sweepStaleNamespaces();
	const agents: Agent[] = [];
	const created: string[] = [];
	const lab = makeLab(id, names, backend, agents, created);
	installExitHook();
	liveLabs.add(lab);
	try {
		await buildTopology(names, created);
		const ruleset = options.rulesetText ?? dockerRuleset({generation: options.generation ?? 27, bridges: readmeBridges});
		if (options.nftRulesetText === undefined || options.rulesetText !== undefined) {
			await runIn(names.host, pick(restoreCommand[backend]), ['-w'], {input: ruleset});
		}

		if (options.nftRulesetText !== undefined) await runIn(names.host, 'nft', ['-f', '-'], {input: options.nftRulesetText});
		agents.push(...await startServers(names, lifetimeMs));
		for (const agent of agents) {
			detach(agent);
		}

		return lab;
	} catch (error: unknown) {
		await lab.teardown();
		throw error;
	}
}

function makeLab(id: string, names: Names, backend: Backend, agents: Agent[], created: string[]): Lab {
	const namespaces = Object.values(names);
	let tornDown: Promise<void> | undefined;
	const lab: Lab = {
		id,
		host: names.host,
		namespaces,
		roles: names,
		backend,
		exec: async (ns, file, args, options) => runIn(ns, file, args, options),
		iptables: async args => runIn(names.host, pick(iptablesCommand[backend]), ['-w', ...args]),
		save: async () => runIn(names.host, pick(saveCommand[backend]), ['-c']),
		curl: async (url, options = {}) => curlFrom(names.external, url, options.count ?? 1, options.maxTimeSeconds ?? 2),
		startTrickle(options) {
			const lifetimeMs = options.lifetimeMs ?? 3_600_000;
			const loops = [startFetchLoop(names.external, options.intervalMs, [published.a, published.b], lifetimeMs)];
			if (options.outboundIntervalMs !== undefined) {
				loops.push(startFetchLoop(names.containerA, options.outboundIntervalMs, [externalServer], lifetimeMs));
			}

			agents.push(...loops);
			loops.forEach(detach);
			return {stop: async () => stopLoops(loops)};
		},
		async teardown() {
			liveLabs.delete(lab);
			tornDown ??= teardown(created, agents);
			return tornDown;
		},
		teardownSync() {
			liveLabs.delete(lab);
			teardownSync(created, agents);
		},
	};
	return lab;
}

async function teardown(namespaces: string[], agents: Agent[]): Promise<void> {
	await Promise.all(agents.map(async agent => stopAgent(agent)));
	for (const ns of namespaces) {
		// Anything still inside (a curl in flight) was started by this lab.
		for (const pid of await namespacePids(ns)) {
			killQuietly(pid);
		}

		await deleteNamespace(ns);
	}
}

function teardownSync(namespaces: string[], agents: Agent[]): void {
	for (const agent of agents) {
		if (agent.child.pid !== undefined && agent.child.exitCode === null && agent.child.signalCode === null) {
			killQuietly(agent.child.pid);
		}
	}

	for (const ns of namespaces) {
		const pids = execaSync(binary('ip'), ['netns', 'pids', ns], {reject: false});
		String(pids.stdout).split('\n').map(Number).filter(pid => pid > 0).forEach(killQuietly);
		deleteNamespaceSync(ns);
	}
}
