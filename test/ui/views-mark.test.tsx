import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import type {InitialOptions} from '../../source/ui/state.ts';
import {type RuleCounters, dockerSave, ratedRun} from './samples.ts';
import {type Shown, show} from './show.tsx';

// Mark and diff frames at 80 and 200 columns: `m` on the second sample, then a sample in which the
// port-80 DNAT path moved by 5 connections (300 bytes) and conntrack'd FORWARD traffic by 40.

const base: RuleCounters = {prerouting: [100, 6000], dnat80: [80, 4800], dnat8080: [5, 300], 'fwd-ct': [5000, 3_000_000], drop: [3, 180], accept80: [80, 4800], 'nat:PREROUTING': [400, 24_000]};
const after: RuleCounters = {...base, prerouting: [105, 6300], dnat80: [85, 5100], 'fwd-ct': [5040, 3_002_400], accept80: [85, 5100], 'nat:PREROUTING': [405, 24_300]};
const samples = ratedRun([dockerSave(base), dockerSave(base), dockerSave(after)]);

let mounted: Shown | undefined;
afterEach(() => {
	mounted?.unmount();
	mounted = undefined;
});

/** The dashboard, marked on the second sample; the third arrives 3 s after the mark. */
async function marked(columns: number, rows: number, initial: Partial<InitialOptions> = {}, next = samples[2]!): Promise<Shown> {
	mounted = await show(columns, rows, samples.slice(0, 2), {initial});
	await mounted.press('m');
	mounted.advance(2000);
	await mounted.sample(next, frame => frame.includes('mark 3.0s ago'));
	return mounted;
}

const frame = (text: string): string => text.slice(1);

test('chain view with a mark at 80 columns: Δ columns lead, the rates go first, unmoved rules hidden', async () => {
	const screen = await marked(80, 12, {table: 'nat', chain: 'DOCKER'});
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.0s ago · mark 3.0s ago
nat › DOCKER   sort: Δ packets · unmoved hidden
Docker: DOCKER (nat): published ports → containers (DNAT), for packets to a
local address (from PREROUTING and OUTPUT). Counts first packets only.
nat rules count only the first packet of each connection (conntrack applies the
same translation to the rest), so their rates are new connections per second, n…
  #  Δpkts   Δbytes target prot in       source    destination options
› 1      5    300 B DNAT   tcp  !docker0 0.0.0.0/0 0.0.0.0/0   --dport 80 --to-…


? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
});

test('chain view with a mark at 200 columns: Δ, rates and history', async () => {
	const screen = await marked(200, 10, {table: 'nat', chain: 'DOCKER'});
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.0s ago · read 12ms · mark 3.0s ago
nat › DOCKER   sort: Δ packets · unmoved hidden
Docker: DOCKER (nat): published ports → containers (DNAT), for packets to a local address (from PREROUTING and OUTPUT). Counts first packets only.
nat rules count only the first packet of each connection (conntrack applies the same translation to the rest), so their rates are new connections per second, not traffic.
  #  Δpkts   Δbytes pkts/s   bytes/s target prot in       out    source    destination options                                                                                              history
› 1      5    300 B  5.0/s   300 B/s DNAT   tcp  !docker0 *      0.0.0.0/0 0.0.0.0/0   --dport 80 --to-destination 172.17.0.2:80                                                                       █


? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort  i idle  p pause  m mark`));
});

test('overview with a mark at 80 and 200 columns: chains by Δ of their rules\' matches', async () => {
	const narrow = await marked(80, 10);
	assert.equal(narrow.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.0s ago · mark 3.0s ago
all tables   sort: Δ packets · unmoved hidden
 table  chain      policy rules refs  Δpkts   Δbytes  Δhits history
›filter FORWARD    DROP       3           0      0 B     40
 nat    PREROUTING ACCEPT     1           5    300 B      5                    █
 nat    DOCKER     -          2    2      5    300 B      5                    █
 filter DOCKER     -          2    1      0      0 B      5

? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
	narrow.unmount();
	const wide = await marked(200, 10);
	assert.equal(wide.frame().split('\n')[2], ' table  chain      policy rules refs  Δpkts   Δbytes  Δhits history');
	assert.equal(wide.frame().split('\n')[4], ' nat    PREROUTING ACCEPT     1           5    300 B      5                              █');
});

test('path view with a mark at 80 columns: Δ per rule, in path order, unmoved rules folded', async () => {
	const screen = await marked(80, 15, {path: true});
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.0s ago · mark 3.0s ago
path (all)   unmoved folded
  Δpkts   Δbytes history      packet path
›                             ■ PREROUTING — every packet arriving on an interf…
                                nat PREROUTING
                                  · nat rules count only the first packet of ea…
      5    300 B            █     -m addrtype --dst-type LOCAL -j DOCKER
      5    300 B            █       ! -i docker0 -p tcp -m tcp --dport 80 -j DN…
                                    … 1 unmoved rule
                                    ↩ end of DOCKER: back to PREROUTING
      5    300 B            █     policy ACCEPT
                              · routing decision: addressed to this host → INPUT
                              ■ INPUT — routed to this host
? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
});

test('path view with a mark at 200 columns', async () => {
	const screen = await marked(200, 9, {path: true});
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.0s ago · read 12ms · mark 3.0s ago
path (all)   unmoved folded
  Δpkts   Δbytes history      packet path
›                             ■ PREROUTING — every packet arriving on an interface
                                nat PREROUTING
                                  · nat rules count only the first packet of each connection (conntrack applies the same translation to the rest), so their rates are new connections per second, not t…
      5    300 B            █     -m addrtype --dst-type LOCAL -j DOCKER
? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort  i idle  p pause  m mark`));
});

