import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {test} from 'node:test';
import {createScreenWriter, lineUpdates} from '../../source/ui/screen-writer.ts';

class Target extends EventEmitter {
	isTTY = true;
	columns = 40;
	rows = 10;
	written: string[] = [];
	write(text: string): boolean {
		this.written.push(text);
		return true;
	}
}

test('only changed lines are sent, each addressed absolutely', () => {
	assert.equal(lineUpdates(['a', 'b', 'c'], ['a', 'B', 'c']), '\u001B[2;1HB\u001B[K');
	assert.equal(lineUpdates(['a', 'b'], ['a']), '\u001B[2;1H\u001B[K', 'a line that went is cleared');
	assert.equal(lineUpdates([], ['x', 'y']), '\u001B[1;1Hx\u001B[K\u001B[2;1Hy\u001B[K');
	assert.equal(lineUpdates(['same'], ['same']), '');
});

test("Ink's frames become line updates; a steady screen sends only what moved", () => {
	const target = new Target();
	const writer = createScreenWriter(target as unknown as NodeJS.WriteStream);
	const {stream} = writer;
	assert.equal(stream.columns, 40, 'the size is the terminal\'s');
	stream.write('\u001B[?25l');
	stream.write('header 0.1s ago\nrow 1\nrow 2\n');
	stream.write('\u001B[2K\u001B[1A\u001B[2K\u001B[1A\u001B[2K\u001B[1A\u001B[2K\u001B[G' + 'header 1.1s ago\nrow 1\nrow 2\n');
	assert.deepEqual(target.written, [
		'\u001B[?25l',
		'\u001B[1;1Hheader 0.1s ago\u001B[K\u001B[2;1Hrow 1\u001B[K\u001B[3;1Hrow 2\u001B[K',
		'\u001B[1;1Hheader 1.1s ago\u001B[K',
	]);
	stream.write('\u001B[2K\u001B[G');
	assert.equal(target.written.length, 3, 'erase-only writes are not passed on');
	writer.repaint();
	assert.equal(target.written.at(-1), '\u001B[2J\u001B[1;1Hheader 1.1s ago\u001B[K\u001B[2;1Hrow 1\u001B[K\u001B[3;1Hrow 2\u001B[K');
	assert.deepEqual(writer.stats().frames, 2);
});
