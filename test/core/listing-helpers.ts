// Shared by the listing tests: where the fixtures are, what each one's .cmd says, and a tiny
// independent reader of `iptables-save -c` used as an oracle for the listing's counters.
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import type {TestContext} from 'node:test';
import type {Chain, ParsedDump, Rule} from '../../source/core/model.ts';

/** ../shared beside the checkout (CI always has it); see STYLE.md. */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const OWN_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const REAL_DIR = `${SHARED_DIR}fixtures/iptables-1.8.9/`;
export const FOREIGN_DIR = `${SHARED_DIR}fixtures/foreign/`;

/** False (and the test marked skipped) when ../shared is missing: never a silent pass. */
export function sharedPresent(t: TestContext): boolean {
	if (existsSync(REAL_DIR)) {
		return true;
	}

	t.skip(`${SHARED_DIR} not present`);
	return false;
}

export function read(path: string): string {
	return readFileSync(path, 'utf8');
}

export type Capture = {
	dir: string;
	name: string;
	command: string;
	exit: number;
	netns: string;
	/** `iptables-nft`, `ip6tables-legacy-save`, … */
	binary: string;
	table: string;
	/** Flags as one string of letters (`vnxL`), `--line-numbers` as `#`. */
	flags: string;
};

function describe(dir: string, name: string): Capture {
	const lines = read(`${dir}${name}.cmd`).split('\n');
	const command = lines[0]!;
	const netns = /ip netns exec (\S+)/.exec(command)?.[1] ?? /^# netns: (\S+)/m.exec(lines.join('\n'))?.[1] ?? '';
	const words = command.replace(/^.*?ip netns exec \S+ /, '').split(' ');
	const flags = words.filter(word => /^-[a-zA-Z]+$/.test(word)).map(word => word.slice(1)).join('');
	return {
		dir,
		name,
		command,
		exit: Number(/^# exit=(\d+)/m.exec(lines.join('\n'))?.[1] ?? Number.NaN),
		netns,
		binary: words[0]!,
		table: /-t (\S+)/.exec(command)?.[1] ?? 'filter',
		flags: flags + (command.includes('--line-numbers') ? '#' : ''),
	};
}

/** Every capture in `dir` that has a .cmd file. */
export function captures(dir: string): Capture[] {
	return readdirSync(dir)
		.filter(file => file.endsWith('.cmd'))
		.map(file => describe(dir, file.slice(0, -4)))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** `iptables[-nft|-legacy] … -L` listings that succeeded. */
export function listings(dir: string): Capture[] {
	return captures(dir).filter(capture =>
		/^ip6?tables(-nft|-legacy)?$/.test(capture.binary) && capture.flags.includes('L') && capture.exit === 0);
}

export function chainOf(dump: ParsedDump, name: string): Chain {
	const chain = dump.tables[0]?.chains.find(candidate => candidate.name === name);
	assert.ok(chain, `chain ${name} not found`);
	return chain;
}

export function ruleOf(dump: ParsedDump, chain: string, index: number): Rule {
	const rule = chainOf(dump, chain).rules[index - 1];
	assert.ok(rule, `rule ${chain} #${index} not found`);
	return rule;
}

export function chainNames(dump: ParsedDump): string[] {
	return dump.tables[0]?.chains.map(chain => chain.name) ?? [];
}

export type SavedChain = {policy: string; packets: bigint; bytes: bigint; rules: Array<[bigint, bigint]>};

/** table → chain → counters, from `iptables-save -c` (only `:` and `[p:b] -A` lines matter). */
export function readSave(text: string): Map<string, Map<string, SavedChain>> {
	const tables = new Map<string, Map<string, SavedChain>>();
	let table = new Map<string, SavedChain>();
	for (const line of text.split('\n')) {
		const policy = /^:(\S+) (\S+) \[(\d+):(\d+)\]$/.exec(line);
		const rule = /^\[(\d+):(\d+)\] -A (\S+) /.exec(line);
		if (line.startsWith('*')) {
			table = new Map();
			tables.set(line.slice(1), table);
		} else if (policy) {
			table.set(policy[1]!, {policy: policy[2]!, packets: BigInt(policy[3]!), bytes: BigInt(policy[4]!), rules: []});
		} else if (rule) {
			table.get(rule[3]!)!.rules.push([BigInt(rule[1]!), BigInt(rule[2]!)]);
		}
	}

	return tables;
}

/** The `iptables-save -c` capture made in the same namespace with the same variant, if any. */
export function saveFor(listing: Capture, all: Capture[]): Capture | undefined {
	return all.find(capture =>
		capture.netns === listing.netns && capture.binary === `${listing.binary}-save` && capture.flags === 'c');
}

/** What `iptables -v -L` without -x prints for `value` (xtables_print_num, libxtables/xtables.c,
 * unchanged v1.4.21–v1.8.13), read back as a number: the u64 wraps in `n + 500`. */
export function suffixed(value: bigint): bigint {
	if (value <= 99_999n) {
		return value;
	}

	const mask = (1n << 64n) - 1n;
	let n = value;
	let unit = 1n;
	for (let step = 0; step < 4; step++) {
		n = ((n + 500n) & mask) / 1000n;
		unit *= 1000n;
		if (n <= 9999n) {
			break;
		}
	}

	return n * unit;
}