test('a rule added after the mark counts from 0 and says new; a counter that went down says reset', async () => {
	const changed = dockerSave({...after, dnat8080: [1, 60]})
		.replace(/^(\[\d+:\d+\] -A DOCKER ! -i docker0 -p tcp)/m, '[12:720] -A DOCKER ! -i docker0 -p tcp -m tcp --dport 443 -j DNAT --to-destination 172.17.0.2:443\n$1');
	const [, , next] = ratedRun([dockerSave(base), dockerSave(base), changed]);
	const screen = await marked(200, 11, {table: 'nat', chain: 'DOCKER'}, next);
	const rows = screen.frame().split('\n').slice(4, 8).join('\n');
	assert.equal(rows, `
  #  Δpkts   Δbytes pkts/s   bytes/s target prot in               out    source    destination options                                                                                      history
› 1 12 new    720 B      –         – DNAT   tcp  !docker0         *      0.0.0.0/0 0.0.0.0/0   --dport 443 --to-destination 172.17.0.2:443
  2      5    300 B  5.0/s   300 B/s DNAT   tcp  !docker0         *      0.0.0.0/0 0.0.0.0/0   --dport 80 --to-destination 172.17.0.2:80                                                               █
  3  reset        –      –         – DNAT   tcp  !br-0123456789ab *      0.0.0.0/0 0.0.0.0/0   --dport 8080 --to-destination 172.18.0.2:80`.slice(1));
});

test('i shows the rules that did not move; M clears the mark and the live columns come back', async () => {
	const screen = await marked(80, 12, {table: 'nat', chain: 'DOCKER'});
	const all = await screen.press('i');
	assert.match(all, /^nat › DOCKER {3}sort: Δ packets$/m);
	assert.match(all, /^ {2}2 {6}0 {6}0 B DNAT /m, 'the 8080 DNAT, Δ 0, after the mover');
	const live = await screen.press('M');
	assert.doesNotMatch(live, /mark|Δ/);
	assert.match(live, /^ {2}# pkts\/s {3}bytes\/s target/m);
	assert.match(live, /^› 1 {2}5\.0\/s {3}300 B\/s DNAT/m);
});

test('the rule detail says what moved since the mark', async () => {
	const screen = await marked(80, 30, {table: 'nat', chain: 'DOCKER'});
	const detail = await screen.press('d');
	assert.match(detail, /^counters {5}85 packets, 5,100 B\nsince mark {3}5 packets, 300 B\n/m);
});
