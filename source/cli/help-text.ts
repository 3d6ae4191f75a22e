// Every flag once, as data: `fwtop --help`, the man page (man.ts, built into dist/fwtop.1) and the
// shell completions (completion.ts) are all rendered from it, and a test checks that it covers
// exactly meow's flag spec (flag-spec.ts).

export type FlagGroup = 'Modes' | 'Reading the firewall' | 'Record and replay' | 'Dashboard' | 'probe' | 'Other';

export type FlagDoc = {
	/** The key in meow's spec (camelCase), e.g. `untilTimeout`; `help`/`version` are meow's own. */
	name: string;
	/** As typed: `--until-timeout`, `--no-color`. */
	long: string;
	short?: string;
	/** The value's placeholder; none for a switch. */
	value?: string;
	/** Shown as "default: …". */
	default: string;
	description: string;
	example: string;
	group: FlagGroup;
	/** The values a completion offers. */
	choices?: string[];
	/** The value is a file name (completions offer files). */
	file?: boolean;
};

export const DESCRIPTION = 'top for the Linux firewall: live per-rule packets/s and bytes/s from the kernel\'s iptables counters';

export const USAGE: Array<[string, string]> = [
	['sudo fwtop [options]', 'live dashboard of every rule with packets/s and bytes/s'],
	['sudo fwtop --json', 'one JSON object per sample per line (NDJSON)'],
	['sudo fwtop --once', 'one sample, rates over one interval, then exit'],
	['fwtop --demo', 'a namespace lab with Docker-style rules and traffic (a recording of it without root)'],
	['fwtop --replay FILE', 'play back a --record file: no root, no iptables'],
	['sudo fwtop probe [options] -- CMD ARGS…', 'run CMD, then list the rules its packets moved, in path order'],
	['sudo fwtop --until PATTERN', 'wait until a rule matching [TABLE/][CHAIN:]TEXT counts a packet'],
];

export const EXAMPLES: string[] = [
	'sudo fwtop --table nat --chain DOCKER',
	'sudo fwtop --json --interval 0.5 --count 10 | jq -c \'.tables[].chains[].rules[] | select(.packetsPerSecond > 0)\'',
	'iptables-save -c | fwtop --input - --json',
	'sudo fwtop probe -- curl -s -o /dev/null http://203.0.113.7:8080/',
	'sudo fwtop --until \'nat/DOCKER:to:172.17.0.2:80\' --until-timeout 30',
	'sudo fwtop --record incident.ndjson.gz   # then, anywhere: fwtop --replay incident.ndjson.gz',
];

const TABLES = ['filter', 'nat', 'mangle', 'raw', 'security'];

