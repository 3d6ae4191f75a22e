import type {Family, Rule} from './model.ts';
import {protocolName} from './protocols.ts';
import {splitSaveWords, type SaveWord} from './save-tokens.ts';

/** A rule's fields apart from its position and counters: what depends only on its text. */
export type RuleBody = Omit<Rule, 'index' | 'packets' | 'bytes'>;

type Fields = {
	target: string;
	goto: boolean;
	protocolRaw: string;
	opt: string;
	in: string;
	out: string;
	source: string;
	destination: string;
	comment: string | null;
	options: string[];
};

/** Listing (`-L -n`) prints a single host without its prefix length; so do we, for both sources. */
function address(value: string, family: Family): string {
	const host = family === 'ipv4' ? '/32' : '/128';
	return value.endsWith(host) ? value.slice(0, -host.length) : value;
}

function defaults(family: Family): Fields {
	const any = family === 'ipv4' ? '0.0.0.0/0' : '::/0';
	return {target: '', goto: false, protocolRaw: 'all', opt: '--', in: '*', out: '*', source: any, destination: any, comment: null, options: []};
}

/** Applies one `[!] -x VALUE` selector; returns how many words it consumed (0 = not a selector). */
function applySelector(fields: Fields, words: SaveWord[], i: number, negated: boolean, family: Family): number {
	const flag = words[i]!.value;
	const value = words[i + 1]?.value ?? '';
	const bang = negated ? '!' : '';
	switch (flag) {
		case '-p': case '--protocol': {
			fields.protocolRaw = bang + value; return 2;
		}

		case '-s': case '--source': {
			fields.source = bang + address(value, family); return 2;
		}

		case '-d': case '--destination': {
			fields.destination = bang + address(value, family); return 2;
		}

		case '-i': case '--in-interface': {
			fields.in = bang + value; return 2;
		}

		case '-o': case '--out-interface': {
			fields.out = bang + value; return 2;
		}

		case '-f': case '--fragment': {
			fields.opt = negated ? '!f' : '-f'; return 1;
		}

		case '-g': case '--goto': {
			fields.target = value; fields.goto = true; return 2;
		}

		default: {
			return 0;
		}
	}
}

/** The options as one string: a slice of `spec` when they stand in it as they are (kube-proxy's
 * `-m comment --comment "…"`), which shares its characters instead of copying them per rule. */
function optionsOf(words: string[], spec: string): string {
	const joined = words.join(' ');
	const at = joined.length > 0 ? spec.indexOf(joined) : -1;
	return at < 0 ? joined : spec.slice(at, at + joined.length);
}

/** One literal, one hidden class: a rest-and-spread copy gave every rule a map of its own. */
function bodyOf(fields: Fields, spec: string): RuleBody {
	return {
		target: fields.target,
		goto: fields.goto,
		protocol: protocolName(fields.protocolRaw),
		protocolRaw: fields.protocolRaw,
		opt: fields.opt,
		in: fields.in,
		out: fields.out,
		source: fields.source,
		destination: fields.destination,
		options: optionsOf(fields.options, spec),
		comment: fields.comment,
		spec,
	};
}

/** Parses the words after `-A CHAIN` into display fields; `spec` is kept verbatim as identity. */
export function parseRuleBody(spec: string, family: Family): RuleBody {
	const words = splitSaveWords(spec);
	const fields = defaults(family);
	let negated = false;
	for (let i = 0; i < words.length;) {
		const word = words[i]!;
		if (word.value === '!' && word.raw === '!') {
			negated = true;
			i++;
			continue;
		}

		if (word.value === '-j' || word.value === '--jump') {
			fields.target = words[i + 1]?.value ?? '';
			fields.options.push(...words.slice(i + 2).map(w => w.raw));
			break;
		}

		const used = applySelector(fields, words, i, negated, family);
		if (used === 0) {
			if (negated) fields.options.push('!');
			if (word.value === '--comment' && fields.comment === null) fields.comment = words[i + 1]?.value ?? '';
			fields.options.push(word.raw);
		}

		negated = false;
		i += Math.max(used, 1);
	}

	return bodyOf(fields, spec);
}
