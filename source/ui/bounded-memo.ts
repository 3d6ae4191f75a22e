/** `compute` remembered per key, for the strings Ink sees on every frame: at most `limit` keys,
 * all forgotten at once when full (a screen's lines fit many times over; a clear is cheaper than
 * keeping an order). */
export function boundedMemo<V>(limit: number, compute: (key: string) => V): (key: string) => V {
	const values = new Map<string, V>();
	return key => {
		let value = values.get(key);
		if (value === undefined) {
			value = compute(key);
			if (values.size >= limit) values.clear();
			values.set(key, value);
		}

		return value;
	};
}
