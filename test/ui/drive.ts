import type {RatedSample} from '../../source/core/model.ts';
import {type Action, reduce} from '../../source/ui/reducer.ts';
import {type InitialOptions, type Row, type State, createState, topFrame} from '../../source/ui/state.ts';

// Drives the reducer the way the root does, without a renderer: keys one at a time, samples with
// a fake monotonic clock.

export type Driver = {
	state: State;
	now: number;
	keys(...keys: string[]): Driver;
	sample(sample: RatedSample, advanceMs?: number): Driver;
	act(action: Action): Driver;
	advance(ms: number): Driver;
};

export function drive(initial: Partial<InitialOptions> = {}, viewportRows = 10): Driver {
	const driver: Driver = {
		state: reduce(createState({intervalMs: 1000, ...initial}), {type: 'viewport', rows: viewportRows}),
		now: 0,
		keys(...keys) {
			for (const key of keys) driver.state = reduce(driver.state, {type: 'key', key, now: driver.now});
			return driver;
		},
		sample(sample, advanceMs = 1000) {
			driver.now += advanceMs;
			driver.state = reduce(driver.state, {type: 'sample', sample, now: driver.now});
			return driver;
		},
		act(action) {
			driver.state = reduce(driver.state, action);
			return driver;
		},
		advance(ms) {
			driver.now += ms;
			return driver;
		},
	};
	return driver;
}

/** A short name per row: `filter FORWARD` for chains, `3 DNAT` for rules, `~` marks a tombstone. */
export function label(row: Row): string {
	const mark = row.gone ? '~' : '';
	if (row.kind === 'chain') return `${mark}${row.table.name} ${row.chain.name}`;
	if (row.kind === 'rule') return `${mark}${row.rule.index} ${row.rule.target}`;
	return `${mark}${row.path.kind} ${row.path.label}`;
}

export const labels = (state: State): string[] => state.rows.map(label);

export function selected(state: State): string | undefined {
	const frame = topFrame(state);
	const row = state.rows[frame.index];
	return row === undefined ? undefined : label(row);
}
