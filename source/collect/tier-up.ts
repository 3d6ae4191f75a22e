import v8 from 'node:v8';
import type {Sample} from '../core/model.ts';

// V8 optimises a function with TurboFan once the function has run about `--interrupt-budget`
// bytes of bytecode (67,584 by default in Node 20's V8 11.3). A sampler of a small host that
// draws one frame a second crosses that line all day, one function at a time: on the lab's
// 29-rule Docker host at 1 Hz, `perf` put a quarter of the dashboard's CPU on V8's compiler
// threads, still there after 150 s, and each optimised function's code is fresh pages, written
// after the last fork (poller.ts: Node forks itself for every child) and so one more page fault
// each (README, Performance). With eight times the budget only what really runs hot is
// optimised. Measured there, fwtop's own CPU at 1 Hz (interleaved runs of 20 s): the dashboard
// 4.2–4.5 % → 2.5–3.0 %, page faults 780 → 430–445 a second; `--json` 2.0–2.1 % → 1.9–2.1 %.
//
// A big host is the other way round: its per-sample code (reading 1.4 MB from a pipe, the
// collector, the chains' rates) runs often enough to be worth optimising, and with the higher
// budget it is not, or late: at 10,000 rules the benchmark's whole process took 49 → 61 ms a
// sample, at 50,000 fwtop's own CPU per sample 2–5 % more. So the budget follows the host: eight
// times V8's below SMALL_HOST_RULES rules, V8's own from there (and before the first sample: the
// first frame measured the same either way). V8 reads it whenever it decides, so setting it at
// run time works (no launcher flag, which the single-file build could not have).

/** V8 11.3's (Node 20). A host that grows past SMALL_HOST_RULES gets it back; one that never was
 * small keeps whatever its Node's V8 has. */
export const DEFAULT_INTERRUPT_BUDGET = 67_584;

/** The budget on a small host: eight times V8's default. */
export const SMALL_HOST_BUDGET = 8 * DEFAULT_INTERRUPT_BUDGET;

/** From this many rules in a sample, V8's own budget. */
export const SMALL_HOST_RULES = 2000;

/** What was last set here; undefined while V8's own is in force. */
let current: number | undefined;

export const budgetFor = (rules: number): number => (rules < SMALL_HOST_RULES ? SMALL_HOST_BUDGET : DEFAULT_INTERRUPT_BUDGET);

export function ruleCount(sample: Pick<Sample, 'tables'>): number {
	let rules = 0;
	for (const table of sample.tables) for (const chain of table.chains) rules += chain.rules.length;
	return rules;
}

/** After a sample: V8's interrupt budget (process-wide) for a host with this many rules. */
export function tierUpFor(rules: number): void {
	const budget = budgetFor(rules);
	if (budget === current || (current === undefined && budget === DEFAULT_INTERRUPT_BUDGET)) return;
	v8.setFlagsFromString(`--interrupt-budget=${budget}`);
	current = budget;
}