export const FLAG_DOCS: FlagDoc[] = [
	{name: 'json', long: '--json', default: 'off', group: 'Modes', description: 'NDJSON on stdout, one sample a line, instead of the dashboard', example: 'sudo fwtop --json --count 5'},
	{name: 'once', long: '--once', default: 'off', group: 'Modes', description: 'one sample whose rates span one --interval (two reads), then exit; a plain table, or JSON with --json', example: 'sudo fwtop --once --table nat'},
	{name: 'count', long: '--count', value: 'N', default: 'until interrupted', group: 'Modes', description: 'with --json: stop after N samples', example: 'sudo fwtop --json --count 10'},
	{name: 'input', long: '--input', value: 'FILE|-', default: 'none', group: 'Modes', file: true, description: 'parse a saved `iptables -v -n [-x] -L`, `iptables-save [-c]` or `nft -j list ruleset` dump instead of reading the firewall (- is standard input)', example: 'iptables-save -c | fwtop --input - --json'},
	{name: 'demo', long: '--demo', default: 'off', group: 'Modes', description: 'build the namespace lab (Docker-style rules, traffic), watch it, tear it down on exit; without root, replay the recording of it that ships with fwtop', example: 'sudo fwtop --demo'},
	{name: 'until', long: '--until', value: 'PATTERN', default: 'none', group: 'Modes', description: 'wait until a rule matching [TABLE/][CHAIN:]TEXT counts a packet, print it, exit 0', example: 'sudo fwtop --until \'nat/DOCKER:dpt:80\''},
	{name: 'untilTimeout', long: '--until-timeout', value: 'SECONDS', default: 'wait until interrupted', group: 'Modes', description: 'with --until: give up after this long (0.1–86400) and exit 1', example: 'sudo fwtop --until dpt:443 --until-timeout 30'},
	{name: 'interval', long: '--interval', value: 'SECONDS', default: '1', group: 'Reading the firewall', description: 'time between samples (0.1–3600); a slower read stretches it instead of overlapping', example: 'sudo fwtop --interval 0.5'},
	{name: 'table', long: '--table', value: 'T[,T…]', default: 'all', group: 'Reading the firewall', choices: TABLES, description: 'only these tables (filter, nat, mangle, raw, security, or an nft table); in the dashboard: the table to start in', example: 'sudo fwtop --json --table nat,filter'},
	{name: 'ipv4', long: '--ipv4', short: '4', default: 'both families', group: 'Reading the firewall', description: 'only IPv4 (in the dashboard: start there)', example: 'sudo fwtop -4 --once'},
	{name: 'ipv6', long: '--ipv6', short: '6', default: 'both families', group: 'Reading the firewall', description: 'only IPv6 (in the dashboard: start there)', example: 'sudo fwtop -6 --once'},
	{name: 'backend', long: '--backend', value: 'B', default: 'auto', group: 'Reading the firewall', choices: ['auto', 'nft', 'legacy', 'nftables'], description: 'auto (the system\'s iptables + native nftables tables), nft (iptables-nft), legacy (iptables-legacy) or nftables (nft -j list ruleset alone)', example: 'sudo fwtop --backend legacy'},
	{name: 'strategy', long: '--strategy', value: 'S', default: 'save', group: 'Reading the firewall', choices: ['save', 'list'], description: 'save (one iptables-save -c per family) or list (iptables -w -v -n -x -L per table)', example: 'sudo fwtop --strategy list'},
	{name: 'iptables', long: '--iptables', value: 'PATH', default: 'found in /usr/sbin, /sbin, /usr/bin, /bin, /usr/local/sbin, /usr/local/bin (never PATH)', group: 'Reading the firewall', file: true, description: 'the iptables binary to run (its -save sibling is used when present)', example: 'sudo fwtop --iptables /opt/iptables/sbin/iptables'},
	{name: 'timeout', long: '--timeout', value: 'SECONDS', default: '5', group: 'Reading the firewall', description: 'fwtop\'s starting limit on one iptables call (0.1–600), so a held xtables lock never freezes it; after a call times out the next try gets twice as long (up to 10×, at most 60 s unless more is given), and it comes back down as reads succeed', example: 'sudo fwtop --timeout 15'},
	{name: 'netns', long: '--netns', value: 'NAME', default: 'fwtop\'s own namespace', group: 'Reading the firewall', description: 'read the firewall of a network namespace (ip netns exec NAME)', example: 'sudo fwtop --netns lab'},
	{name: 'sudo', long: '--sudo', default: 'off', group: 'Reading the firewall', description: 'when not root, run fwtop again through sudo, with node and fwtop by absolute path (works with nvm and volta)', example: 'fwtop --sudo --json'},
	{name: 'record', long: '--record', value: 'FILE', default: 'none', group: 'Record and replay', file: true, description: 'write every read (raw iptables/nft output and times, gzip-compressed NDJSON) to FILE while fwtop runs (dashboard, --json, --once, --demo)', example: 'sudo fwtop --record session.ndjson.gz'},
	{name: 'replay', long: '--replay', value: 'FILE', default: 'none', group: 'Record and replay', file: true, description: 'play a --record file back through the dashboard, --json or --once, without root or iptables; the same rates as the live run', example: 'fwtop --replay session.ndjson.gz --json'},
	{name: 'speed', long: '--speed', value: 'X', default: '1', group: 'Record and replay', description: 'with --replay: play X times as fast (0.01–1000); rates are the recorded ones', example: 'fwtop --replay session.ndjson.gz --speed 10'},
	{name: 'chain', long: '--chain', value: 'C', default: 'none', group: 'Dashboard', description: 'start in this chain (with --table)', example: 'sudo fwtop --table nat --chain DOCKER'},
	{name: 'path', long: '--path', default: 'off', group: 'Dashboard', description: 'start in the packet-path view', example: 'sudo fwtop --path'},
	{name: 'filter', long: '--filter', value: 'TEXT', default: 'none', group: 'Dashboard', description: 'start with this filter (a rule pattern)', example: 'sudo fwtop --filter dpt:443'},
	{name: 'bits', long: '--bits', default: 'bytes/s', group: 'Dashboard', description: 'show bits/s instead of bytes/s', example: 'sudo fwtop --bits'},
	{name: 'color', long: '--no-color', default: 'colour on', group: 'Dashboard', description: 'no colours (NO_COLOR is honoured too)', example: 'sudo fwtop --no-color'},
	{name: 'repeat', long: '--repeat', value: 'N', default: '1', group: 'probe', description: 'probe: run the command N times (1–10000) and mark the rules that moved at least N packets', example: 'sudo fwtop probe --repeat 5 -- curl -s http://203.0.113.7/'},
	{name: 'asRoot', long: '--as-root', default: 'run as the user who ran sudo', group: 'probe', description: 'probe: run the command as root even when fwtop was started with sudo', example: 'sudo fwtop probe --as-root -- ping -c1 198.51.100.1'},
	{name: 'debug', long: '--debug', default: 'off', group: 'Other', description: 'print stack traces with errors', example: 'sudo fwtop --once --debug'},
	{name: 'completion', long: '--completion', value: 'SHELL', default: 'none', group: 'Other', choices: ['bash', 'zsh', 'fish'], description: 'print a completion script for bash, zsh or fish', example: 'fwtop --completion bash > /etc/bash_completion.d/fwtop'},
	{name: 'help', long: '--help', default: 'off', group: 'Other', description: 'show this help', example: 'fwtop --help'},
	{name: 'version', long: '--version', default: 'off', group: 'Other', description: 'print the version', example: 'fwtop --version'},
];

