import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {App} from '../../source/ui/app.tsx';
import type {InitialOptions} from '../../source/ui/state.ts';
import {plainCopy} from '../helpers/rated-sample.ts';
import {type Rendered, renderAt} from './render.ts';
import {FakeSource, dockerSave, ratedRun} from './samples.ts';

// Frame tests: the real App (root, reducer, one key handler) with a fake source and a fake clock,
// at 80 and 200 columns, colours stripped. Each view is reached by keys, as a user reaches it.

const texts = [
	dockerSave({prerouting: [100, 6000], dnat80: [80, 4800], 'fwd-ct': [5000, 3_000_000], drop: [3, 180], accept80: [80, 4800], 'nat:PREROUTING': [400, 24_000]}),
	dockerSave({prerouting: [129, 7740], dnat80: [109, 6540], 'fwd-ct': [5800, 3_480_000], drop: [5, 300], accept80: [109, 6540], 'nat:PREROUTING': [450, 27_000]}),
];
const samples = ratedRun(texts);

let mounted: Rendered | undefined;
afterEach(() => {
	mounted?.unmount();
	mounted = undefined;
});

type Shown = Rendered & {source: FakeSource};

async function show(columns: number, rows: number, initial: Partial<InitialOptions> = {}): Promise<Shown> {
	const source = new FakeSource();
	let now = 10_000;
	mounted = renderAt(<App source={source} initial={{intervalMs: 1000, ...initial}} color={false} clock={() => now}/>, columns, rows);
	await mounted.waitFor(() => source.listening === 1);
	source.emit({type: 'sample', sample: samples[0]!});
	now += 1000;
	source.emit({type: 'sample', sample: samples[1]!});
	now += 400;
	await mounted.waitFor(frame => frame.includes('0.4s ago'));
	return {...mounted, source};
}

const frame = (text: string): string => text.slice(1);

test('overview at 80 columns: hook order, extras dropped, hints for help and quit kept', async () => {
	const screen = await show(80, 16);
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.4s ago · read 12ms
all tables   sort: hook order
 table  chain       policy rules refs pkts/s   bytes/s hits/s history
›filter INPUT       ACCEPT     0         0/s     0 B/s      –
 filter FORWARD     DROP       3         0/s     0 B/s  800/s
 filter OUTPUT      ACCEPT     0         0/s     0 B/s      –
 filter DOCKER      -          2    1    0/s     0 B/s   31/s
 filter DOCKER-USER -          0    1    0/s     0 B/s      –
 nat    PREROUTING  ACCEPT     1        50/s  3.0 kB/s   29/s                  █
 nat    INPUT       ACCEPT     0         0/s     0 B/s      –
 nat    OUTPUT      ACCEPT     1         0/s     0 B/s    0/s
 nat    POSTROUTING ACCEPT     1         0/s     0 B/s    0/s
 nat    DOCKER      -          2    2   29/s  1.7 kB/s   29/s                  █

? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
});

test('overview at 200 columns', async () => {
	const screen = await show(200, 9);
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.4s ago · read 12ms
all tables   sort: hook order
 table  chain       policy rules refs pkts/s   bytes/s hits/s history
›filter INPUT       ACCEPT     0         0/s     0 B/s      –
 filter FORWARD     DROP       3         0/s     0 B/s  800/s
 filter OUTPUT      ACCEPT     0         0/s     0 B/s      –
 filter DOCKER      -          2    1    0/s     0 B/s   31/s
? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort  i idle  p pause  m mark`));
});

test('chain view at 80 columns: Docker note, nat note, options cut with …', async () => {
	const screen = await show(80, 12, {table: 'nat', chain: 'DOCKER'});
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.4s ago · read 12ms
nat › DOCKER   sort: rule order
Docker: DOCKER (nat): published ports → containers (DNAT), for packets to a
local address (from PREROUTING and OUTPUT). Counts first packets only.
nat rules count only the first packet of each connection (conntrack applies the
same translation to the rest), so their rates are new connections per second, n…
  # pkts/s   bytes/s target prot in       source    destination options
› 1   29/s  1.7 kB/s DNAT   tcp  !docker0 0.0.0.0/0 0.0.0.0/0   --dport 80 --to…
  2    0/s     0 B/s DNAT   tcp  !br-012… 0.0.0.0/0 0.0.0.0/0   --dport 8080 --…

? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
});

test('chain view at 200 columns: every column, full options, history', async () => {
	const screen = await show(200, 9, {table: 'nat', chain: 'DOCKER'});
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.4s ago · read 12ms
nat › DOCKER   sort: rule order
Docker: DOCKER (nat): published ports → containers (DNAT), for packets to a local address (from PREROUTING and OUTPUT). Counts first packets only.
nat rules count only the first packet of each connection (conntrack applies the same translation to the rest), so their rates are new connections per second, not traffic.
  #  pkts   bytes pkts/s   bytes/s target prot in               out    source    destination options                                                                                        history
› 1   109  6.5 kB   29/s  1.7 kB/s DNAT   tcp  !docker0         *      0.0.0.0/0 0.0.0.0/0   --dport 80 --to-destination 172.17.0.2:80                                                                 █
  2     0     0 B    0/s     0 B/s DNAT   tcp  !br-0123456789ab *      0.0.0.0/0 0.0.0.0/0   --dport 8080 --to-destination 172.18.0.2:80
? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort  i idle  p pause  m mark`));
});

