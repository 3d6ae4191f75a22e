import {boundedMemo, type BoundedMemo} from './bounded-memo.ts';

// What Ink is given to draw changes a little every frame, so the memories kept for it (line
// widths, wrapped texts, rows) age once a frame: row-output.ts says when a frame is drawn, and
// each memory made here (frameMemo) starts a new generation (bounded-memo.ts).

const listeners: Array<() => void> = [];

/** `listener` runs after every frame drawn, in the order registered. */
function onFrameDrawn(listener: () => void): void {
	listeners.push(listener);
}

export function frameDrawn(): void {
	for (const listener of listeners) listener();
}

/** A memory for what Ink draws, a generation a frame: it keeps what the last two frames asked for. */
export function frameMemo<V>(limit = 4096): BoundedMemo<V> {
	const memo = boundedMemo<V>(limit);
	onFrameDrawn(memo.nextGeneration);
	return memo;
}
