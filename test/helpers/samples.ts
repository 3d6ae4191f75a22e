import type {Family, Sample} from '../../source/core/model.ts';
import {parseSave} from '../../source/core/parse-save.ts';

/** A Sample from iptables-save text, arriving at `monotonicMs`. */
export function sampleFromSave(text: string, monotonicMs: number, options: {seq?: number; family?: Family} = {}): Sample {
	const dump = parseSave(text, options.family ? {family: options.family} : {});
	return {
		seq: options.seq ?? 1,
		time: new Date(Date.UTC(2026, 10, 24, 12, 0, 0) + monotonicMs),
		monotonicMs,
		readMs: 5,
		source: {command: 'iptables-save -c', version: '1.8.9', backend: 'nf_tables'},
		warnings: dump.warnings,
		approximate: dump.approximate,
		tables: dump.tables,
	};
}

/** nat rules in Docker's shape, with the DNAT counter given. */
export function dockerNat(dnatPackets: number, options: {inserted?: string; returnPackets?: number} = {}): string {
	return [
		'*nat',
		':PREROUTING ACCEPT [0:0]',
		':POSTROUTING ACCEPT [0:0]',
		':DOCKER - [0:0]',
		`[${dnatPackets}:${dnatPackets * 60}] -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER`,
		...(options.inserted ? [options.inserted] : []),
		`[${options.returnPackets ?? 0}:0] -A DOCKER -i docker0 -j RETURN`,
		`[${dnatPackets}:${dnatPackets * 60}] -A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80`,
		'COMMIT',
		'',
	].join('\n');
}

/** Plain data, with each bigint as `<digits>n`: for comparing parsed or rated samples where object
 * identity (which the parsers' and rates' memories reuse on purpose) must not matter. */
export const plainData = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item)));
