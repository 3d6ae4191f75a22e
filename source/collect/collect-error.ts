import type {Diagnosis} from '../core/diagnose.ts';

/** A failure to read the firewall, already explained in one line (see core/diagnose.ts). */
export class CollectError extends Error {
	readonly kind: Diagnosis['kind'];

	constructor(diagnosis: Diagnosis) {
		super(diagnosis.message);
		this.name = 'CollectError';
		this.kind = diagnosis.kind;
	}
}
