import {readFile} from 'node:fs/promises';
import type {Family, ParsedDump, Sample} from '../core/model.ts';
import {parseListing} from '../core/parse-listing.ts';
import {parseNftRuleset} from '../core/parse-nft.ts';
import {parseSave} from '../core/parse-save.ts';
import {rateSample} from '../core/rates.ts';
import type {RatedSample} from '../core/model.ts';
import {UsageError} from './usage-error.ts';

// --input FILE|-: a saved `iptables -v -n [-x] -L` or `iptables-save -c` dump instead of a live
// read. One dump gives one sample, so every rate is unknown ('new').

async function readInput(file: string): Promise<string> {
	try {
		if (file === '-') {
			const chunks: Buffer[] = [];
			for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
			return Buffer.concat(chunks).toString('utf8');
		}

		return await readFile(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
		throw new UsageError(`--input ${file}: cannot read it (${code})`);
	}
}

/** `iptables-save` output starts with `# Generated`, `*table`; a listing with `Chain …`;
 * `nft -j list ruleset` with `{"nftables": [`. */
export function detectFormat(text: string): 'save' | 'listing' | 'nft' | undefined {
	if (/^\s*\{\s*"nftables"\s*:/.test(text)) return 'nft';
	for (const line of text.split('\n', 50)) {
		if (/^(?:\*\w|:\S+ \S+|(?:\[\d+:\d+\] )?-A \S)/.test(line)) return 'save';
		if (/^Chain \S+ \(/.test(line)) return 'listing';
	}

	return undefined;
}

export function parseDump(text: string, options: {family?: Family; table?: string}): ParsedDump {
	const format = detectFormat(text);
	if (format === undefined) throw new UsageError('the input is neither `iptables -v -n -x -L`, `iptables-save -c` nor `nft -j list ruleset` output');
	if (format === 'nft') return parseNftRuleset(text, options.family ? {families: [options.family]} : {});
	return format === 'save' ? parseSave(text, options.family ? {family: options.family} : {}) : parseListing(text, options);
}

export async function inputSample(file: string, options: {family?: Family; table?: string; tables?: string[]}): Promise<RatedSample> {
	const text = await readInput(file);
	const dump = parseDump(text, options);
	const now = performance.now();
	const sample: Sample = {
		seq: 1,
		time: new Date(),
		monotonicMs: now,
		readMs: 0,
		source: {command: file === '-' ? 'standard input' : file, version: '', backend: 'file'},
		warnings: dump.approximate ? [...dump.warnings, 'counters are rounded (no -x): approximate'] : dump.warnings,
		approximate: dump.approximate,
		tables: dump.tables.filter(table => options.tables === undefined || options.tables.includes(table.name)),
	};
	return rateSample(null, sample).rated;
}
