// End to end: the built binary's dashboard with --backend nftables in a real terminal (tmux,
// 120x40) in a namespace lab whose host holds only a Docker-29-style nftables ruleset
// (test/fixtures/nft/setup/docker-like.nft). `t` reaches `ip docker-bridges`, Enter opens
// filter-FORWARD, the vmap's `"docker0"` branch (↳) is followed into filter-forward-in__docker0,
// and the published-port accept rule shows a rate while curl crosses it. One key per send-keys,
// every step waits on a predicate over capture-pane, never a fixed sleep; every wait is bounded.
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {findBinary} from '../../source/collect/binaries.ts';
import {createLab, published} from '../../source/lab/lab.ts';
import {curlLoop, need, tmuxDriver} from './tmux-driver.ts';
import {requireLab} from './require-lab.ts';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const ruleset = fileURLToPath(new URL('../fixtures/nft/setup/docker-like.nft', import.meta.url));
const socket = `fwtop-nft-e2e-${process.pid}`;
const session = 'fwtop';

const {tmux, screen, press, until, kill} = tmuxDriver(socket, session);

const cursorLine = (text: string): string | undefined => text.split('\n').find(line => line.startsWith('›'));

/** Moves the cursor down, one `j` at a time (at most `limit`), until its line matches. */
async function cursorTo(what: string, pattern: RegExp, limit = 20): Promise<void> {
	for (let step = 0; step < limit; step++) {
		const text = await screen();
		if (pattern.test(cursorLine(text) ?? '')) return;
		await press('j');
		await until(`the cursor moved towards ${what}`, next => cursorLine(next) !== cursorLine(text));
	}

	assert.fail(`the cursor did not reach ${what} in ${limit} rows:\n${await screen()}`);
}

/** The pkts/s cell of the published-port accept rule (the row's first `/s` value). */
function acceptRate(text: string): string | undefined {
	const row = text.split('\n').find(line => / accept .*ip daddr 172\.17\.0\.2 tcp dport 80 /.test(line));
	return row?.match(/(?:^|\s)(\S+\/s)(?=\s)/)?.[1];
}

test('the dashboard with --backend nftables in tmux: t to docker-bridges, Enter, the vmap branch followed, a live rate after curl', {timeout: 120_000}, async t => {
	if (!await requireLab(t)) return;
	if (!need(t, existsSync(cli), `${cli} is missing: run npm run build first`)) return;
	if (!need(t, findBinary('nft') !== undefined, 'nft is not installed (package nftables)')) return;
	const hasTmux = await execa('tmux', ['-V'], {reject: false});
	if (!need(t, hasTmux.exitCode === 0, 'tmux is not installed')) return;

	const lab = await createLab({nftRulesetText: readFileSync(ruleset, 'utf8')});
	let curls: {stop(): Promise<void>} | undefined;
	t.after(async () => {
		await curls?.stop();
		await kill();
		await lab.teardown();
	});

	const command = `node ${cli} --backend nftables --netns ${lab.host} --interval 0.5; echo EXIT=$?; sleep 120`;
	await tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', command);
	await until('the overview', text => text.includes('all tables') && /nftables \d/.test(text) && text.includes('docker-bridges'));

	// `t` walks the tables; at most ten presses, each waiting for the breadcrumb to change.
	for (let step = 0; step < 10 && !/^ip docker-bridges {3}sort/m.test(await screen()); step++) {
		const before = (await screen()).split('\n').find(line => / {3}sort: /.test(line));
		await press('t');
		await until('the next table', text => text.split('\n').find(line => / {3}sort: /.test(line)) !== before);
	}

	await until('the ip docker-bridges table', text => /^ip docker-bridges {3}sort: hook order/m.test(text) && !/^[› ]filter /m.test(text));
	await cursorTo('filter-FORWARD', /ip docker-bridges filter-FORWARD /);
	await press('Enter');
	await until('the filter-FORWARD chain', text => text.includes('ip docker-bridges › filter-FORWARD') && text.includes('base chain: hook forward'));
	await cursorTo('the docker0 branch of the vmap', /↳ .*"docker0" → filter-forward-in__docker0/);
	await press('Enter');
	await until('filter-forward-in__docker0', text => text.includes('› filter-forward-in__docker0') && acceptRate(text) !== undefined);

	curls = curlLoop(lab, published.a);
	const busy = await until('a rate on the published-port accept rule', text => {
		const rate = acceptRate(text);
		return rate !== undefined && rate !== '0/s' && rate !== '–';
	});
	assert.match(acceptRate(busy)!, /^(?:<0\.1|\d+(?:\.\d+)?k?)\/s$/);
	await curls.stop();
	curls = undefined;

	await press('q');
	const after = await until('the shell again', text => /EXIT=\d+/.test(text));
	assert.match(after, /^EXIT=0$/m);
});
