// What Ink is given to draw changes a little every frame, so the memories kept for it (line
// widths, wrapped texts, rows) age once a frame: row-output.ts says when a frame is drawn, and
// each memory registered here starts a new generation (bounded-memo.ts).

const listeners: Array<() => void> = [];

/** `listener` runs after every frame drawn, in the order registered. */
export function onFrameDrawn(listener: () => void): void {
	listeners.push(listener);
}

export function frameDrawn(): void {
	for (const listener of listeners) listener();
}
