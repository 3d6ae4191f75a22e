import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {describe, it} from 'node:test';
import {chainKey, ruleKey} from '../../source/core/identity.ts';
import type {Rule, Sample} from '../../source/core/model.ts';
import {createSaveParser} from '../../source/core/parse-save.ts';
import {rateSample, type RateState} from '../../source/core/rates.ts';

// A rated iptables rule reads its parsed rule's fields instead of copying them, and makes its key
// only when asked (source/core/rated-rule.ts): the same values as before, in less memory.

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

const sampleOf = (tables: Sample['tables'], seq: number): Sample => ({
	seq, time: new Date(0), monotonicMs: seq * 1000, readMs: 1, approximate: false, warnings: [], tables,
	source: {command: 'iptables-save -c', version: '1.8.9', backend: 'nf_tables'},
});

const FIELDS = ['index', 'target', 'goto', 'protocol', 'protocolRaw', 'opt', 'in', 'out', 'source', 'destination', 'options', 'comment', 'spec', 'packets', 'bytes'] as const satisfies ReadonlyArray<keyof Rule>;

describe('rated iptables rule', () => {
	it('shows every field and counter of the rule it was parsed from', () => {
		const {tables} = createSaveParser()(fixture('nft_save-c.txt'), {family: 'ipv4'});
		const rated = rateSample(null, sampleOf(tables, 1)).rated;
		let compared = 0;
		tables.forEach((table, t) => table.chains.forEach((chain, c) => chain.rules.forEach((rule, r) => {
			const shown = rated.tables[t]!.chains[c]!.rules[r]!;
			for (const field of FIELDS) assert.equal(shown[field], rule[field], `${chain.name} #${rule.index} ${field}`);
			compared++;
		})));
		assert.ok(compared > 10, `${compared} rules compared`);
	});

	it('has the key of its chain, text and occurrence, also after a rule is inserted above it', () => {
		const parse = createSaveParser();
		const rule = '-A FORWARD -i eth0 -j ACCEPT';
		const dump = (head: string): string => `*filter\n:FORWARD ACCEPT [0:0]\n${head}[1:60] ${rule}\n[2:120] ${rule}\nCOMMIT\n`;
		const first = rateSample(null, sampleOf(parse(dump(''), {family: 'ipv4'}).tables, 1));
		const second = rateSample(first.state as RateState, sampleOf(parse(dump('[0:0] -A FORWARD -j DROP\n'), {family: 'ipv4'}).tables, 2));
		const keys = (result: typeof first): string[] => result.rated.tables[0]!.chains[0]!.rules.map(each => each.key);
		const chain = chainKey('ipv4', 'filter', 'FORWARD');
		const spec = '-i eth0 -j ACCEPT';
		assert.deepEqual(keys(first), [ruleKey(chain, spec, 1), ruleKey(chain, spec, 2)]);
		assert.deepEqual(keys(second), [ruleKey(chain, '-j DROP', 1), ruleKey(chain, spec, 1), ruleKey(chain, spec, 2)]);
		assert.deepEqual(second.rated.tables[0]!.chains[0]!.rules.slice(1).map(each => each.id), first.rated.tables[0]!.chains[0]!.rules.map(each => each.id));
	});

	it('between samples, the parser and the rates hold under 1,200 bytes a rule, 1,040 when idle (20,000 kube-proxy rules)', () => {
		// In a fresh process, with a real full GC: what fwtop keeps from one sample to the next
		// (the parser's memory of the dump and the rate state) after --json wrote a sample. With a
		// copy of every field and a key in each rated rule it was 1,475 bytes a rule; read through
		// and with keys made only when asked, 1,229; with each rebuilt chain's list of rules the
		// size of the chain (save-tables.ts), 1,186 (Node 20, whose V8 has no pointer compression).
		// With every counter moving; after a sample in which none moved, each view holds the one
		// shared idle rate (rates.ts IDLE) instead of a copy of its own: 1,123–1,136 → 1,069–1,073.
		// With the parser's memory holding each rule's spec as a flat copy, with no view in front
		// of it and no `-A CHAIN ` before it (save-memory.ts): 1,219 → 1,122–1,125 with every
		// counter moving, 1,069–1,073 → 971–987 idle.
		const root = new URL('../../', import.meta.url).href;
		const script = `
			import v8 from 'node:v8';
			import vm from 'node:vm';
			const {benchRuleset} = await import('${root}bench/rulesets.ts');
			const {createSaveParser} = await import('${root}source/core/parse-save.ts');
			const {rateSample} = await import('${root}source/core/rates.ts');
			const {writeSampleJson} = await import('${root}source/core/json-line.ts');
			v8.setFlagsFromString('--expose-gc');
			const gc = vm.runInNewContext('gc');
			const used = () => { gc(); gc(); return v8.getHeapStatistics().used_heap_size; };
			const restore = benchRuleset(20000).text;
			const counted = n => restore.split('\\n').map(line => line.startsWith('-A ') ? '[' + n + ':' + n * 60 + '] ' + line : line).join('\\n');
			const empty = used();
			let parse = createSaveParser();
			let state = null;
			let rules = 0;
			const held = [];
			let seq = 0;
			for (const n of [1, 2, 3, 3]) {
				seq++;
				const dump = parse(counted(n), {family: 'ipv4'});
				const source = {command: 'x', version: '1.8.9', backend: 'nf_tables'};
				const result = rateSample(state, {seq, time: new Date(), monotonicMs: seq * 1000, readMs: 1, source, warnings: [], approximate: false, tables: dump.tables});
				state = result.state;
				writeSampleJson(result.rated, () => {});
				rules = dump.tables.reduce((sum, table) => sum + table.chains.reduce((s, chain) => s + chain.rules.length, 0), 0);
				if (n === 3) held.push(used() - empty);
			}
			process.stdout.write(JSON.stringify({rules, perRule: held[0] / rules, idle: held[1] / rules, parse: typeof parse, state: typeof state}));
		`;
		const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8', timeout: 120_000});
		const {rules, perRule, idle} = JSON.parse(output) as {rules: number; perRule: number; idle: number};
		assert.ok(rules >= 20_000, `${rules} rules`);
		assert.ok(perRule < 1200, `${Math.round(perRule)} bytes a rule held between samples`);
		assert.ok(idle < 1040, `${Math.round(idle)} bytes a rule held after an idle sample`);
	});
});
