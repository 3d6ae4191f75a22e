// The lab itself: namespaces, bridges, Docker's rules and real traffic across the DNAT.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {execa} from 'execa';
import {createLab, published, type Backend} from '../../source/lab/lab.ts';
import {binary, listNamespaces, sweepStaleNamespaces} from '../../source/lab/netns.ts';
import type {Generation} from '../../source/lab/docker-ruleset.ts';
import {saveCounters, waitFor} from './helpers.ts';
import {requireLab} from './require-lab.ts';

const dnatA = '-A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80';
const dnatB = '-A DOCKER ! -i br-0123456789ab -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80';
const masquerade = '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE';

const runs: Array<{generation: Generation; backend: Backend}> = [
	{generation: 27, backend: 'nft'},
	{generation: 28, backend: 'nft'},
	{generation: 29, backend: 'nft'},
	{generation: 27, backend: 'legacy'},
];

for (const {generation, backend} of runs) {
	test(`lab with Docker ${generation} rules (${backend}): published ports answer and the DNAT counts each connection`, async t => {
		if (!await requireLab(t, {backend})) {
			return;
		}

		const lab = await createLab({generation, backend});
		try {
			assert.equal(lab.host, `fwtop-${lab.id}-host`);
			assert.deepEqual(saveCounters(await lab.save(), 'nat', dnatA), [0n, 0n], 'readiness probes bypass the DNAT');

			const a = await lab.curl(published.a, {count: 3});
			const b = await lab.curl(published.b, {count: 2});
			assert.deepEqual(a, {ok: 3, failed: 0, bodies: Array(3).fill('container A (172.17.0.2)\n')});
			assert.equal(b.ok, 2);
			assert.equal(b.bodies[0], 'container B (172.18.0.2)\n');

			const save = await lab.save();
			// nat sees only the first packet of each connection: one per curl (SYN, 60 bytes).
			assert.deepEqual(saveCounters(save, 'nat', dnatA), [3n, 180n]);
			assert.deepEqual(saveCounters(save, 'nat', dnatB), [2n, 120n]);
		} finally {
			await lab.teardown();
		}

		const left = (await listNamespaces()).filter(name => lab.namespaces.includes(name));
		assert.deepEqual(left, [], 'teardown deletes every namespace');
		await lab.teardown();
	});
}

test('lab trickle: steady requests to both ports, and container A → external is masqueraded', async t => {
	if (!await requireLab(t)) {
		return;
	}

	const lab = await createLab({generation: 29});
	try {
		const trickle = lab.startTrickle({intervalMs: 50, outboundIntervalMs: 100, lifetimeMs: 30_000});
		const save = await waitFor('the trickle to cross the DNAT and MASQUERADE', async () => {
			const text = await lab.save();
			return saveCounters(text, 'nat', dnatB)[0] >= 3n && saveCounters(text, 'nat', masquerade)[0] >= 2n && text;
		});
		const {ok, failed} = await trickle.stop();
		assert.equal(failed, 0);
		assert.ok(ok >= 5, `trickle made ${ok} requests`);
		assert.ok(saveCounters(save, 'nat', dnatA)[0] >= 3n);
		assert.ok(saveCounters(save, 'nat', masquerade)[0] >= 2n, 'outbound connections hit MASQUERADE');
	} finally {
		await lab.teardown();
	}
});

test('direct routing to a container: accepted by 27, dropped in raw by 29 (the README\'s table)', async t => {
	if (!await requireLab(t)) {
		return;
	}

	for (const generation of [27, 29] as const) {
		const lab = await createLab({generation});
		try {
			// A route in the lab's own external namespace, as an attacker on the LAN would add.
			await execa(binary('ip'), ['-n', lab.roles.external, 'route', 'add', '172.16.0.0/12', 'via', '198.51.100.1']);
			const result = await lab.curl('http://172.17.0.2/', {count: 1, maxTimeSeconds: 1});
			const save = await lab.save();
			if (generation === 27) {
				assert.equal(result.ok, 1);
				assert.ok(saveCounters(save, 'filter', '-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT')[0] >= 1n);
			} else {
				assert.equal(result.failed, 1);
				assert.ok(saveCounters(save, 'raw', '-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP')[0] >= 1n);
			}
		} finally {
			await lab.teardown();
		}
	}
});

test('the stale sweep deletes only fwtop-<dead pid>-<hex>-<role> namespaces', async t => {
	if (!await requireLab(t)) {
		return;
	}

	const child = execa(process.execPath, ['-e', '0']);
	const deadPid = child.pid!;
	await child;
	const names = {
		stale: `fwtop-${deadPid}-abcd-probe`,
		live: `fwtop-${process.pid}-abcd-probe`,
		foreign: `fwtop-${deadPid}-abcd-other`,
	};
	try {
		for (const name of Object.values(names)) {
			await execa(binary('ip'), ['netns', 'add', name]);
		}

		const swept = await sweepStaleNamespaces();
		assert.ok(swept.includes(names.stale));
		const left = await listNamespaces();
		assert.ok(!left.includes(names.stale));
		assert.ok(left.includes(names.live), 'a live run\'s namespaces stay');
		assert.ok(left.includes(names.foreign), 'names outside the exact pattern stay');
	} finally {
		for (const name of Object.values(names)) {
			await execa(binary('ip'), ['netns', 'delete', name], {reject: false});
		}
	}
});

test('a failed build deletes what it made and nothing else (name collision)', async t => {
	if (!await requireLab(t)) {
		return;
	}

	const id = `${process.pid}-c011`;
	const taken = `fwtop-${id}-ext`;
	await execa(binary('ip'), ['netns', 'add', taken]);
	try {
		await assert.rejects(createLab({id}), /netns add/);
		const left = (await listNamespaces()).filter(name => name.startsWith(`fwtop-${id}-`));
		assert.deepEqual(left, [taken]);
	} finally {
		await execa(binary('ip'), ['netns', 'delete', taken], {reject: false});
	}
});