test('keys typed in one read all count: jjj moves three rows, then Enter and Esc', async () => {
	const screen = await show(80, 16);
	await screen.press('jjj');
	assert.match(screen.frame(), /^›filter DOCKER /m);
	await screen.press('jj\r');
	assert.match(screen.frame(), /^nat › PREROUTING/m);
	assert.match(screen.frame(), /^› 1 /m);
	await screen.press('\r');
	assert.match(screen.frame(), /^nat › PREROUTING › DOCKER/m);
	await screen.press('\u001B');
	await screen.press('\u001B');
	assert.match(screen.frame(), /^›nat {4}PREROUTING /m, 'back at the overview, the cursor where it was');
});

test('rule detail at 80 columns: the spec untruncated, counters, history, references, Docker note', async () => {
	const screen = await show(80, 24, {table: 'nat', chain: 'DOCKER'});
	await screen.press('d');
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.4s ago · read 12ms
nat › DOCKER › rule #1
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination
172.17.0.2:80

rule         #1 of 2 in nat DOCKER
target       DNAT
protocol     tcp
in / out     !docker0 → *
source       0.0.0.0/0
destination  0.0.0.0/0
options      --dport 80 --to-destination 172.17.0.2:80

counters     109 packets, 6,540 B
rate         29/s, 1.7 kB/s
pkts/s       min 29/s  avg 29/s  max 29/s  over 1 sample
bytes/s      min 1.7 kB/s  avg 1.7 kB/s  max 1.7 kB/s  over 1 sample
history      █

reached from PREROUTING #1, OUTPUT #1
Docker       published port 80 → container 172.17.0.2:80
… 8 more lines (↓ j)
? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
	const scrolled = await screen.press('jjj');
	assert.match(scrolled, /^why 0\? {7}nat rules count only the first packet/m);
});

test('rule detail at 200 columns: nothing to wrap, everything on one screen, why it counts what it counts', async () => {
	const screen = await show(200, 30, {table: 'nat', chain: 'DOCKER'});
	await screen.press('d');
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.4s ago · read 12ms
nat › DOCKER › rule #1
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80

rule         #1 of 2 in nat DOCKER
target       DNAT
protocol     tcp
in / out     !docker0 → *
source       0.0.0.0/0
destination  0.0.0.0/0
options      --dport 80 --to-destination 172.17.0.2:80

counters     109 packets, 6,540 B
rate         29/s, 1.7 kB/s
pkts/s       min 29/s  avg 29/s  max 29/s  over 1 sample
bytes/s      min 1.7 kB/s  avg 1.7 kB/s  max 1.7 kB/s  over 1 sample
history      █

reached from PREROUTING #1, OUTPUT #1
Docker       published port 80 → container 172.17.0.2:80
why 0?       nat rules count only the first packet of each connection (conntrack applies the same translation to the rest), so their rates are new connections per second, not traffic.
             A published port's DNAT rewrites the destination in PREROUTING, before the routing decision: the packet is then forwarded to the container (FORWARD: DOCKER-USER, DOCKER) and never passes
             INPUT, so INPUT rules (ufw, firewalld) never see it. Filter published ports in DOCKER-USER.





? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort  i idle  p pause  m mark`));
});

test('path view at 80 columns folds idle rules and indents jumps', async () => {
	const screen = await show(80, 14);
	await screen.press('v');
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.4s ago · read 12ms
path (all)   idle folded
 pkts/s   bytes/s packet path
›                 ■ PREROUTING — every packet arriving on an interface
                    nat PREROUTING
                      · nat rules count only the first packet of each connectio…
   29/s  1.7 kB/s     -m addrtype --dst-type LOCAL -j DOCKER
   29/s  1.7 kB/s       ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-dest…
                        … 1 idle rule
                        ↩ end of DOCKER: back to PREROUTING
   50/s  3.0 kB/s     policy ACCEPT
                  · routing decision: addressed to this host → INPUT
? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
});

test('path view at 200 columns has the history column', async () => {
	const screen = await show(200, 9, {path: true});
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.4s ago · read 12ms
path (all)   idle folded
 pkts/s   bytes/s history      packet path
›                              ■ PREROUTING — every packet arriving on an interface
                                 nat PREROUTING
                                   · nat rules count only the first packet of each connection (conntrack applies the same translation to the rest), so their rates are new connections per second, not …
   29/s  1.7 kB/s            █     -m addrtype --dst-type LOCAL -j DOCKER
? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort  i idle  p pause  m mark`));
});

