import {EventEmitter} from 'node:events';

// A terminal for runDashboard without one: a stdout that keeps what was written, and a keyboard
// that hands Ink keys as a TTY ReadStream does (test/ui/run.test.ts, test/ui/waiting-frame.test.tsx).

export class FakeTerminal extends EventEmitter {
	isTTY = true;
	columns = 100;
	rows = 20;
	output = '';
	write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
		this.output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
		const callback = rest.find(argument => typeof argument === 'function') as (() => void) | undefined;
		callback?.();
		return true;
	};
}

/** Keys typed before anyone listens wait, as they wait in a real terminal: a stream that gets a
 * 'readable' listener while data is pending says so (Node's Readable does, on adding one). */
export class FakeKeyboard extends EventEmitter {
	isTTY = true;
	rawMode = false;
	private data: string | null = null;
	constructor() {
		super();
		this.on('newListener', (event: string) => {
			if (event === 'readable' && this.data !== null) setImmediate(() => this.emit('readable'));
		});
	}

	setRawMode(mode: boolean): void {
		this.rawMode = mode;
	}

	setEncoding(): void {}
	ref(): void {}
	unref(): void {}
	resume(): void {}
	pause(): void {}
	read = (): string | null => {
		const {data} = this;
		this.data = null;
		return data;
	};

	type(data: string): void {
		this.data = (this.data ?? '') + data;
		this.emit('readable');
	}
}
