import type {RatedChain, RatedRule, RatedSample, RatedTable} from './model.ts';

// The NDJSON contract (README "JSON output"). Counters are u64, so they are written as exact
// integer literals from bigint — JSON.stringify cannot, and Number would round above 2^53.
// Keys are written in a fixed order so the output diffs well.

export type JsonValue = string | number | bigint | boolean | null | JsonValue[] | {[key: string]: JsonValue};

export function writeJson(value: JsonValue): string {
	if (value === null) return 'null';
	switch (typeof value) {
		case 'string': {
			return JSON.stringify(value);
		}

		case 'bigint': {
			return value.toString();
		}

		case 'number': {
			return Number.isFinite(value) ? String(value) : 'null';
		}

		case 'boolean': {
			return value ? 'true' : 'false';
		}

		default: {
			if (Array.isArray(value)) return '[' + value.map(item => writeJson(item)).join(',') + ']';
			return '{' + Object.entries(value).map(([key, item]) => JSON.stringify(key) + ':' + writeJson(item)).join(',') + '}';
		}
	}
}

/** The nft-only fields of a rule (none for an iptables rule): handle, whether it counts, the
 * named counter it updates, the chains its verdict map may send packets to. An uncounted rule's
 * packets and bytes are null (no counter exists), its status `uncounted`. */
function nftRuleFields(rule: RatedRule): {[key: string]: JsonValue} {
	if (rule.handle === undefined && rule.counted === undefined) return {};
	const uncounted = rule.counted === false;
	return {
		...(rule.kind === undefined ? {} : {kind: rule.kind}),
		handle: rule.handle ?? null,
		counted: !uncounted,
		...(rule.counterName === undefined ? {} : {counter: rule.counterName}),
		...(rule.targets === undefined ? {} : {targets: rule.targets.map(target => ({chain: target.chain, goto: target.goto, when: target.when}))}),
		// The status (in its place above) is already `uncounted`: nft-rates.ts rates it so.
		...(uncounted ? {packets: null, bytes: null} : {}),
	};
}

/** One rule as in the NDJSON contract (also what `fwtop --until --json` prints). */
export function ruleJson(rule: RatedRule): {[key: string]: JsonValue} {
	return {
		id: rule.id,
		index: rule.index,
		target: rule.target,
		goto: rule.goto,
		protocol: rule.protocol,
		protocolRaw: rule.protocolRaw,
		opt: rule.opt,
		in: rule.in,
		out: rule.out,
		source: rule.source,
		destination: rule.destination,
		options: rule.options,
		comment: rule.comment,
		spec: rule.spec,
		packets: rule.packets,
		bytes: rule.bytes,
		deltaPackets: rule.deltaPackets,
		deltaBytes: rule.deltaBytes,
		packetsPerSecond: rule.packetsPerSecond,
		bytesPerSecond: rule.bytesPerSecond,
		status: rule.status,
		...nftRuleFields(rule),
	};
}

/** A chain's fields before its rules, in the contract's order; `rules` comes last. */
export function chainJsonHead(chain: RatedChain): {[key: string]: JsonValue} {
	return {
		name: chain.name,
		builtin: chain.builtin,
		policy: chain.policy,
		references: chain.references,
		packets: chain.packets,
		bytes: chain.bytes,
		deltaPackets: chain.rate.deltaPackets,
		deltaBytes: chain.rate.deltaBytes,
		packetsPerSecond: chain.rate.packetsPerSecond,
		bytesPerSecond: chain.rate.bytesPerSecond,
		status: chain.rate.status,
		...nftChainFields(chain),
	};
}

function chainJson(chain: RatedChain): JsonValue {
	return {...chainJsonHead(chain), rules: chain.rules.map(rule => ruleJson(rule))};
}

/** nft chains: hook, priority, type and handle (base chains), and no counts where nft keeps none. */
function nftChainFields(chain: RatedChain): {[key: string]: JsonValue} {
	if (chain.counted === undefined) return {};
	return {
		...(chain.counted ? {} : {packets: null, bytes: null}),
		counted: chain.counted,
		hook: chain.hook ?? null,
		priority: chain.priority ?? null,
		type: chain.type ?? null,
		...(chain.device === undefined ? {} : {device: chain.device}),
		handle: chain.handle ?? null,
		...(chain.synthetic === undefined ? {} : {synthetic: chain.synthetic}),
	};
}

function tableJson(table: RatedTable): JsonValue {
	const nft: {[key: string]: JsonValue} = table.backend === 'nft' ? {backend: 'nft', nftFamily: table.nftFamily ?? null} : {};
	return {family: table.family, name: table.name, ...nft, chains: table.chains.map(chain => chainJson(chain))};
}

/** A sample's fields before its tables, in the contract's order; `tables` comes last. */
export function sampleJsonHead(sample: RatedSample): {[key: string]: JsonValue} {
	return {
		seq: sample.seq,
		time: sample.time.toISOString(),
		elapsed: sample.elapsed,
		readMs: Math.round(sample.readMs * 1000) / 1000,
		approximate: sample.approximate,
		source: {
			command: sample.source.command, version: sample.source.version, backend: sample.source.backend,
			...(sample.source.nftVersion === undefined ? {} : {nftVersion: sample.source.nftVersion}),
		},
		warnings: sample.warnings,
	};
}

/** The whole sample as one JSON value: the contract's reference form. `json-line.ts` writes the
 * same bytes faster, and its test holds it to this. */
export function sampleDocument(sample: RatedSample): JsonValue {
	return {...sampleJsonHead(sample), tables: sample.tables.map(table => tableJson(table))};
}
