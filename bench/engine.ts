// fwtop's own CPU per sample against the iptables children it waits on, for both collection
// strategies, at several ruleset sizes. Ratios come from one run, so they hold on a noisy machine.
//   sudo node --import tsx bench/engine.ts [--sizes 100,1000,10000,50000] [--samples 10]
import {execa} from 'execa';
import {readFileSync} from 'node:fs';
import {createCollector} from '../source/collect/collector.ts';
import {findBinary} from '../source/collect/binaries.ts';
import {execaRunner, inNamespace} from '../source/collect/runner.ts';
import {rateSample, type RateState} from '../source/core/rates.ts';
import {benchRuleset} from './rulesets.ts';

const argument = (name: string, fallback: string) => {
	const index = process.argv.indexOf(name);
	return index >= 0 ? process.argv[index + 1] ?? fallback : fallback;
};

const sizes = argument('--sizes', '100,1000,10000,50000').split(',').map(Number);
const samples = Number(argument('--samples', '10'));
const ticks = 100; // USER_HZ: /proc times are in 1/100 s

/** CPU seconds of this process's waited-for children (utime+stime of /proc/self/stat, fields 16–17). */
function childrenCpu(): number {
	const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
	return (Number(fields[13]) + Number(fields[14])) / ticks;
}

function ownCpu(): number {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1e6;
}

async function measure(namespace: string, strategy: 'save' | 'list', count: number) {
	const ip = findBinary('ip')!;
	const collector = createCollector({
		runner: inNamespace(execaRunner, ip, namespace), families: ['ipv4'], familiesExplicit: true,
		backend: 'nft', strategy, timeoutMs: 60_000,
	});
	await collector.detect();
	let state: RateState | null = null;
	state = rateSample(state, await collector.collect()).state; // warm-up: the first parse fills the memo
	let rules = 0;
	const children0 = childrenCpu();
	const own0 = ownCpu();
	const wall0 = performance.now();
	for (let i = 0; i < count; i++) {
		const sample = await collector.collect();
		const result = rateSample(state, sample);
		state = result.state;
		rules = result.rated.tables.reduce((sum, table) => sum + table.chains.reduce((n, chain) => n + chain.rules.length, 0), 0);
	}

	return {
		rules,
		children: (childrenCpu() - children0) / count,
		own: (ownCpu() - own0) / count,
		wall: (performance.now() - wall0) / 1000 / count,
	};
}

const ms = (seconds: number) => (seconds * 1000).toFixed(1).padStart(8);

async function main() {
	const namespace = `fwtop-bench-${process.pid}`;
	console.log(`fwtop engine benchmark: ${samples} samples per size (more for small sizes), iptables-nft, one namespace`);
	console.log('size      rules strategy  iptables CPU ms   wall ms   fwtop CPU ms   ratio  target');
	await execa('ip', ['netns', 'add', namespace]);
	try {
		for (const size of sizes) {
			await execa('ip', ['netns', 'exec', namespace, 'iptables-nft-restore'], {input: benchRuleset(size)});
			const count = size <= 1000 ? samples * 5 : samples;
			for (const strategy of ['save', 'list'] as const) {
				const result = await measure(namespace, strategy, count);
				const ratio = result.own / result.children;
				const checked = size >= 10_000;
				const verdict = checked ? (ratio <= 0.1 ? 'PASS ≤0.10' : 'FAIL >0.10') : '(info)';
				console.log(`${String(size).padStart(6)} ${String(result.rules).padStart(8)} ${strategy.padEnd(8)} ${ms(result.children)}        ${ms(result.wall)}  ${ms(result.own)}     ${ratio.toFixed(3)}  ${verdict}`);
			}
		}
	} finally {
		await execa('ip', ['netns', 'del', namespace]);
	}
}

await main();
