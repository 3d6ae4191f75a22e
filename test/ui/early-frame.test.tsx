import assert from 'node:assert/strict';
import {test} from 'node:test';
import {App} from '../../source/ui/app.tsx';
import {startEarly} from '../../source/core/sample-source.ts';
import {renderAt} from './render.ts';
import {FakeSource, dockerSave, ratedRun} from './samples.ts';

// The dashboard reads while Ink loads (startEarly): a sample that arrived before the UI mounted is
// in the very first frame, not in a second one after the subscription's effect.

test('the first frame shows a sample read while the UI was loading', () => {
	const [first] = ratedRun([dockerSave({drop: [1, 60], accept80: [1, 60]})]);
	const fake = new FakeSource();
	const early = startEarly(fake);
	fake.emit({type: 'sample', sample: first!});
	const screen = renderAt(<App source={early} initial={{intervalMs: 1000, table: 'filter', chain: 'DOCKER'}} color={false} clock={() => 0}/>, 120, 12);
	try {
		const frame = screen.frame();
		assert.match(frame, /filter › DOCKER/);
		assert.match(frame, / DROP /);
		assert.doesNotMatch(frame, /waiting for the first sample|reading/i);
		assert.equal(fake.started, 1, 'started once, before the UI');
	} finally {
		screen.unmount();
	}
});
