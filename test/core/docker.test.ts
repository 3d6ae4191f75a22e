import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {describe, test} from 'node:test';
import {
	detectDockerGeneration,
	dockerChainInfo,
	dockerRuleNote,
	natNote,
	type DockerRuleFields,
} from '../../source/core/docker.ts';
import {ratedTables} from '../helpers/rated-sample.ts';
import {readShared, sharedDirectory, sharedMissingReason} from '../helpers/shared.ts';

// The reference rulesets live beside the repository (../shared/docker, see its README).
const IPTABLES_FILES = ['docker-27.iptables-save', 'docker-29.iptables-save'];
const NFT_FILE = 'docker-29-nftables.nft';
const noShared = existsSync(sharedDirectory + 'docker') ? false : sharedMissingReason;
const read = (name: string): string => readShared('docker/' + name);

const rule = (fields: Partial<DockerRuleFields>): DockerRuleFields => ({
	target: '',
	in: '*',
	out: '*',
	source: '0.0.0.0/0',
	destination: '0.0.0.0/0',
	options: '',
	comment: null,
	spec: '',
	...fields,
});

/** Chains and rules of an `nft -f` file: `chain NAME {` … `}`, without the `type … hook` line. */
function nftChains(text: string): Map<string, string[]> {
	const chains = new Map<string, string[]>();
	let current: string[] | undefined;
	for (const line of text.split('\n').map((raw) => raw.trim())) {
		const open = /^chain (\S+) \{$/.exec(line);
		if (open !== null) {
			current = [];
			chains.set(open[1]!, current);
		} else if (line === '}') {
			current = undefined;
		} else if (current !== undefined && line !== '' && !line.startsWith('type ')) {
			current.push(line);
		}
	}

	return chains;
}

describe('dockerChainInfo', () => {
	test('tells the filter DOCKER chain from the nat one', () => {
		const filter = dockerChainInfo('filter', 'DOCKER');
		const nat = dockerChainInfo('nat', 'DOCKER');
		assert.match(filter!.summary, /accepts new connections to published container ports/);
		assert.match(nat!.summary, /DNAT/);
		assert.notEqual(filter!.summary, nat!.summary);
	});

	test('explains DOCKER-USER as the operator\'s own chain', () => {
		assert.deepEqual(dockerChainInfo('filter', 'DOCKER-USER'), {
			generation: 'all',
			summary: 'DOCKER-USER: your own rules go here; Docker never changes it. Evaluated first in FORWARD.',
		});
	});

	test('gives each chain the generations it exists in', () => {
		const generations = Object.fromEntries(
			['DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-FORWARD', 'DOCKER-CT', 'DOCKER-BRIDGE', 'DOCKER-INTERNAL']
				.map((chain) => [chain, dockerChainInfo('filter', chain)?.generation]),
		);
		assert.deepEqual(generations, {
			'DOCKER-ISOLATION-STAGE-1': '≤28',
			'DOCKER-ISOLATION-STAGE-2': '≤28',
			'DOCKER-FORWARD': '28+',
			'DOCKER-CT': '28+',
			'DOCKER-BRIDGE': '28+',
			'DOCKER-INTERNAL': '29',
		});
	});

	test('knows the nftables backend\'s chains, including per-bridge ones', () => {
		for (const chain of ['filter-FORWARD', 'nat-prerouting-and-output', 'raw-PREROUTING', 'nat-PREROUTING', 'nat-OUTPUT', 'nat-POSTROUTING']) {
			assert.equal(dockerChainInfo('docker-bridges', chain)?.generation, '29', chain);
		}

		assert.match(dockerChainInfo('docker-bridges', 'filter-forward-in__docker0')!.summary, /into bridge docker0/);
		assert.match(dockerChainInfo('docker-bridges', 'nat-postrouting-out__br-0123456789ab')!.summary, /br-0123456789ab going out/);
		assert.equal(dockerChainInfo('docker-bridges', 'filter-forward-sideways__docker0'), null);
	});

	test('returns null for chains that are not Docker\'s', () => {
		assert.equal(dockerChainInfo('filter', 'INPUT'), null);
		assert.equal(dockerChainInfo('raw', 'PREROUTING'), null);
		assert.equal(dockerChainInfo('mangle', 'DOCKER'), null);
		assert.equal(dockerChainInfo('filter', 'filter-FORWARD'), null);
		assert.equal(dockerChainInfo('filter', '__proto__'), null);
	});
});

describe('dockerRuleNote', () => {
	test('recognises the raw direct-access DROP', () => {
		const drop = rule({target: 'DROP', destination: '172.17.0.2', in: '!docker0'});
		assert.equal(dockerRuleNote('raw', 'PREROUTING', drop), 'Docker 28+: blocks direct access to a container address from outside its bridge');
		assert.equal(dockerRuleNote('raw', 'PREROUTING', rule({target: 'DROP', destination: '10.0.0.0/8', in: '!eth0'})), null);
	});

	test('names the published port and the container of a DNAT, from save or listing text', () => {
		const save = rule({target: 'DNAT', in: '!docker0', options: '-m tcp --dport 8080 --to-destination 172.18.0.2:80'});
		const listing = rule({target: 'DNAT', in: '!docker0', options: 'tcp dpt:8080 to:172.18.0.2:80'});
		assert.equal(dockerRuleNote('nat', 'DOCKER', save), 'published port 8080 → container 172.18.0.2:80');
		assert.equal(dockerRuleNote('nat', 'DOCKER', listing), 'published port 8080 → container 172.18.0.2:80');
		assert.equal(dockerRuleNote('nat', 'DOCKER', rule({target: 'DNAT'})), 'published port → container');
	});

	test('calls a bridge subnet\'s MASQUERADE containers going out', () => {
		const masquerade = rule({target: 'MASQUERADE', source: '172.17.0.0/16', out: '!docker0'});
		assert.match(dockerRuleNote('nat', 'POSTROUTING', masquerade)!, /^containers going out/);
		assert.equal(dockerRuleNote('nat', 'POSTROUTING', rule({target: 'MASQUERADE', out: 'eth0'})), null);
	});

	test('tells the placeholder RETURN in DOCKER-USER from an operator\'s RETURN', () => {
		assert.match(dockerRuleNote('filter', 'DOCKER-USER', rule({target: 'RETURN'}))!, /placeholder/);
		assert.equal(dockerRuleNote('filter', 'DOCKER-USER', rule({target: 'RETURN', source: '10.0.0.0/8'})), null);
	});

	test('reads nft\'s lower-case verdicts (iptables-nft\'s tables read with --backend nftables)', () => {
		const published = rule({target: 'accept', destination: '172.17.0.2', in: '!docker0', out: 'docker0', spec: 'ip daddr 172.17.0.2 iifname != "docker0" oifname "docker0" tcp dport 80 counter accept'});
		assert.equal(dockerRuleNote('filter', 'DOCKER', published), 'published port: accepts new connections to 172.17.0.2:80');
		assert.match(dockerRuleNote('nat', 'POSTROUTING', rule({target: 'masquerade', source: '172.17.0.0/16', out: '!docker0'}))!, /^containers going out/);
		assert.match(dockerRuleNote('filter', 'DOCKER', rule({target: 'drop', in: '!docker0', out: 'docker0'}))!, /ports that are not published/);
	});

	test('leaves rules it does not know alone', () => {
		assert.equal(dockerRuleNote('filter', 'INPUT', rule({target: 'ACCEPT', options: '-m tcp --dport 22'})), null);
		assert.equal(dockerRuleNote('mangle', 'PREROUTING', rule({target: 'MARK'})), null);
	});
});

describe('detectDockerGeneration', () => {
	const layout = (...chains: string[]) => [{name: 'filter', chains: chains.map((name) => ({name}))}];

	test('27: isolation chains without DOCKER-FORWARD', () => {
		assert.equal(detectDockerGeneration(layout('DOCKER', 'DOCKER-USER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2')), '27');
	});

	test('28: DOCKER-FORWARD next to the isolation chains', () => {
		assert.equal(detectDockerGeneration(layout('DOCKER', 'DOCKER-FORWARD', 'DOCKER-CT', 'DOCKER-BRIDGE', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2')), '28');
	});

	test('29: DOCKER-FORWARD and DOCKER-INTERNAL, or the nftables table', () => {
		assert.equal(detectDockerGeneration(layout('DOCKER', 'DOCKER-FORWARD', 'DOCKER-CT', 'DOCKER-BRIDGE', 'DOCKER-INTERNAL')), '29');
		assert.equal(detectDockerGeneration([{name: 'docker-bridges', chains: [{name: 'filter-FORWARD'}]}]), '29');
	});

	test('null without Docker, or with only a DOCKER chain', () => {
		assert.equal(detectDockerGeneration([]), null);
		assert.equal(detectDockerGeneration(layout('INPUT', 'FORWARD', 'OUTPUT')), null);
		assert.equal(detectDockerGeneration(layout('DOCKER')), null);
	});

	test('reads the shared reference rulesets', {skip: noShared}, () => {
		assert.equal(detectDockerGeneration(ratedTables(read('docker-27.iptables-save'))), '27');
		assert.equal(detectDockerGeneration(ratedTables(read('docker-29.iptables-save'))), '29');
	});
});

describe('the shared reference rulesets are all explained', {skip: noShared}, () => {
	for (const file of IPTABLES_FILES) {
		test(`${file}: every Docker chain has a summary and every rule a note`, () => {
			for (const table of ratedTables(read(file))) {
				for (const chain of table.chains) {
					if (!chain.builtin) assert.ok(dockerChainInfo(table.name, chain.name), `${table.name} ${chain.name}`);
					for (const each of chain.rules) {
						assert.ok(dockerRuleNote(table.name, chain.name, each), `${table.name} ${chain.name}: ${each.spec}`);
					}
				}
			}
		});
	}

	test(`${NFT_FILE}: every chain has a summary and every rule a note`, () => {
		const chains = nftChains(read(NFT_FILE));
		assert.ok(chains.size >= 10);
		for (const [chain, rules] of chains) {
			assert.ok(dockerChainInfo('docker-bridges', chain), chain);
			for (const text of rules) {
				const comment = /comment "([^"]*)"/.exec(text)?.[1] ?? null;
				assert.ok(dockerRuleNote('docker-bridges', chain, rule({spec: text, comment})), `${chain}: ${text}`);
			}
		}
	});
});

test('natNote says nat counts first packets only', () => {
	assert.match(natNote, /only the first packet of each connection/);
});