export const GROUPS: FlagGroup[] = ['Modes', 'Reading the firewall', 'Record and replay', 'Dashboard', 'probe', 'Other'];

/** `-4, --ipv4`, `--interval SECONDS`. */
export function flagLabel(doc: FlagDoc): string {
	return [doc.short === undefined ? '' : `-${doc.short}, `, doc.long, doc.value === undefined ? '' : ` ${doc.value}`].join('');
}

/** Words of `text` in lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line !== '' && line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else {
			line = line === '' ? word : `${line} ${word}`;
		}
	}

	return [...lines, line];
}

/** The --help text (meow prints it as given, after trimming the common indentation). */
export function helpText(): string {
	const lines = [DESCRIPTION, '', 'Usage'];
	const usageWidth = Math.max(...USAGE.map(([command]) => command.length));
	for (const [command, what] of USAGE) lines.push(`  $ ${command.padEnd(usageWidth)}  ${what}`);
	const width = Math.max(...FLAG_DOCS.map(doc => flagLabel(doc).length));
	for (const group of GROUPS) {
		lines.push('', `${group === 'probe' ? 'fwtop probe' : group}`);
		for (const doc of FLAG_DOCS.filter(item => item.group === group)) {
			const text = wrap(`${doc.description} (default: ${doc.default})`, 96 - width);
			text.push(`e.g. ${doc.example}`);
			text.forEach((line, i) => lines.push(`  ${(i === 0 ? flagLabel(doc) : '').padEnd(width)}  ${line}`));
		}
	}

	lines.push('', 'Defaults also come from ~/.config/fwtop/config.json and /etc/fwtop.json (see man fwtop); flags override them.');
	lines.push('fwtop only reads the firewall: it never changes a rule or a counter.', '', 'Examples');
	for (const example of EXAMPLES) lines.push(`  $ ${example}`);
	return lines.join('\n');
}
