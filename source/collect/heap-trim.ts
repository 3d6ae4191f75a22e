import v8 from 'node:v8';
import vm from 'node:vm';

// A full garbage collection between two reads, when the heap has grown well past what the last
// one kept. V8 lets its old generation grow to 2–4× the live heap before it collects on its own,
// and the resident size follows: at 50,000 rules the dashboard keeps about 100 MB, a sample
// leaves tens of MB of garbage (the dump, the rates' new objects, rows and frames, a JSON line),
// and the process sat at 390 MB (bench/memory.ts). Collecting when the garbage reaches half the
// live heap (at least 32 MB) held the heap near 1.5× what is live: with the other changes
// measured there, 253 MB, and at 10,000 rules `--json` 118 MB instead of 155, with no measurable
// CPU (a forced collection replaces the ones V8 would have made on a bigger heap). Since the dump
// is parsed as it arrives (parse-save.ts `SaveStream`) a sample leaves less, and the threshold is
// a quarter (GROWTH_SHARE, at least MIN_GROWTH_BYTES): over 150 samples at 50,000 rules, `--json`
// 152 → 146–147 MB on average and 154–155 → 141–142 MB at the end, for 494–543 → 585–592 ms of
// CPU a sample; the dashboard 195 → 189 and 188 → 177 MB, 313 → 357 ms; `--json` at 10,000 rules
// 93–94 → 87–90 and 104–109 → 88–92 MB, CPU within noise (interleaved runs of bench/memory.ts). The
// heap limit cannot be set from inside (V8 sizes it when it starts; `node --max-old-space-size`
// would need a wrapper the single-file build cannot have), so the collection is asked for:
// `--expose-gc` set at run time installs `gc` in contexts made after it, such as one from `vm`.

/** Below this much growth no collection is forced: at 10,000 rules a sample leaves a few MB, and a
 * full collection every few samples stays a small share of the `iptables-save` it follows. */
export const MIN_GROWTH_BYTES = 16 * 1024 * 1024;

/** A collection is forced once the heap grew by this share of what the last one kept. */
export const GROWTH_SHARE = 0.25;

/** A forced collection compacts the old generation when the last one left V8 holding more than
 * this many times what was live. A plain full collection frees objects but keeps nearly every page
 * they were on: at 50,000 rules V8 held 109–115 MB for 64 MB live (`--json`), 157–170 MB for 94
 * MB (the dashboard). Compacting (V8's `--compact-on-every-full-gc`, set around that one
 * collection) moves the survivors together and gives the pages back. Over 130–150 samples
 * (bench/memory.ts, interleaved runs): mean resident size 178 → 152 MB (`--json`) and 235–236 →
 * 200–203 MB (the dashboard); CPU a sample 763 → 697–783 ms and 458–519 → 483–572 ms, within the
 * runs' spread. While a compaction runs the survivors exist twice: the highest resident size went
 * from 203 to 239 MB and from 272–275 to 317–319 MB. Compacting at every forced collection had
 * cost 37 % more CPU a sample. */
export const FRAGMENTED = 1.5;

/** After a compaction that took T ms, the next waits at least this many times T: compacting takes
 * at most about 5 % of the time, whatever the heap. */
export const COMPACTION_COST_FACTOR = 20;

/** `used`: bytes in use; `held`: bytes V8 holds for its heap (total_heap_size). */
export type HeapStats = {used(): number; held(): number};

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

/** A full collection by V8, compacting the old generation when asked. */
export function collectGarbage(compact: boolean): void {
	const gc = exposeGc();
	if (!compact) {
		gc();
		return;
	}

	v8.setFlagsFromString('--compact-on-every-full-gc');
	try {
		gc();
	} finally {
		v8.setFlagsFromString('--no-compact-on-every-full-gc');
	}
}

const v8Stats: HeapStats = {used: () => v8.getHeapStatistics().used_heap_size, held: () => v8.getHeapStatistics().total_heap_size};

export type HeapTrimOptions = {
	/** Injected for tests: by default V8's own collection, statistics and performance.now(). */
	collect?: (compact: boolean) => void;
	stats?: HeapStats;
	clock?: () => number;
	minGrowth?: number;
};

export function createHeapTrim(options: HeapTrimOptions = {}): HeapTrim {
	if (options.collect === undefined) keepYoungGenerationSmall();
	const {stats = v8Stats, clock = () => performance.now(), minGrowth = MIN_GROWTH_BYTES, collect = collectGarbage} = options;
	let kept = stats.used();
	let fragmented = false;
	let compactAfter = Number.NEGATIVE_INFINITY;
	return {
		maybeCollect() {
			const used = stats.used();
			// V8 collected on its own since: measure the growth from what that kept.
			kept = Math.min(kept, used);
			if (used - kept < Math.max(minGrowth, kept * GROWTH_SHARE)) return false;
			const started = clock();
			const compact = fragmented && started >= compactAfter;
			collect(compact);
			const ended = clock();
			if (compact) compactAfter = ended + (COMPACTION_COST_FACTOR * (ended - started));
			kept = stats.used();
			fragmented = stats.held() > FRAGMENTED * kept;
			return true;
		},
	};
}
