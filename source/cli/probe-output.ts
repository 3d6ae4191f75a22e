import {writeJson} from '../core/json.ts';
import {printable} from '../core/printable.ts';
import type {ProbeDiff, ProbeRow} from '../core/probe.ts';

// What `fwtop probe` prints: one JSON object (--json), or the moved rules in path order with
// their deltas, the notes, and the command's exit status last.

export type ProbeReport = {
	command: string[];
	/** 0 when every run exited 0; else the first failing run's status (128 + n for signal n). */
	exitCode: number;
	repeat: number;
	/** Runs made: `repeat`, or fewer when interrupted. The certainty threshold. */
	runs: number;
	failedRuns: number;
	diff: ProbeDiff;
	/** Notes about the runs themselves (who ran it, failures), shown before the diff's notes. */
	runNotes: string[];
	/** How the failing run ended, for the text output: `exit status 7`, `killed by SIGKILL`. */
	status: string;
};

function rowJson(row: ProbeRow) {
	return {
		family: row.family,
		table: row.table,
		chain: row.chain,
		id: row.id,
		index: row.index,
		target: row.target,
		spec: row.spec,
		comment: row.comment,
		deltaPackets: row.deltaPackets,
		deltaBytes: row.deltaBytes,
		certain: row.certain,
		kind: row.kind,
		hook: row.hook,
		depth: row.depth,
	};
}

export function probeJson(report: ProbeReport): string {
	return writeJson({
		command: report.command,
		exitCode: report.exitCode,
		repeat: report.repeat,
		runs: report.runs,
		failedRuns: report.failedRuns,
		elapsed: report.diff.elapsed,
		rules: report.diff.rows.map(row => rowJson(row)),
		notes: [...report.runNotes, ...report.diff.notes],
	});
}

/** `curl -s 'http://x/?a b'`: the command as a shell would take it back. */
export function shellWords(words: readonly string[]): string {
	return words.map(word => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`)).join(' ');
}

function ruleLabel(row: ProbeRow): string {
	const where = `${row.table} ${row.chain}`;
	if (row.kind === 'policy') return `${where} policy ${row.target}`;
	const text = row.spec === '' ? `-j ${row.target}` : row.spec;
	return `${where} #${row.index ?? '?'}  ${printable(text, 300)}`;
}

function groupLabel(row: ProbeRow, families: number): string {
	const family = families > 1 ? `${row.family} ` : '';
	return row.hook === null ? `${family}not reached from a hook` : `${family}${row.hook}`;
}

function rowLines(report: ProbeReport): string[] {
	const rows = report.diff.rows;
	const marks = report.runs > 1;
	const packetsWidth = Math.max(8, ...rows.map(row => row.deltaPackets.toString().length));
	const bytesWidth = Math.max(8, ...rows.map(row => row.deltaBytes.toString().length));
	const families = new Set(rows.map(row => row.family)).size;
	const lines = [`${marks ? '  ' : ''}${'Δpackets'.padStart(packetsWidth)}  ${'Δbytes'.padStart(bytesWidth)}  rule`];
	let group = '';
	for (const row of rows) {
		const label = groupLabel(row, families);
		if (label !== group) {
			lines.push(label);
			group = label;
		}

		const mark = marks ? (row.certain ? '* ' : '  ') : '';
		const counts = `${row.deltaPackets.toString().padStart(packetsWidth)}  ${row.deltaBytes.toString().padStart(bytesWidth)}`;
		lines.push(`${mark}${counts}  ${'  '.repeat(row.depth)}${ruleLabel(row)}`);
	}

	return lines;
}

export function probeText(report: ProbeReport): string {
	const runs = report.runs === 1 ? '1 run' : `${report.runs} runs`;
	const elapsed = report.diff.elapsed === null ? '' : `, ${report.diff.elapsed.toFixed(2)} s between the readings`;
	const lines = [`fwtop probe: ${printable(shellWords(report.command), 200)} — ${runs}${elapsed}`];
	if (report.diff.rows.length > 0) lines.push(...rowLines(report));
	if (report.runs > 1 && report.diff.rows.length > 0) {
		lines.push(`* moved at least ${report.runs} packets: crossed by every run (the other rows may be background traffic)`);
	}

	const notes = [...report.runNotes, ...report.diff.notes];
	if (notes.length > 0) lines.push('notes:', ...notes.map(note => `  - ${printable(note)}`));
	const failed = report.failedRuns === 0 ? '' : ` (${report.failedRuns} of ${runs} failed)`;
	lines.push(`command ${report.status}${failed}`);
	return lines.join('\n') + '\n';
}
