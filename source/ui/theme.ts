import {type Mark, deltaSince, markActivity} from './mark.ts';
import {activity} from './rows.ts';
import type {Row} from './state.ts';

// Named ANSI colours only: the terminal's palette maps them to something readable on its own
// background, dark or light. No white, black, grey or yellow (unreadable on one of the two); dim,
// bold, inverse and strikethrough carry the meaning when colour is off (NO_COLOR, --no-color).

export type Tone = 'plain' | 'title' | 'active' | 'warn' | 'dim' | 'gone' | 'error' | 'note';

export type ToneProps = {
	color?: string;
	bold?: boolean;
	dimColor?: boolean;
	italic?: boolean;
	strikethrough?: boolean;
};

export function toneProps(tone: Tone, color: boolean): ToneProps {
	switch (tone) {
		case 'plain': return {};
		case 'title': return {bold: true};
		case 'active': return color ? {color: 'green', bold: true} : {bold: true};
		case 'warn': return color ? {color: 'red', bold: true} : {bold: true};
		case 'error': return color ? {color: 'red'} : {bold: true};
		case 'dim': return {dimColor: true};
		case 'gone': return {dimColor: true, strikethrough: true};
		case 'note': return color ? {color: 'magenta'} : {italic: true};
	}
}

const dropping = /^(?:DROP|REJECT)$/i;

function verdict(row: Row): string | undefined {
	if (row.kind === 'rule') return row.rule.target;
	if (row.kind === 'chain') return row.chain.policy ?? undefined;
	if (row.path.kind === 'rule') return row.path.rule?.target;
	return row.path.kind === 'policy' ? row.path.chainRef?.policy ?? undefined : undefined;
}

/** A chain is busy when its rules match; its DROP policy only drops what reaches the end. */
function verdictHasTraffic(row: Row, mark: Mark | null): boolean {
	if (row.kind !== 'chain') return true;
	if (mark !== null) return deltaSince(mark, row.chain.key, row.chain).packets > 0n;
	return (row.chain.rate.packetsPerSecond ?? 0) > 0;
}

/** How a row stands out: traffic highlighted, DROP/REJECT with traffic in the warning colour,
 * idle rows dim, unknown rates plain, vanished rows dim and struck through. With a mark,
 * "traffic" is having moved since the mark. */
export function rowTone(row: Row, mark: Mark | null = null): Tone {
	if (row.gone) return 'gone';
	if (row.kind === 'path') {
		if (row.path.kind === 'note' || row.path.kind === 'folded' || row.path.kind === 'return') return 'dim';
		if (row.path.kind === 'hook') return 'title';
	}

	const state = mark === null ? activity(row) : markActivity(mark, row);
	if (state === 'active') return dropping.test(verdict(row) ?? '') && verdictHasTraffic(row, mark) ? 'warn' : 'active';
	if (row.kind === 'path' && row.path.kind === 'chain') return 'plain';
	return state === 'idle' ? 'dim' : 'plain';
}
