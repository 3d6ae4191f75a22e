// A stand-in iptables (or ip6tables) for fwtop's --iptables: `iptables -V` names 1.8.9
// (nf_tables), and `iptables-save` runs the shell lines given (which print the dump). No firewall
// is read or touched. Used by test/cli/json-slow-reader.test.ts, test/ui/e2e-focus.test.ts and
// bench/memory.ts.
import {chmodSync, writeFileSync} from 'node:fs';
import path from 'node:path';

/** Writes `name` (iptables, or ip6tables beside it) and `name-save` into `dir`; returns the path
 * to give --iptables (for ip6tables, the one fwtop finds beside that iptables). */
export function writeStandInIptables(dir: string, saveScript: string, name: 'iptables' | 'ip6tables' = 'iptables'): string {
	const iptables = path.join(dir, name);
	writeFileSync(iptables, `#!/bin/sh\n[ "$1" = -V ] && echo "${name} v1.8.9 (nf_tables)" && exit 0\nexit 1\n`);
	writeFileSync(`${iptables}-save`, `#!/bin/sh\n${saveScript}\n`);
	chmodSync(iptables, 0o755);
	chmodSync(`${iptables}-save`, 0o755);
	return iptables;
}
