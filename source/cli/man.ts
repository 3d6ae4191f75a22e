import {DESCRIPTION, EXAMPLES, FLAG_DOCS, GROUPS, USAGE, type FlagDoc} from './help-text.ts';

// fwtop(1) in roff, from the same data as --help (help-text.ts); scripts/man.ts writes it to
// dist/fwtop.1 at build time, and package.json "man" installs it with the package.

/** Text for roff: backslashes escaped, `-` as a real minus (so it can be searched and copied),
 * characters beyond ASCII as `\[uXXXX]` (groff and mandoc read the file as Latin-1 otherwise),
 * and no line starting with a control character. */
export function roff(text: string): string {
	return text.replaceAll('\\', '\\e').replaceAll('-', '\\-').replace(/^([.'])/gm, '\\&$1')
		.replace(/[^\u0000-\u007F]/gu, char => `\\[u${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}

function flagItem(doc: FlagDoc): string[] {
	const name = [doc.short === undefined ? '' : `\\fB\\-${doc.short}\\fR, `, `\\fB${roff(doc.long)}\\fR`, doc.value === undefined ? '' : ` \\fI${roff(doc.value)}\\fR`].join('');
	return ['.TP', name, `${roff(doc.description)}.`, `Default: ${roff(doc.default)}.`, '.br', `Example: \\fB${roff(doc.example)}\\fR`];
}

const exitCodes: Array<[number, string]> = [
	[0, 'normal end (q, Ctrl-C in --json, a closed pipe); probe: the probe worked and the command exited 0; --until: a matching rule counted a packet'],
	[1, 'reading the firewall failed; --until: no match in time, or interrupted'],
	[2, 'bad usage: an unknown flag, a bad value, an unreadable --input, --replay or config file'],
	[3, 'iptables is not installed'],
	[4, 'not permitted: fwtop is not root (the message gives the sudo command that works; or use --sudo)'],
	[5, 'probe: the probe worked but the command failed'],
];

function section(title: string, lines: string[]): string[] {
	return [`.SH ${title}`, ...lines];
}

export function manPage(options: {version: string; date: string}): string {
	const lines = [
		`.TH FWTOP 1 "${options.date}" "fwtop ${roff(options.version)}" "User Commands"`,
		...section('NAME', [`fwtop \\- ${roff(DESCRIPTION)}`]),
		...section('SYNOPSIS', USAGE.flatMap(([command]) => [`.B ${roff(command.replace(/^sudo /, ''))}`, '.br'])),
		...section('DESCRIPTION', [
			roff('fwtop shows every iptables rule (and native nftables rule) with the packets and bytes per second it counts, from the kernel\'s own counters. It only reads the firewall (iptables-save -c, iptables -L, nft list): it never changes a rule or a counter.'),
			'.PP',
			...USAGE.flatMap(([command, what]) => ['.TP', `\\fB${roff(command)}\\fR`, roff(what)]),
		]),
		...section('OPTIONS', GROUPS.flatMap(group => [`.SS ${group === 'probe' ? 'fwtop probe' : roff(group)}`, ...FLAG_DOCS.filter(doc => doc.group === group).flatMap(doc => flagItem(doc))])),
		...section('EXIT STATUS', exitCodes.flatMap(([code, meaning]) => ['.TP', `\\fB${code}\\fR`, roff(meaning)])),
		...section('FILES', [
			'.TP', '\\fI$XDG_CONFIG_HOME/fwtop/config.json\\fR (default \\fI~/.config/fwtop/config.json\\fR)',
			roff('Your defaults (interval, units, color, hiddenChains, backend, strategy). Under sudo, the invoking user\'s (SUDO_USER) file is read. Flags override it.'),
			'.TP', '\\fI/etc/fwtop.json\\fR',
			roff('System-wide defaults, overridden by the user\'s file and by flags.'),
		]),
		...section('ENVIRONMENT', ['.TP', '\\fBNO_COLOR\\fR', 'No colours, as \\fB\\-\\-no\\-color\\fR.', '.TP', '\\fBXDG_CONFIG_HOME\\fR', 'Where the user\'s config.json is looked for.']),
		...section('EXAMPLES', EXAMPLES.flatMap(example => ['.PP', '.nf', roff(`$ ${example}`), '.fi'])),
		...section('SEE ALSO', ['\\fBiptables\\-save\\fR(8), \\fBiptables\\fR(8), \\fBnft\\fR(8), \\fBip\\-netns\\fR(8)']),
	];
	return lines.join('\n') + '\n';
}