test('help at 80x24 is generated from the keymap, in two columns', async () => {
	const screen = await show(80, 24);
	await screen.press('?');
	assert.equal(screen.frame(), frame(`
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.4s ago · read 12ms
all tables   sort: hook order
Keys (? or Esc closes this)
↑ k             move up                 /               filter (rule pattern)
↓ j             move down               s               cycle the sort order
PgUp            page up                 i               hide/show idle rules
PgDn            page down               p Space         pause; sampling goes on
Home            first row               +               longer interval
End             last row                -               shorter interval
Enter           drill in; follow a jump z               zero (client-side only)
Esc Backspace h back                    m               mark (diff since now)
d               rule detail             M               clear the mark
Tab t           table (path view: flow) b               bits/s ↔ bytes/s
4               IPv4                    ?               help
6               IPv6                    q Ctrl-C        quit
v               overview ↔ path view
In the / box: Enter keep the filter · Esc clear the filter · Backspace delete a
character.




q quit  ? close`));
	await screen.press('\u001B');
	assert.match(screen.frame(), /^ table {2}chain/m);
});

test('help at 200 columns keeps its two columns together', async () => {
	const screen = await show(200, 24);
	await screen.press('?');
	const lines = screen.frame().split('\n');
	assert.equal(lines[3], '↑ k             move up                         /               filter (rule pattern)');
	assert.equal(lines[16], 'In the / box: Enter keep the filter · Esc clear the filter · Backspace delete a character.');
});

test('the / box takes letters as text (the root handler is off), Enter keeps the filter', async () => {
	const screen = await show(80, 12);
	await screen.press('/');
	assert.match(screen.frame(), /^\/ {3}Enter keep · Esc clear$/m);
	await screen.press('post');
	assert.match(screen.frame(), /^\/post {3}Enter keep · Esc clear$/m);
	assert.match(screen.frame(), /^›nat +POSTROUTING/m);
	assert.doesNotMatch(screen.frame(), /filter INPUT/);
	await screen.press('\r');
	assert.match(screen.frame(), /filter: post/);
	assert.match(screen.frame(), /^\? help {2}q quit/m);
	await screen.press('\u001B');
	assert.doesNotMatch(screen.frame(), /filter: post/, 'Esc cleared the filter');
	assert.match(screen.frame(), /^ filter DOCKER /m);
	assert.match(screen.frame(), /^›nat {4}POSTROUTING/m, 'the cursor stayed on its row');
});

test('an error shows with its retry countdown; the last sample stays on screen', async () => {
	const screen = await show(80, 10);
	screen.source.emit({type: 'error', message: 'iptables-save: exit status 4', retryInMs: 3000});
	const shown = await screen.waitFor(text => text.includes('read failed'));
	assert.match(shown, /^read failed: iptables-save: exit status 4 — retrying in 3s$/m);
	assert.match(shown, /^ filter FORWARD/m);
});

test('the root follows the terminal size', async () => {
	const screen = await show(80, 12);
	screen.stdout.resize(200, 12);
	const wide = await screen.waitFor(text => text.includes('i idle  p pause'));
	assert.match(wide, /^ table {2}chain/m);
});

test('hostile text in a comment or interface name never reaches the terminal raw', async () => {
	const screen = await show(200, 10, {table: 'nat', chain: 'DOCKER'});
	const hostile = plainCopy(samples[1]!);
	const rule = hostile.tables.find(table => table.name === 'nat')!.chains.find(chain => chain.name === 'DOCKER')!.rules[0]!;
	rule.comment = 'web\u001B[2J\nforged';
	rule.in = 'eth0\u001B]0;x\u0007';
	screen.source.emit({type: 'sample', sample: hostile});
	const shown = await screen.waitFor(text => text.includes('forged'));
	assert.match(shown, /eth0␛ /);
	assert.match(shown, /\/\* web␛\\nforged \*\//);
	assert.doesNotMatch(screen.raw(), /\u001B\[2J|\u001B\]|\u0007/);
	assert.equal(screen.raw().split('\n').length, 9, 'no forged line');
});
