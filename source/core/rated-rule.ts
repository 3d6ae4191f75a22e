import {ruleKey} from './identity.ts';
import type {Rate, RateStatus, RatedRule, Rule} from './model.ts';

// An iptables rule with its rate: the parsed rule's fields are read from the parsed rule, not
// copied, and the key is made when something first asks for it. At 50,000 rules the copy of
// fifteen fields (200 bytes a rule) and the keys (about 160 bytes: `--json` never reads them)
// took 18 MB, the view takes 5 (3.6 since it holds its rate instead of copying it): the heap
// after a full collection is 66 MB instead of 79, and `--json`'s mean resident size 174 MB
// instead of 188 (bench/memory.ts, 150 samples). The
// parsed rule is held by the parser's memory anyway, to be given back unchanged next sample.

/** The fields of the parsed rule, read through. */
type Parsed = Pick<Rule, 'index' | 'target' | 'goto' | 'protocol' | 'protocolRaw' | 'opt' | 'in' | 'out' | 'source' | 'destination' | 'options' | 'comment' | 'spec' | 'packets' | 'bytes'>;

class IptablesRatedRule implements Parsed, Rate {
	private keyText: string | undefined;

	/** `rate` is held, not copied: an idle rule's is the one shared `IDLE` (rates.ts), and a view
	 * is 72 bytes instead of 104 plus two boxed numbers. */
	constructor(readonly rule: Rule, readonly rate: Rate, readonly id: string, readonly chainKey: string, readonly occurrence: number, key: string | undefined) {
		this.keyText = key;
	}

	get deltaPackets(): bigint | null {
		return this.rate.deltaPackets;
	}

	get deltaBytes(): bigint | null {
		return this.rate.deltaBytes;
	}

	get packetsPerSecond(): number | null {
		return this.rate.packetsPerSecond;
	}

	get bytesPerSecond(): number | null {
		return this.rate.bytesPerSecond;
	}

	get status(): RateStatus {
		return this.rate.status;
	}

	get key(): string {
		this.keyText ??= ruleKey(this.chainKey, this.rule.spec, this.occurrence);
		return this.keyText;
	}

	/** The same rule in the next sample: same identity, and the key string if one was made. */
	again(rule: Rule, rate: Rate): IptablesRatedRule {
		return new IptablesRatedRule(rule, rate, this.id, this.chainKey, this.occurrence, this.keyText);
	}

	get index(): number {
		return this.rule.index;
	}

	get target(): string {
		return this.rule.target;
	}

	get goto(): boolean {
		return this.rule.goto;
	}

	get protocol(): string {
		return this.rule.protocol;
	}

	get protocolRaw(): string {
		return this.rule.protocolRaw;
	}

	get opt(): string {
		return this.rule.opt;
	}

	get in(): string {
		return this.rule.in;
	}

	get out(): string {
		return this.rule.out;
	}

	get source(): string {
		return this.rule.source;
	}

	get destination(): string {
		return this.rule.destination;
	}

	get options(): string {
		return this.rule.options;
	}

	get comment(): string | null {
		return this.rule.comment;
	}

	get spec(): string {
		return this.rule.spec;
	}

	get packets(): bigint {
		return this.rule.packets;
	}

	get bytes(): bigint {
		return this.rule.bytes;
	}
}

/** A rule seen for the first time: `occurrence` among identical texts of the chain `chainKey`. */
export function ratedIptablesRule(rule: Rule, rate: Rate, id: string, chainKey: string, occurrence: number): RatedRule {
	return new IptablesRatedRule(rule, rate, id, chainKey, occurrence, undefined);
}

/** `rule` rated against `before`, the same rule's view in the previous sample. */
export function ratedAgain(before: RatedRule, rule: Rule, rate: Rate): RatedRule {
	if (!(before instanceof IptablesRatedRule)) throw new TypeError('not a rated iptables rule');
	return before.again(rule, rate);
}
