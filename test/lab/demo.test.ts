// `fwtop --demo`'s lab: traffic flows, and it is torn down by stop(), by signals and on exit.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {startDemo} from '../../source/lab/demo.ts';
import {listNamespaces, runIn} from '../../source/lab/netns.ts';
import {saveCounters, waitFor} from './helpers.ts';
import {requireLab} from './require-lab.ts';

const dnatB = '-A DOCKER ! -i br-0123456789ab -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80';
const masquerade = '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE';
const demoModule = fileURLToPath(new URL('../../source/lab/demo.ts', import.meta.url));
const ownNamespaces = (host: string) => async () => (await listNamespaces()).filter(name => name.startsWith(host.replace(/-host$/, '-')));

test('startDemo: trickle crosses the DNAT and MASQUERADE; stop() deletes the lab', async t => {
	if (!await requireLab(t)) {
		return;
	}

	const lines: string[] = [];
	const demo = await startDemo({generation: 29, intervalMs: 50, outboundIntervalMs: 100, log: line => lines.push(line)});
	try {
		assert.match(lines[0] ?? '', /building the lab/);
		await waitFor('demo traffic on :8080 and out of container A', async () => {
			const save = await runIn(demo.hostNamespace, 'iptables-nft-save', ['-c']);
			return saveCounters(save, 'nat', dnatB)[0] >= 2n && saveCounters(save, 'nat', masquerade)[0] >= 1n;
		});
	} finally {
		await demo.stop();
	}

	assert.deepEqual(await ownNamespaces(demo.hostNamespace)(), []);
	assert.match(lines.at(-1) ?? '', /tearing down/);
});

for (const ending of ['SIGINT', 'SIGTERM', 'exit'] as const) {
	test(`a demo process tears the lab down on ${ending}`, async t => {
		if (!await requireLab(t)) {
			return;
		}

		const script = `import(${JSON.stringify(demoModule)}).then(async ({startDemo}) => {
			const demo = await startDemo({});
			process.stdout.write(demo.hostNamespace + '\\n');
			${ending === 'exit' ? 'process.exit(0);' : 'setTimeout(() => {}, 30000);'}
		});`;
		const child = execa(process.execPath, ['--import', 'tsx', '-e', script], {reject: false, timeout: 40_000});
		let host = '';
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => {
			host += chunk;
		});
		try {
			host = await waitFor('the demo to start', () => host.includes('\n') && host.trim(), 20_000);
			if (ending !== 'exit') {
				child.kill(ending);
			}

			const result = await child;
			assert.equal(result.exitCode, ending === 'SIGINT' ? 130 : ending === 'SIGTERM' ? 143 : 0, String(result.stderr));
			assert.deepEqual(await ownNamespaces(host)(), [], 'no namespace left behind');
		} finally {
			child.kill('SIGKILL');
		}
	});
}
