import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {ownNft} from '../helpers/nft.ts';
import {autoRun} from './nft-samples.ts';
import {dockerSave} from './samples.ts';
import {type Shown, show} from './show.tsx';

// Two tables of one name in one family: with legacy iptables, --backend auto shows iptables'
// `filter` and `nat` and also the nf_tables ones iptables-nft made (managed.rules, read by nft as
// `ip filter` and `ip nat`), beside `inet native`. The dashboard keys a table by backend, nft
// family and name, so each view shows one table's chains and rules, never a mix.

const managed = ownNft('nft_managed_json.json');
const samples = autoRun([{save: dockerSave(), nft: managed}, {save: dockerSave({'fwd-ct': [10, 1000]}), nft: managed}], 'legacy');

let mounted: Shown | undefined;
afterEach(() => {
	mounted?.unmount();
	mounted = undefined;
});

async function dashboard(initial = {}): Promise<Shown> {
	mounted = await show(80, 30, samples, {initial, description: {backend: 'legacy'}});
	return mounted;
}

const breadcrumb = (text: string): string => text.split('\n').find(line => / {3}sort: /.test(line))!.split('   ')[0]!;

/** The table column of an overview frame: the text before the chain column, row by row. */
function tableColumn(text: string): string[] {
	const lines = text.split('\n');
	const header = lines.findIndex(line => line.startsWith(' table '));
	const width = lines[header]!.indexOf('chain');
	return lines.slice(header + 1).filter(line => /^[› ]\S/.test(line)).map(line => line.slice(1, width).trim());
}

test('t walks filter, nat, then ip filter, ip nat, inet native; each shows its own chains only', async () => {
	const screen = await dashboard();
	assert.match(screen.frame(), /legacy 1\.8\.9 · \+ nft 1\.0\.6/);
	const seen: Array<[string, string[]]> = [];
	for (let step = 0; step < 6; step++) {
		const text = await screen.press('t');
		seen.push([breadcrumb(text), [...new Set(tableColumn(text))]]);
	}

	assert.deepEqual(seen, [
		['filter', ['filter']],
		['nat', ['nat']],
		['ip filter', ['ip filter']],
		['ip nat', ['ip nat']],
		['inet native', ['inet native']],
		['all tables', ['filter', 'nat', 'ip filter', 'ip nat', 'inet native']],
	]);
});

test('Enter on nft\'s ip filter FORWARD opens that chain, not iptables\' FORWARD of the same name', async () => {
	const screen = await dashboard();
	for (let step = 0; step < 3; step++) await screen.press('t');
	await screen.press('j');
	const chain = await screen.press('\r');
	assert.match(chain, /^ip filter › FORWARD {3}sort: rule order$/m);
	assert.match(chain, /^base chain: hook forward, priority 0, type filter, policy drop$/m);
	assert.match(chain, /^› 1 .* accept .*iifname "docker0/m);
	assert.doesNotMatch(chain, /DOCKER|conntrack/);
});

test('--table filter is iptables\' filter; --table "ip filter" and --chain start in nft\'s', async () => {
	const iptables = await dashboard({table: 'filter', chain: 'FORWARD'});
	assert.match(iptables.frame(), /^filter › FORWARD {3}sort: rule order$/m);
	assert.match(iptables.frame(), /ACCEPT +all .* -m conntrack/);
	iptables.unmount();
	const nft = await dashboard({table: 'ip filter', chain: 'FORWARD'});
	assert.match(nft.frame(), /^ip filter › FORWARD {3}sort: rule order$/m);
	assert.doesNotMatch(nft.frame(), /conntrack|DOCKER/);
	assert.match(nft.frame(), /^› 1 .* accept .*iifname "docker0/m);
});

test('path view: Enter on a chain row of nft\'s ip filter opens that table\'s chain', async () => {
	const screen = await dashboard();
	await screen.press('v');
	const path = screen.frame().split('\n');
	const row = path.findIndex(line => /ip filter FORWARD/.test(line));
	const cursor = path.findIndex(line => line.startsWith('›'));
	assert.ok(row > 0 && cursor > 0, screen.frame());
	for (let step = 0; step < row - cursor; step++) await screen.press('j');
	assert.match(await screen.press('\r'), /^path › ip filter › FORWARD {3}/m);
});
