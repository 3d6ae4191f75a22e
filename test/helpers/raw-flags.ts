import type {RawFlags} from '../../source/cli/flags.ts';

/** The flags as meow hands them over with every default, plus `extra`. */
export const rawFlags = (extra: Partial<RawFlags> = {}): RawFlags => ({
	json: false, once: false, interval: 1, ipv4: false, ipv6: false, backend: 'auto', strategy: 'save', timeout: 5,
	demo: false, debug: false, color: true, path: false, bits: false, ...extra,
});
