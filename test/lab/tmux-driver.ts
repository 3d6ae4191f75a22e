import assert from 'node:assert/strict';
import type {TestContext} from 'node:test';
import {execa} from 'execa';
import type {Lab} from '../../source/lab/lab.ts';
import {waitFor} from './helpers.ts';

// What the end-to-end dashboard tests share: a tmux server of their own (its own socket, so
// nothing of the user's tmux is touched), keys sent one per `send-keys`, and waits on a
// predicate over `capture-pane`, never a fixed sleep.

export type TmuxDriver = {
	tmux(...args: string[]): Promise<string>;
	screen(): Promise<string>;
	press(key: string): Promise<void>;
	/** The screen once `predicate` holds; fails with the last screen after `timeoutMs`. */
	until(what: string, predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
	/** Kills the server and everything it runs. */
	kill(): Promise<void>;
};

export function tmuxDriver(socket: string, session: string): TmuxDriver {
	const tmux = async (...args: string[]): Promise<string> => (await execa('tmux', ['-L', socket, ...args])).stdout;
	const screen = async (): Promise<string> => tmux('capture-pane', '-p', '-t', session);
	return {
		tmux,
		screen,
		async press(key) {
			await tmux('send-keys', '-t', session, key);
		},
		async until(what, predicate, timeoutMs = 15_000) {
			let last = '';
			try {
				return await waitFor(what, async () => {
					last = await screen();
					return predicate(last) ? last : undefined;
				}, timeoutMs, 100);
			} catch (error) {
				throw new Error(`${(error as Error).message}; the screen was:\n${last}`);
			}
		},
		async kill() {
			await execa('tmux', ['-L', socket, 'kill-server'], {reject: false});
		},
	};
}

/** Fails in CI, skips elsewhere, when something the test needs is missing. */
export function need(t: TestContext, ok: boolean, reason: string): boolean {
	if (ok) return true;
	if (process.env.CI === 'true') assert.fail(reason);
	t.skip(reason);
	return false;
}

/** curl from the lab's external host through the DNAT, one connection at a time, until stopped
 * (or a minute has passed, whatever happens to the test). */
export function curlLoop(lab: Lab, url: string): {stop(): Promise<void>} {
	let stopped = false;
	const deadline = Date.now() + 60_000;
	const loop = (async () => {
		while (!stopped && Date.now() < deadline) await lab.curl(url, {count: 3});
	})();
	return {
		async stop() {
			stopped = true;
			await loop;
		},
	};
}
