import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {autoRun, dockerBridges} from './nft-samples.ts';
import {dockerSave} from './samples.ts';
import {type Shown, show} from './show.tsx';

// Docker 29's nftables table in the dashboard, as --backend auto shows it beside iptables' own
// tables: `t` reaches it, its chains say what they are, a verdict map's branches can be followed,
// and the rule detail has nft's facts. Between the two readings, traffic moved the counters of
// filter-forward-in__docker0's rules (handles 20, 22, 23: replies, the published port, the drop).

const samples = autoRun([
	{save: dockerSave(), nft: dockerBridges({20: [100, 50_000], 22: [10, 600], 23: [2, 120]})},
	{save: dockerSave(), nft: dockerBridges({20: [140, 70_000], 22: [13, 780], 23: [7, 420]})},
]);

let mounted: Shown | undefined;
afterEach(() => {
	mounted?.unmount();
	mounted = undefined;
});

const frame = (text: string): string => text.slice(1);

/** The table column of an overview frame: the text before the chain column, row by row. */
function tableColumn(text: string): string[] {
	const lines = text.split('\n');
	const header = lines.findIndex(line => line.startsWith(' table '));
	const width = lines[header]!.indexOf('chain');
	return lines.slice(header + 1).filter(line => /^[› ]\S/.test(line)).map(line => line.slice(1, width).trim());
}

const BANNER = `
fwtop  lab-host · nf_tables 1.8.9 · + nft 1.0.6 · Docker 29 · IPv4 · 0.4s ago
Docker's nftables table (docker-bridges) accepts container traffic, but an
accept there does not end the packet's path: the iptables filter FORWARD chain …`;

test('t cycles iptables\' tables, then the nft tables named with their family; base chains are uncounted, not 0', async () => {
	mounted = await show(80, 24, samples);
	const filter = await mounted.press('t');
	assert.match(filter, /^filter {3}sort: hook order$/m);
	assert.deepEqual(tableColumn(filter), ['filter', 'filter', 'filter', 'filter', 'filter']);
	assert.match(await mounted.press('t'), /^nat {3}sort: hook order$/m);
	assert.equal(await mounted.press('t'), frame(`${BANNER}
ip docker-bridges   sort: hook order
 table             chain                        policy rules pkts/s   bytes/s
›ip docker-bridges filter-FORWARD               accept     2      –         –
 ip docker-bridges nat-PREROUTING               accept     1      –         –
 ip docker-bridges nat-OUTPUT                   accept     1      –         –
 ip docker-bridges nat-POSTROUTING              accept     1      –         –
 ip docker-bridges nat-prerouting-and-output    -          2    0/s     0 B/s
 ip docker-bridges filter-forward-in__docker0   -          4      –         –
 ip docker-bridges filter-forward-in__br-01234… -          4      –         –
 ip docker-bridges nat-postrouting-out__docker0 -          1      –         –
 ip docker-bridges nat-postrouting-out__br-012… -          1      –         –








? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
	assert.match(await mounted.press('t'), /^all tables {3}sort: hook order$/m);
});

test('chain view of filter-FORWARD: hook facts, Docker note, the vmap rule uncounted with a ↳ row per branch', async () => {
	mounted = await show(80, 16, samples, {initial: {table: 'docker-bridges', chain: 'filter-FORWARD'}});
	assert.equal(mounted.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · + nft 1.0.6 · Docker 29 · IPv4 · 0.4s ago
Docker's nftables table (docker-bridges) accepts container traffic, but an
accept there does not end the packet's path: the iptables filter FORWARD chain …
ip docker-bridges › filter-FORWARD   sort: rule order
base chain: hook forward, priority 0, type filter, policy accept
Docker: filter-FORWARD: Docker 29 (nftables) forwarding; picks
filter-forward-in__BR (into a bridge) and filter-forward-out__BR (out of one) b…
  # pkts/s   bytes/s target prot in       source    destination options
› 1      –         –        all  *        0.0.0.0/0 0.0.0.0/0   oifname vmap @f…
  ↳      –         – jump                                       "docker0" → fil…
  ↳      –         – jump                                       "br-0123456789a…
  2    0/s     0 B/s accept all  { docke… 0.0.0.0/0 0.0.0.0/0   iifname { "dock…


? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
});

test('Enter on a ↳ branch follows the verdict map into the bridge\'s chain, where the traffic shows', async () => {
	mounted = await show(80, 16, samples, {initial: {table: 'docker-bridges', chain: 'filter-FORWARD'}});
	await mounted.press('j');
	assert.equal(await mounted.press('\r'), frame(`
fwtop  lab-host · nf_tables 1.8.9 · + nft 1.0.6 · Docker 29 · IPv4 · 0.4s ago
Docker's nftables table (docker-bridges) accepts container traffic, but an
accept there does not end the packet's path: the iptables filter FORWARD chain …
ip docker-bridges › filter-FORWARD › filter-forward-in__docker0   sort: rule or…
regular chain: runs only when a rule jumps, goes or maps to it
Docker: filter-forward-in__docker0: Docker 29 (nftables): traffic into bridge
docker0: replies, container to container (ICC), published ports, then drop.
  # pkts/s   bytes/s target prot in      source    destination options
› 1   40/s 20.0 kB/s accept all  *       0.0.0.0/0 0.0.0.0/0   ct state establi…
  2    0/s     0 B/s accept all  docker0 0.0.0.0/0 0.0.0.0/0   iifname "docker0…
  3  3.0/s   180 B/s accept tcp  *       0.0.0.0/0 172.17.0.2  ip daddr 172.17.…
  4  5.0/s   300 B/s drop   all  *       0.0.0.0/0 0.0.0.0/0   counter drop /* …


? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
});

test('rule detail of the vmap rule: handle, chain facts, branches, and how to count it', async () => {
	mounted = await show(80, 34, samples, {initial: {table: 'docker-bridges', chain: 'filter-FORWARD'}});
	assert.equal(await mounted.press('\r'), frame(`
fwtop  lab-host · nf_tables 1.8.9 · + nft 1.0.6 · Docker 29 · IPv4 · 0.4s ago
Docker's nftables table (docker-bridges) accepts container traffic, but an
accept there does not end the packet's path: the iptables filter FORWARD chain …
ip docker-bridges › filter-FORWARD › rule #1
oifname vmap @filter-forward-in-jumps

rule         #1 of 2 in ip docker-bridges filter-FORWARD
handle       12 (the rule's identity while it exists)
chain        base chain: hook forward, priority 0, type filter, policy accept
vmap         "docker0" → filter-forward-in__docker0
             "br-0123456789ab" → filter-forward-in__br-0123456789ab
             Enter on a ↳ row under this rule in the chain view follows it
target       the verdict map (vmap above)
protocol     all
in / out     * → *
source       0.0.0.0/0
destination  0.0.0.0/0
options      oifname vmap @filter-forward-in-jumps

counters     none (no counter statement)
rate         unknown: this rule has no counter statement, so nothing counts it
             (not 0). To count it: \`nft replace rule ip docker-bridges
             filter-FORWARD handle 12 counter oifname vmap
             @filter-forward-in-jumps\` (the replaced rule counts from 0); fwtop
             itself only reads.

reached from the forward hook
Docker       by interface → the per-bridge chains
why 0?       filter-FORWARD policy: nftables keeps no counters for chains or
             their policies: a base chain shows none. To count what reaches the
             policy, end the chain with a rule that has only \`counter\`.

? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
});
