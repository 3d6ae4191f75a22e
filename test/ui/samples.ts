import {parseSave} from '../../source/core/parse-save.ts';
import type {Family, RatedSample, Sample} from '../../source/core/model.ts';
import {type RateState, rateSample} from '../../source/core/rates.ts';
import type {SampleSource, SourceDescription, SourceEvent} from '../../source/core/sample-source.ts';

// Samples for the UI tests: small iptables-save texts parsed by the real parser and rated by the
// real rate code, so the UI sees exactly what it sees in production.

export const DESCRIPTION: SourceDescription = {host: 'lab-host', command: 'iptables-save -c', version: '1.8.9', backend: 'nf_tables', families: ['ipv4']};

export type RuleCounters = Record<string, [number, number]>;

/** Docker-29-style nat and filter tables; `c` gives counters per rule name (see the keys). */
export function dockerSave(c: RuleCounters = {}): string {
	const n = (key: string): string => {
		const [packets, bytes] = c[key] ?? [0, 0];
		return `[${packets}:${bytes}]`;
	};

	return [
		'*nat',
		`:PREROUTING ACCEPT ${n('nat:PREROUTING')}`,
		':INPUT ACCEPT [0:0]',
		':OUTPUT ACCEPT [0:0]',
		`:POSTROUTING ACCEPT ${n('nat:POSTROUTING')}`,
		':DOCKER - [0:0]',
		`${n('prerouting')} -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER`,
		`${n('output')} -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER`,
		`${n('masq')} -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE`,
		`${n('dnat80')} -A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80`,
		`${n('dnat8080')} -A DOCKER ! -i br-0123456789ab -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80`,
		'COMMIT',
		'*filter',
		':INPUT ACCEPT [0:0]',
		`:FORWARD DROP ${n('filter:FORWARD')}`,
		':OUTPUT ACCEPT [0:0]',
		':DOCKER - [0:0]',
		':DOCKER-USER - [0:0]',
		`${n('fwd-user')} -A FORWARD -j DOCKER-USER`,
		`${n('fwd-ct')} -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
		`${n('fwd-docker')} -A FORWARD -o docker0 -j DOCKER`,
		`${n('accept80')} -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT`,
		`${n('drop')} -A DOCKER ! -i docker0 -o docker0 -j DROP`,
		'COMMIT',
		'',
	].join('\n');
}

export function sampleOf(text: string, seq: number, monotonicMs: number, family: Family = 'ipv4'): Sample {
	const parsed = parseSave(text, {family});
	return {
		seq,
		time: new Date(Date.UTC(2025, 0, 2, 3, 4, 5) + monotonicMs),
		monotonicMs,
		readMs: 12,
		source: {command: 'iptables-save -c', version: '1.8.9', backend: 'nf_tables'},
		warnings: parsed.warnings,
		approximate: parsed.approximate,
		tables: parsed.tables,
	};
}

/** Rates a run of texts taken `intervalMs` apart, as the poller does. */
export function ratedRun(texts: readonly string[], intervalMs = 1000, family: Family = 'ipv4'): RatedSample[] {
	let state: RateState | null = null;
	return texts.map((text, index) => {
		const result = rateSample(state, sampleOf(text, index + 1, 1000 + index * intervalMs, family));
		state = result.state;
		return result.rated;
	});
}

/** A SampleSource driven by the test. */
export class FakeSource implements SampleSource {
	started = 0;
	stopped = 0;
	intervals: number[] = [];
	description: SourceDescription = DESCRIPTION;
	private readonly listeners = new Set<(event: SourceEvent) => void>();

	subscribe(listener: (event: SourceEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	start(): void {
		this.started++;
	}

	stop(): void {
		this.stopped++;
	}

	setIntervalMs(ms: number): void {
		this.intervals.push(ms);
	}

	describe(): SourceDescription {
		return this.description;
	}

	emit(event: SourceEvent): void {
		for (const listener of this.listeners) listener(event);
	}

	get listening(): number {
		return this.listeners.size;
	}
}
