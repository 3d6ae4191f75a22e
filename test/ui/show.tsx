import type {RatedSample} from '../../source/core/model.ts';
import type {SourceDescription} from '../../source/core/sample-source.ts';
import {App} from '../../source/ui/app.tsx';
import type {InitialOptions} from '../../source/ui/state.ts';
import {type Rendered, renderAt} from './render.ts';
import {FakeSource} from './samples.ts';

// The real App with a fake source and a fake clock, for frame tests: mount, feed the first
// samples one second apart, and hand back the screen, the source and the clock.

export type Shown = Rendered & {
	source: FakeSource;
	/** Moves the fake clock on. */
	advance(ms: number): void;
	/** Emits a sample `ms` after the last event and waits until `ready` holds for the frame. */
	sample(sample: RatedSample, ready: (frame: string) => boolean, ms?: number): Promise<string>;
};

export type ShowOptions = {
	initial?: Partial<InitialOptions>;
	description?: Partial<SourceDescription>;
};

export async function show(columns: number, rows: number, samples: readonly RatedSample[], options: ShowOptions = {}): Promise<Shown> {
	const source = new FakeSource();
	source.description = {...source.description, ...options.description};
	let now = 10_000;
	const screen = renderAt(<App source={source} initial={{intervalMs: 1000, ...options.initial}} color={false} clock={() => now}/>, columns, rows);
	await screen.waitFor(() => source.listening === 1);
	samples.forEach((sample, index) => {
		if (index > 0) now += 1000;
		source.emit({type: 'sample', sample});
	});
	now += 400;
	await screen.waitFor(frame => frame.includes('0.4s ago'));
	return {
		...screen,
		source,
		advance(ms) {
			now += ms;
		},
		async sample(sample, ready, ms = 1000) {
			now += ms;
			source.emit({type: 'sample', sample});
			return screen.waitFor(ready);
		},
	};
}
