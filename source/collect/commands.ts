import path from 'node:path';
import type {Family} from '../core/model.ts';
import {findBinary, SECURE_DIRECTORIES, siblingBinary} from './binaries.ts';
import {CollectError} from './collect-error.ts';

export type Backend = 'auto' | 'nft' | 'legacy';
export type Strategy = 'save' | 'list';

export type FamilyCommands = {
	family: Family;
	/** The listing binary (`iptables`, `ip6tables-nft`, …): used for -V and the list strategy. */
	iptables: string;
	/** The matching `-save` binary, when there is one. */
	save?: string;
	display: string;
};

const variantSuffix: Record<Backend, string> = {auto: '', nft: '-nft', legacy: '-legacy'};
const familyPrefix: Record<Family, string> = {ipv4: 'iptables', ipv6: 'ip6tables'};

function fromOverride(iptablesPath: string, family: Family): {iptables: string; save?: string} | undefined {
	const directory = path.dirname(iptablesPath);
	const base = path.basename(iptablesPath);
	const iptables = family === 'ipv4' ? iptablesPath : path.join(directory, base.replace(/^iptables/, 'ip6tables'));
	if (family === 'ipv6' && iptables === iptablesPath) return undefined;
	if (findBinary(path.basename(iptables), [directory]) === undefined) return undefined;
	const save = siblingBinary(iptables, '-save');
	return save ? {iptables, save} : {iptables};
}

function fromSecurePaths(backend: Backend, family: Family): {iptables: string; save?: string} | undefined {
	const name = familyPrefix[family] + variantSuffix[backend];
	const iptables = findBinary(name);
	if (iptables === undefined) return undefined;
	const save = findBinary(name + '-save');
	return save ? {iptables, save} : {iptables};
}

/** The binaries to run per family, and notes about what is missing (shown as warnings). */
export type ResolvedCommands = {plan: FamilyCommands[]; notes: string[]};

/** Which binaries to run for each family; throws `not-installed` when IPv4's are missing. */
export function resolveCommands(options: {
	families: Family[];
	familiesExplicit: boolean;
	backend: Backend;
	strategy: Strategy;
	iptablesPath?: string;
}): ResolvedCommands {
	const plan: FamilyCommands[] = [];
	const notes: string[] = [];
	for (const family of options.families) {
		const found = options.iptablesPath === undefined
			? fromSecurePaths(options.backend, family)
			: fromOverride(options.iptablesPath, family);
		if (found === undefined) {
			if (family === 'ipv6' && !options.familiesExplicit) {
				notes.push('ip6tables not found: showing IPv4 only');
				continue;
			}

			throw new CollectError({kind: 'not-installed', message: notInstalled(familyPrefix[family] + variantSuffix[options.backend], options.iptablesPath)});
		}

		const useSave = options.strategy === 'save' && found.save !== undefined;
		if (options.strategy === 'save' && !useSave) notes.push(`${found.iptables}-save not found: reading with ${path.basename(found.iptables)} -L per table`);
		plan.push({family, ...found, display: useSave ? `${found.save} -c` : `${found.iptables} -vnxL`});
	}

	if (plan.length === 0) throw new CollectError({kind: 'not-installed', message: 'no iptables binary found'});
	return {plan, notes};
}

function notInstalled(name: string, override: string | undefined): string {
	if (override !== undefined) return `--iptables ${override}: not an executable iptables binary`;
	return `${name} is not installed (looked in ${SECURE_DIRECTORIES.join(', ')}): install the iptables package `
		+ '(apt-get install iptables, dnf install iptables-nft) or point --iptables at it';
}
