import type {RatedSample} from './model.ts';

// `hiddenChains` in the config: chains left out of every view and of --json/--once. A pattern is
// `CHAIN` (any table) or `TABLE/CHAIN`; a trailing `*` matches any rest (`DOCKER-ISOLATION-*`).

function matches(pattern: string, table: string, chain: string): boolean {
	const slash = pattern.indexOf('/');
	const wantTable = slash === -1 ? undefined : pattern.slice(0, slash);
	const wantChain = slash === -1 ? pattern : pattern.slice(slash + 1);
	if (wantTable !== undefined && wantTable !== table) return false;
	return wantChain.endsWith('*') ? chain.startsWith(wantChain.slice(0, -1)) : chain === wantChain;
}

export function hideChains(sample: RatedSample, patterns: readonly string[]): RatedSample {
	if (patterns.length === 0) return sample;
	return {
		...sample,
		tables: sample.tables.map(table => ({
			...table,
			chains: table.chains.filter(chain => !patterns.some(pattern => matches(pattern, table.name, chain.name))),
		})),
	};
}
