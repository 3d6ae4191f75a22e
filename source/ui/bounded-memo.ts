/** A memory of values by string key, for the strings Ink sees on every frame, kept in two
 * generations: the current one and the one before. `nextGeneration` (once a frame, through
 * frame-drawn.ts) drops what was not asked for in the last two frames, so the memory holds about
 * two screens' worth, steady however long fwtop runs (bench/memory.ts checks the heap does not
 * grow); `limit` starts a new generation early if one frame asks for that many keys. */
export type BoundedMemo<V> = {
	/** The value for `key`; `make` is called when it is not remembered. */
	get(key: string, make: () => V): V;
	nextGeneration(): void;
	/** Values held, both generations counted. */
	readonly size: number;
};

export function boundedMemo<V>(limit: number): BoundedMemo<V> {
	let current = new Map<string, V>();
	let previous = new Map<string, V>();
	const nextGeneration = (): void => {
		previous = current;
		current = new Map();
	};

	return {
		get(key, make) {
			let value = current.get(key);
			if (value !== undefined) return value;
			value = previous.get(key) ?? make();
			if (current.size >= limit) nextGeneration();
			current.set(key, value);
			return value;
		},
		nextGeneration,
		get size() {
			return current.size + previous.size;
		},
	};
}
