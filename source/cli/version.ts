import {readFileSync} from 'node:fs';

// The build bakes the version in (scripts/build.mjs defines FWTOP_VERSION), so neither the bundle
// nor the standalone executable needs a package.json beside it; from source it is read from ours.
declare const FWTOP_VERSION: string | undefined;

function fromPackage(): string {
	try {
		return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;
	} catch {
		return 'unknown';
	}
}

export const VERSION: string = typeof FWTOP_VERSION === 'string' ? FWTOP_VERSION : fromPackage();
