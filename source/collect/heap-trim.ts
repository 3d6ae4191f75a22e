import v8 from 'node:v8';
import vm from 'node:vm';

// A full garbage collection between two reads, when the heap has grown well past what the last
// one kept. V8 lets its old generation grow to 2–4× the live heap before it collects on its own,
// and the resident size follows: at 50,000 rules the dashboard keeps about 100 MB, a sample
// leaves tens of MB of garbage (the dump, the rates' new objects, rows and frames, a JSON line),
// and the process sat at 390 MB (bench/memory.ts). Collecting when the garbage reaches half the
// live heap (at least MIN_GROWTH_BYTES) holds the heap near 1.5× what is live: with the other
// changes measured there, 253 MB, and at 10,000 rules `--json` 118 MB instead of 155, with no
// measurable CPU (a forced collection replaces the ones V8 would have made on a bigger heap). The
// heap limit cannot be set from inside (V8 sizes it when it starts; `node --max-old-space-size`
// would need a wrapper the single-file build cannot have), so the collection is asked for:
// `--expose-gc` set at run time installs `gc` in contexts made after it, such as one from `vm`.

/** Below this much growth no collection is forced: at 10,000 rules a sample leaves a few MB, and a
 * full collection every few samples stays a small share of the `iptables-save` it follows. */
export const MIN_GROWTH_BYTES = 32 * 1024 * 1024;

export type HeapStats = {used(): number};

export type HeapTrim = {
	/** Collects if the heap grew past the threshold since the last collection; true if it did. */
	maybeCollect(): boolean;
};

let exposed: (() => void) | undefined;

/** V8 doubles the young generation's semi-spaces (up to 16 MB each, 32 MB resident) whenever a
 * scavenge finds much of it alive; `--semi-space-growth-factor` is read at each growth, so set at
 * run time it keeps them at their start size (1 MB) — unlike `--max-semi-space-size`, which V8
 * reads once when it starts. At 10,000 rules (`--json`): 30 MB less resident without the forced
 * collections below, 6 MB less with them; CPU within noise. */
function keepYoungGenerationSmall(): void {
	v8.setFlagsFromString('--semi-space-growth-factor=1');
}

function exposeGc(): () => void {
	if (exposed === undefined) {
		v8.setFlagsFromString('--expose-gc');
		exposed = vm.runInNewContext('gc') as () => void;
	}

	return exposed;
}

const v8Stats: HeapStats = {used: () => v8.getHeapStatistics().used_heap_size};

/** `collect` and `stats` are injected for tests; by default V8's own. */
export function createHeapTrim(options: {collect?: () => void; stats?: HeapStats; minGrowth?: number} = {}): HeapTrim {
	if (options.collect === undefined) keepYoungGenerationSmall();
	const stats = options.stats ?? v8Stats;
	const minGrowth = options.minGrowth ?? MIN_GROWTH_BYTES;
	let collect = options.collect;
	let kept = stats.used();
	return {
		maybeCollect() {
			const used = stats.used();
			// V8 collected on its own since: measure the growth from what that kept.
			kept = Math.min(kept, used);
			if (used - kept < Math.max(minGrowth, kept / 2)) return false;
			collect ??= exposeGc();
			collect();
			kept = stats.used();
			return true;
		},
	};
}
