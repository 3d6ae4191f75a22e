import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {dockerRuleset, readmeBridges, type Generation} from '../../source/lab/docker-ruleset.ts';

// The reference rulesets live beside the repository (../shared), not in it; the generator must
// work without them, so these comparisons skip when the folder is absent.
const shared = new URL('../../../shared/', import.meta.url);

/** Rules and chain declarations only: no comments, blank lines or counters. */
function normalise(text: string): string[] {
	return text
		.split('\n')
		.map(line => line.trim())
		.filter(line => line !== '' && !line.startsWith('#'))
		.map(line => line.replace(/^\[\d+:\d+\]\s+/, '').replace(/\s+\[\d+:\d+\]$/, ''));
}

function generated(generation: Generation): string[] {
	return normalise(dockerRuleset({generation, bridges: readmeBridges}));
}

for (const generation of [27, 29] as const) {
	test(`generation ${generation} matches ../shared/docker/docker-${generation}.iptables-save rule for rule`, async t => {
		const file = new URL(`docker/docker-${generation}.iptables-save`, shared);
		if (!existsSync(fileURLToPath(file))) {
			t.skip(`${fileURLToPath(file)} is absent (../shared is not checked out beside the repository)`);
			return;
		}

		assert.deepEqual(generated(generation), normalise(await readFile(file, 'utf8')));
	});
}

test('generation 28 has the raw DROPs, DOCKER-FORWARD and the isolation chains without RETURN', () => {
	const rules = generated(28);
	assert.deepEqual(rules.filter(line => line.startsWith('-A PREROUTING -d')), [
		'-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP',
		'-A PREROUTING -d 172.18.0.2/32 ! -i br-0123456789ab -j DROP',
		'-A PREROUTING -d 172.18.0.3/32 ! -i br-0123456789ab -j DROP',
	]);
	assert.deepEqual(rules.filter(line => line.startsWith('-A FORWARD ')), [
		'-A FORWARD -j DOCKER-USER',
		'-A FORWARD -j DOCKER-FORWARD',
	]);
	assert.deepEqual(rules.filter(line => line.startsWith('-A DOCKER-FORWARD ')), [
		'-A DOCKER-FORWARD -j DOCKER-CT',
		'-A DOCKER-FORWARD -j DOCKER-ISOLATION-STAGE-1',
		'-A DOCKER-FORWARD -j DOCKER-BRIDGE',
		'-A DOCKER-FORWARD -i docker0 -j ACCEPT',
		'-A DOCKER-FORWARD -i br-0123456789ab -j ACCEPT',
	]);
	assert.deepEqual(rules.filter(line => line.startsWith('-A DOCKER-ISOLATION-STAGE-')), [
		'-A DOCKER-ISOLATION-STAGE-1 -i br-0123456789ab ! -o br-0123456789ab -j DOCKER-ISOLATION-STAGE-2',
		'-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2',
		'-A DOCKER-ISOLATION-STAGE-2 -o br-0123456789ab -j DROP',
		'-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP',
	]);
	assert.ok(rules.includes(':DOCKER-USER -'));
	assert.ok(!rules.some(line => line.startsWith('-A DOCKER-USER')), 'DOCKER-USER is empty since 28.3');
	// nat keeps 27's skip-DNAT RETURNs but loses the per-port hairpin MASQUERADE.
	assert.ok(rules.includes('-A DOCKER -i docker0 -j RETURN'));
	assert.ok(!rules.some(line => line.startsWith('-A POSTROUTING -s 172.17.0.2/32')));
	assert.ok(!rules.some(line => line.includes('DOCKER-INTERNAL')));
});

test('every generation declares each chain it uses, and only once', () => {
	for (const generation of [27, 28, 29] as const) {
		let declared = new Set<string>();
		for (const line of generated(generation)) {
			if (line.startsWith('*')) {
				declared = new Set();
			} else if (line.startsWith(':')) {
				const chain = line.slice(1).split(' ')[0]!;
				assert.ok(!declared.has(chain), `${generation}: ${chain} declared twice`);
				declared.add(chain);
			} else if (line.startsWith('-A ')) {
				const [, chain, ...rest] = line.split(' ');
				assert.ok(declared.has(chain!), `${generation}: ${line}`);
				const jump = rest.join(' ').match(/-j (DOCKER\S*)/)?.[1];
				if (jump) {
					assert.ok(declared.has(jump), `${generation}: undeclared target in ${line}`);
				}
			}
		}
	}
});

test('udp ports use the udp match', () => {
	const text = dockerRuleset({
		generation: 29,
		bridges: [{name: 'docker0', subnet: '172.17.0.0/16', gateway: '172.17.0.1', containers: [
			{ip: '172.17.0.2', ports: [{host: 53, container: 5353, proto: 'udp'}]},
		]}],
	});
	assert.match(text, /^-A DOCKER ! -i docker0 -p udp -m udp --dport 53 -j DNAT --to-destination 172\.17\.0\.2:5353$/m);
	assert.match(text, /^-A DOCKER -d 172\.17\.0\.2\/32 ! -i docker0 -o docker0 -p udp -m udp --dport 5353 -j ACCEPT$/m);
});
