import {accessSync, constants} from 'node:fs';
import path from 'node:path';

// fwtop runs as root: which iptables it runs must not depend on PATH, which sudo, a user's shell
// profile or an attacker may have changed. Only these directories are searched.
export const SECURE_DIRECTORIES = ['/usr/sbin', '/sbin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

function isExecutable(file: string): boolean {
	try {
		accessSync(file, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/** The first executable called `name` in the secure directories, or undefined. */
export function findBinary(name: string, directories: string[] = SECURE_DIRECTORIES): string | undefined {
	for (const directory of directories) {
		const candidate = path.join(directory, name);
		if (isExecutable(candidate)) return candidate;
	}

	return undefined;
}

/** `/opt/x/iptables-nft` → `/opt/x/iptables-nft-save` (same directory, same variant). */
export function siblingBinary(iptables: string, suffix: string): string | undefined {
	const candidate = iptables + suffix;
	return isExecutable(candidate) ? candidate : undefined;
}
