// `fwtop --demo`: the lab with a steady trickle of traffic, so a newcomer sees Docker-style
// counters move without Docker. The caller runs the normal UI or JSON against `hostNamespace`.
import type {Generation} from './docker-ruleset.ts';
import {createLab, labAvailable, published, externalServer, type Backend} from './lab.ts';

export type DemoOptions = {
	/** Docker generation whose rules are loaded; default 27 (the layout most posts show). */
	generation?: Generation;
	backend?: Backend;
	/** Delay between rounds of requests to both published ports; default 400 ms. */
	intervalMs?: number;
	/** Delay between outbound requests from container A (counted by MASQUERADE); default 3 s. */
	outboundIntervalMs?: number;
	/** Progress lines; default: to stderr. */
	log?: (line: string) => void;
};

export type Demo = {hostNamespace: string; stop(): Promise<void>};

const signals = {SIGINT: 2, SIGTERM: 15, SIGHUP: 1} as const;

/** Builds the lab and starts the traffic. Teardown runs on `stop()`, on exit and on SIGINT,
 * SIGTERM and SIGHUP (after which the process exits with 128 + the signal number). */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const generation = options.generation ?? 27;
	const backend = options.backend ?? 'nft';
	const available = await labAvailable({backend});
	if (!available.ok) {
		throw new Error(`--demo cannot run: ${available.reason}`);
	}

	let running: {stop(): Promise<void>} | undefined;
	let stopping: Promise<void> | undefined;
	const stop = async () => {
		stopping ??= (async () => {
			// Before the lab is up there is nothing to stop here: the lab's `exit` hook deletes
			// whatever part of it was built.
			if (running) {
				log('fwtop demo: tearing down the lab…');
				await running.stop();
			}

			// Only now: execa's signal-exit re-raises a signal at once when it finds itself the
			// last listener, which would kill the process in the middle of the teardown.
			for (const [signal, handler] of handlers) {
				process.off(signal, handler);
			}
		})();
		return stopping;
	};

	// Installed before building, so Ctrl-C during the build still cleans up.
	const handlers = (Object.keys(signals) as Array<keyof typeof signals>).map(signal => {
		const handler = () => {
			void stop().finally(() => process.exit(128 + signals[signal]));
		};

		process.on(signal, handler);
		return [signal, handler] as const;
	});

	log(`fwtop demo: building the lab (Docker ${generation} rules, iptables ${backend}) in network namespaces…`);
	try {
		const lab = await createLab({generation, backend, lifetimeMs: 24 * 3_600_000});
		const trickle = lab.startTrickle({
			intervalMs: options.intervalMs ?? 400,
			outboundIntervalMs: options.outboundIntervalMs ?? 3000,
			lifetimeMs: 24 * 3_600_000,
		});
		running = {
			async stop() {
				await trickle.stop();
				await lab.teardown();
			},
		};
		log(`fwtop demo: host namespace ${lab.host}; traffic to ${published.a} and ${published.b}, container A → ${externalServer}`);
		// A plain exit (the UI quit without calling stop) is covered by the lab's own `exit` hook.
		return {hostNamespace: lab.host, stop};
	} catch (error: unknown) {
		await stop();
		throw error;
	}
}
