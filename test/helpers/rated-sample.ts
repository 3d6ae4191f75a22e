import type {Family, Rate, RatedChain, RatedRule, RatedTable} from '../../source/core/model.ts';

// Builds RatedTables from iptables-save-like text for core tests, without the real parsers:
//   *table / :CHAIN POLICY [p:b] / [p:b] -A CHAIN words… / COMMIT; `#` lines are skipped.
// Rates come from a map keyed 'table CHAIN n' (1-based rule index) or 'table CHAIN policy';
// a number is packets/s (status ok), null is unknown (status new); unlisted ones get defaultRate.

export type RateMap = Record<string, number | null>;

export type RatedSampleOptions = {
	family?: Family;
	rates?: RateMap;
	/** Rate for everything not in `rates`; 0 unless given. */
	defaultRate?: number | null;
};

function words(text: string): string[] {
	const result: string[] = [];
	const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
	for (const match of text.matchAll(pattern)) {
		result.push(match[1] === undefined ? match[2]! : match[1].replace(/\\(.)/g, '$1'));
	}

	return result;
}

function rate(value: number | null): Rate {
	if (value === null) {
		return {deltaPackets: null, deltaBytes: null, packetsPerSecond: null, bytesPerSecond: null, status: 'new'};
	}

	const packets = BigInt(Math.round(value));
	return {deltaPackets: packets, deltaBytes: packets * 100n, packetsPerSecond: value, bytesPerSecond: value * 100, status: 'ok'};
}

const FIELDS: Record<string, 'source' | 'destination' | 'in' | 'out' | 'protocol'> = {
	'-s': 'source',
	'-d': 'destination',
	'-i': 'in',
	'-o': 'out',
	'-p': 'protocol',
};

type RuleFields = Pick<RatedRule, 'target' | 'goto' | 'protocol' | 'in' | 'out' | 'source' | 'destination' | 'options' | 'comment'>;

/** Splits the words after `-A CHAIN` into the model's columns (the rest stays in options). */
function ruleFields(rest: string[], family: Family): RuleFields {
	const any = family === 'ipv4' ? '0.0.0.0/0' : '::/0';
	const fields: RuleFields = {target: '', goto: false, protocol: 'all', in: '*', out: '*', source: any, destination: any, options: '', comment: null};
	const options: string[] = [];
	for (let i = 0; i < rest.length; i++) {
		const negate = rest[i] === '!' ? '!' : '';
		const word = rest[i + (negate === '' ? 0 : 1)]!;
		const value = rest[i + (negate === '' ? 1 : 2)] ?? '';
		const field = Object.hasOwn(FIELDS, word) ? FIELDS[word] : undefined;
		if (field !== undefined) {
			fields[field] = negate + value.replace(/\/(?:32|128)$/, '');
		} else if (word === '-j' || word === '-g') {
			fields.target = value;
			fields.goto = word === '-g';
		} else if (word === '--comment') {
			fields.comment = value;
		} else if (word === '-m' && value === 'comment') {
			// The match name; its --comment follows.
		} else {
			options.push(rest[i]!);
			continue;
		}

		i += negate === '' ? 1 : 2;
	}

	fields.options = options.join(' ');
	return fields;
}

function hashId(key: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
	return hash.toString(16).padStart(8, '0');
}

type Context = {family: Family; rates: RateMap; defaultRate: number | null};

const rateOf = (context: Context, key: string): Rate => rate(key in context.rates ? context.rates[key]! : context.defaultRate);

function counters(word: string | undefined): [bigint, bigint] | null {
	const match = /^\[(\d+):(\d+)\]$/.exec(word ?? '');
	return match === null ? null : [BigInt(match[1]!), BigInt(match[2]!)];
}

