import v8 from 'node:v8';

// V8 optimises a function with TurboFan once the function has run about `--interrupt-budget`
// bytes of bytecode (67,584 by default in Node 20's V8 11.3). A sampler that draws one frame a
// second crosses that line all day, one function at a time: on the lab's 29-rule Docker host at
// 1 Hz, `perf` put a quarter of the dashboard's CPU on V8's compiler threads, still there after
// 150 s, and each optimised function's code is fresh pages, written after the last fork
// (poller.ts: Node forks itself for every child) and so one more page fault each (README,
// Performance). With eight times the budget, only what really runs hot is optimised: the loops
// over the rules of a big host cross even that within a sample; the per-frame code of a small one
// no longer does. Measured there, fwtop's own CPU at 1 Hz (interleaved runs of 20 s): the
// dashboard 3.7–4.3 % → 2.3–3.0 %, page faults 770 → 450 a second; `--json` 2.0–2.1 % → 1.9–2.1 %.
// It is read when V8 decides, so setting it at run time works (no launcher flag, which the
// single-file build could not have).

const DEFAULT_INTERRUPT_BUDGET = 67_584;

/** The budget fwtop runs with: eight times V8's default. */
export const INTERRUPT_BUDGET = 8 * DEFAULT_INTERRUPT_BUDGET;

/** Makes V8 wait eight times longer before optimising a function (process-wide, idempotent). */
export function tierUpLater(): void {
	v8.setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}
