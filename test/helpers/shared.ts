import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

// ../shared (beside the checkout) holds real captures from many iptables versions. CI always has
// it; a fresh clone elsewhere may not, and then those cases are skipped with this reason.
export const sharedDirectory = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const sharedPresent = existsSync(sharedDirectory + 'fixtures');
export const sharedMissingReason = `${sharedDirectory} not present: cases from ../shared skipped`;

export function readShared(relative: string): string {
	return readFileSync(sharedDirectory + relative, 'utf8');
}

export function readFixture(name: string): string {
	return readFileSync(fileURLToPath(new URL('../fixtures/' + name, import.meta.url)), 'utf8');
}
