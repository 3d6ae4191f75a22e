// The benchmark's network namespaces: one per ruleset size, named like the lab's
// (`fwtop-<pid>-<hex>-host`, see source/lab/netns.ts) so that a crashed run's leftovers are swept by
// the next lab, deleted by name in `finally` and on exit. Nothing runs outside them.
import {execa, type ResultPromise} from 'execa';
import {binary, deleteNamespace, deleteNamespaceSync, newRunId, run, runIn} from '../source/lab/netns.ts';
import {serviceIp} from './rulesets.ts';

const live = new Set<string>();
let hooked = false;

function hookExit(): void {
	if (hooked) return;
	hooked = true;
	process.on('exit', () => {
		for (const name of live) deleteNamespaceSync(name);
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => process.exit(130));
}

/** A namespace with `lo` up and a veth pair whose far end swallows 10.0.0.0/8 (service and pod
 * addresses; not every kernel has the dummy driver), the ruleset loaded with iptables-nft-restore. */
export async function benchNamespace(ruleset: string): Promise<string> {
	hookExit();
	const name = `fwtop-${newRunId()}-host`;
	const ip = binary('ip');
	await run(ip, ['netns', 'add', name]);
	live.add(name);
	const links = [['link', 'add', 'bench0', 'type', 'veth', 'peer', 'name', 'bench1'], ['addr', 'add', '10.0.0.1/8', 'dev', 'bench0'], ['link', 'set', 'bench0', 'up'], ['link', 'set', 'bench1', 'up']];
	for (const args of [['link', 'set', 'lo', 'up'], ...links]) {
		await run(ip, ['-n', name, ...args]);
	}

	await runIn(name, 'iptables-nft-restore', [], {input: ruleset, timeoutMs: 600_000});
	return name;
}

export async function dropNamespace(name: string): Promise<void> {
	live.delete(name);
	await deleteNamespace(name);
}

// Inside the namespace: on each line `N` from stdin, open N connections to random service IPs
// (each SYN crosses OUTPUT → KUBE-SERVICES → KUBE-SVC → KUBE-SEP DNAT, and the veth's far end
// drops it), answer `ok` once they are sent, and drop the sockets before any retransmission.
const trafficScript = `
const net = require('node:net');
const ips = process.argv.slice(1);
let rest = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => {
	const lines = (rest + chunk).split('\\n');
	rest = lines.pop();
	for (const line of lines) {
		const sockets = [];
		for (let i = 0; i < Number(line); i++) {
			const socket = net.connect({host: ips[Math.floor(Math.random() * ips.length)], port: 80});
			socket.on('error', () => {});
			sockets.push(socket);
		}
		setImmediate(() => process.stdout.write('ok\\n'));
		setTimeout(() => sockets.forEach(socket => socket.destroy()), 300);
	}
});
process.stdin.on('end', () => process.exit(0));
`;

export type Traffic = {
	/** Opens `connections` new connections now and resolves once their first packets are sent. */
	kick(connections: number): Promise<void>;
	stop(): Promise<void>;
};

/** The traffic that makes counters move between samples, as on a busy node. Its CPU is not
 * fwtop's: it is a child of the benchmark too, so callers read children's CPU before `stop`. */
export function startTraffic(namespace: string, services: number): Traffic {
	const ips = Array.from({length: Math.min(services, 2000)}, (_, i) => serviceIp(Math.floor((i * services) / Math.min(services, 2000))));
	const child: ResultPromise = execa(binary('ip'), ['netns', 'exec', namespace, process.execPath, '-e', trafficScript, ...ips], {
		stdin: 'pipe', buffer: false, reject: false,
	});
	child.stdout!.setEncoding('utf8');
	const waiting: Array<() => void> = [];
	child.stdout!.on('data', (chunk: string) => {
		for (const _ of chunk.split('\n').filter(line => line === 'ok')) waiting.shift()?.();
	});
	return {
		async kick(connections) {
			if (connections <= 0) return;
			const done = new Promise<void>(resolve => {
				waiting.push(resolve);
			});
			child.stdin!.write(`${connections}\n`);
			await done;
		},
		async stop() {
			child.stdin!.end();
			await child;
		},
	};
}
