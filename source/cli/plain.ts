import type {RatedChain, RatedRule, RatedSample, RatedTable} from '../core/model.ts';
import {shownStatus} from '../core/nft-rates.ts';
import {printable} from '../core/printable.ts';

// One plain-text table for `--once` and `--input` without --json: what `iptables -vnxL` shows,
// plus the rates. No colour, no cursor movement: safe in a pipe or a log.

const units = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

export function formatPerSecond(value: number | null, unit: string): string {
	if (value === null) return '–';
	let scaled = value;
	let step = 0;
	while (Math.abs(scaled) >= 1000 && step < units.length - 1) {
		scaled /= 1000;
		step++;
	}

	const digits = step === 0 ? (scaled < 10 && scaled % 1 !== 0 ? 1 : 0) : 1;
	return `${scaled.toFixed(digits)} ${units[step]}${unit}/s`.replace(' /s', '/s');
}

function row(cells: string[], widths: number[]): string {
	return cells.map((cell, i) => (i < 6 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
}

function ruleCells(rule: RatedRule): string[] {
	// An nft rule without a counter has no counts at all: a dash, never 0.
	const counted = rule.counted !== false;
	return [
		String(rule.index),
		counted ? rule.packets.toString() : '–',
		counted ? rule.bytes.toString() : '–',
		formatPerSecond(rule.packetsPerSecond, '').replace(/ \/s$/, '/s'),
		formatPerSecond(rule.bytesPerSecond, 'B'),
		rule.status === 'ok' ? '' : shownStatus(rule),
		printable(rule.target + (rule.goto ? ' [goto]' : ''), 40),
		rule.protocol,
		printable(rule.in),
		printable(rule.out),
		rule.source,
		rule.destination,
		printable(rule.options),
	];
}

/** `ipv4 inet fwtest input (hook input priority 0, policy accept, no counters)`. */
function nftChainHeader(table: RatedTable, chain: RatedChain): string {
	const parts = chain.builtin ? [`hook ${chain.hook ?? '?'} priority ${chain.priority ?? '?'}`, `policy ${chain.policy ?? '?'}`] : [`${chain.references ?? '?'} references`];
	const rate = `${formatPerSecond(chain.rate.packetsPerSecond, '')} ${formatPerSecond(chain.rate.bytesPerSecond, 'B')}`;
	parts.push(chain.counted === false ? 'no counters' : `${chain.packets} packets, ${chain.bytes} bytes, ${rate}`);
	return `${table.family} ${table.nftFamily ?? ''} ${table.name} ${printable(chain.name)} (${parts.join(', ')})`;
}

function chainHeader(table: string, family: string, chain: RatedChain): string {
	const policy = chain.builtin ? `policy ${chain.policy ?? '?'} ` : `${chain.references ?? '?'} references, `;
	const rate = `${formatPerSecond(chain.rate.packetsPerSecond, '')} ${formatPerSecond(chain.rate.bytesPerSecond, 'B')}`;
	return `${family} ${table} ${printable(chain.name)} (${policy}${chain.packets} packets, ${chain.bytes} bytes, ${rate})`;
}

const header = ['#', 'pkts', 'bytes', 'pkts/s', 'bytes/s', 'status', 'target', 'prot', 'in', 'out', 'source', 'destination', 'options'];

export function plainTable(sample: RatedSample): string {
	const lines: string[] = [];
	const elapsed = sample.elapsed === null ? 'no previous sample: rates unknown' : `rates over ${sample.elapsed.toFixed(3)} s`;
	const backend = [sample.source.backend, sample.source.version].filter(Boolean).join(' ');
	lines.push(`fwtop ${sample.time.toISOString()} ${sample.source.command} (${backend}), ${elapsed}`);
	for (const warning of sample.warnings) lines.push(`warning: ${printable(warning)}`);
	for (const table of sample.tables) {
		for (const chain of table.chains) {
			const rows = [header, ...chain.rules.map(rule => ruleCells(rule))];
			const widths = header.map((_, i) => Math.max(...rows.map(cells => cells[i]!.length)));
			const title = table.backend === 'nft' ? nftChainHeader(table, chain) : chainHeader(table.name, table.family, chain);
			lines.push('', title, ...rows.map(cells => row(cells, widths)));
		}
	}

	return lines.join('\n') + '\n';
}