function newChain(context: Context, table: string, line: string[]): RatedChain {
	const [name, policyWord] = [line[0]!.slice(1), line[1]!];
	const builtin = policyWord !== '-';
	const [packets, bytes] = counters(line[2]) ?? [0n, 0n];
	return {
		name,
		builtin,
		policy: builtin ? policyWord : null,
		references: null,
		policyPackets: builtin ? packets : null,
		policyBytes: builtin ? bytes : null,
		key: `${context.family}:${table}:${name}`,
		packets,
		bytes,
		rate: rateOf(context, `${table} ${name} policy`),
		rules: [],
	};
}

function addRule(context: Context, table: string, chain: RatedChain, line: string[], text: string): void {
	const count = counters(line[0]);
	const rest = line.slice(count === null ? 2 : 3);
	const spec = text.replace(/^\s*(?:\[\d+:\d+\]\s+)?-A\s+\S+\s*/, '');
	const occurrence = chain.rules.filter((rule) => rule.spec === spec).length;
	const key = `${context.family}:${table}:${chain.name}:${spec}#${occurrence}`;
	const fields = ruleFields(rest, context.family);
	const index = chain.rules.length + 1;
	chain.rules.push({
		index,
		...fields,
		protocolRaw: fields.protocol,
		opt: '--',
		spec,
		packets: count?.[0] ?? 0n,
		bytes: count?.[1] ?? 0n,
		...rateOf(context, `${table} ${chain.name} ${index}`),
		id: hashId(key),
		key,
	});
}

/** Fills references and, for user chains, aggregate counters from the rules that reach them. */
function finish(table: RatedTable): RatedTable {
	for (const chain of table.chains) {
		const callers = table.chains.flatMap((caller) => caller.rules).filter((rule) => rule.target === chain.name);
		chain.references = callers.length;
		if (chain.builtin) continue;
		chain.packets = callers.reduce((sum, rule) => sum + rule.packets, 0n);
		chain.bytes = callers.reduce((sum, rule) => sum + rule.bytes, 0n);
		const rates = callers.map((rule) => rule.packetsPerSecond);
		chain.rate = rate(rates.includes(null) ? null : rates.reduce<number>((sum, value) => sum + value!, 0));
	}

	return table;
}

export function ratedTables(text: string, options: RatedSampleOptions = {}): RatedTable[] {
	const context: Context = {family: options.family ?? 'ipv4', rates: options.rates ?? {}, defaultRate: options.defaultRate === undefined ? 0 : options.defaultRate};
	const tables: RatedTable[] = [];
	let table: RatedTable | undefined;
	for (const raw of text.split('\n')) {
		const line = words(raw);
		const first = line[0];
		if (first === undefined || first.startsWith('#') || first === 'COMMIT') continue;
		if (first.startsWith('*')) {
			table = {family: context.family, name: first.slice(1), chains: []};
			tables.push(table);
		} else if (first.startsWith(':')) {
			table!.chains.push(newChain(context, table!.name, line));
		} else {
			const chainName = line[counters(first) === null ? 1 : 2]!;
			const chain = table!.chains.find((candidate) => candidate.name === chainName)!;
			addRule(context, table!.name, chain, line, raw);
		}
	}

	return tables.map(finish);
}

export function ratedSample(text: string, options: RatedSampleOptions = {}): {tables: RatedTable[]} {
	return {tables: ratedTables(text, options)};
}

export function findRule(tables: RatedTable[], table: string, chain: string, index: number): RatedRule {
	const rule = tables.find((t) => t.name === table)?.chains.find((c) => c.name === chain)?.rules[index - 1];
	if (rule === undefined) throw new Error(`no rule ${table} ${chain} ${index}`);
	return rule;
}

/** A path as indented lines: rules as `CHAIN#n TARGET rate`, other rows by kind and label. */
export function outline(rows: Array<{depth: number; kind: string; label: string; chain?: string; rule?: RatedRule}>): string[] {
	return rows.map((row) => {
		const indent = '  '.repeat(row.depth);
		if (row.rule === undefined) return `${indent}${row.kind} ${row.label}`;
		const {index, target, packetsPerSecond} = row.rule;
		return `${indent}${row.chain!}#${index} ${target || '(none)'} ${packetsPerSecond ?? '–'}/s`;
	});
}
