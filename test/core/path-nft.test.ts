// The packet path over nft tables: base chains ordered by hook and priority across tables, and
// verdict maps expanded into the chains they may jump to. Rulesets are fwtop's own captures
// (test/fixtures/nft/nft_docker-like_json.json: Docker 29's layout with the lab's bridges).
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {RatedSample, Sample} from '../../source/core/model.ts';
import {buildPath, chainReferences, type PathRow} from '../../source/core/path.ts';
import {rateSample} from '../../source/core/rates.ts';
import {findTable, nftSample, ownNft} from '../helpers/nft.ts';

const docker = ownNft('nft_docker-like_json.json');

/** Two readings of the docker-like ruleset, the second with `moves` added: chain → handle → packets. */
function moved(moves: Record<string, Record<number, bigint>>): RatedSample {
	const second: Sample = nftSample(docker, 1000, {seq: 2});
	for (const table of second.tables) {
		for (const chain of table.chains) {
			chain.rules = chain.rules.map(rule => {
				const more = moves[chain.name]?.[rule.handle ?? -1] ?? 0n;
				return {...rule, packets: rule.packets + more, bytes: rule.bytes + more * 60n};
			});
		}
	}

	const {state} = rateSample(null, nftSample(docker, 0));
	return rateSample(state, second).rated;
}

const brief = (rows: PathRow[]): string[] => rows.map(row => `${'  '.repeat(row.depth)}${row.kind} ${row.label}`);

function handleOf(chain: string, text: RegExp): number {
	const table = findTable(nftSample(docker, 0).tables, 'ip', 'docker-bridges');
	const rule = table.chains.find(candidate => candidate.name === chain)!.rules.find(candidate => text.test(candidate.spec))!;
	return rule.handle!;
}

describe('path over nft tables', () => {
	it('runs base chains by hook and priority and expands every verdict-map target', () => {
		const rows = buildPath(moved({}), {family: 'ipv4', kind: 'forward', hideIdle: false});
		const chains = rows.filter(row => row.kind === 'chain').map(row => row.label);
		assert.deepEqual(chains, ['ip docker-bridges nat-PREROUTING', 'ip docker-bridges filter-FORWARD', 'ip docker-bridges nat-POSTROUTING']);
		const forward = brief(rows);
		const vmap = forward.indexOf('    rule oifname vmap @filter-forward-in-jumps');
		assert.ok(vmap > 0, forward.join('\n'));
		assert.deepEqual(forward.slice(vmap + 1, vmap + 8), [
			'      note "docker0" : jump filter-forward-in__docker0',
			'      rule ct state established,related counter accept',
			'      rule iifname "docker0" counter accept comment "ICC"',
			'      rule ip daddr 172.17.0.2 tcp dport 80 counter accept',
			'      rule counter drop comment "UNPUBLISHED PORT DROP"',
			'      return end of filter-forward-in__docker0: back to filter-FORWARD',
			'      note "br-0123456789ab" : jump filter-forward-in__br-0123456789ab',
		]);
		assert.ok(forward.includes('    note nat rules count only the first packet of each connection (conntrack applies the same translation to the rest), so their rates are new connections per second, not traffic.'));
	});

	it('with idle rows hidden, keeps only the map branch that carried traffic', () => {
		const published = handleOf('filter-forward-in__docker0', /tcp dport 80/);
		const established = handleOf('filter-forward-in__docker0', /ct state/);
		const rows = buildPath(moved({'filter-forward-in__docker0': {[published]: 5n, [established]: 20n}}), {family: 'ipv4', kind: 'forward', hideIdle: true});
		const forward = brief(rows).filter(line => /note "|rule |return /.test(line));
		assert.deepEqual(forward, [
			'    rule oifname vmap @filter-forward-in-jumps',
			'      note "docker0" : jump filter-forward-in__docker0',
			'      rule ct state established,related counter accept',
			'      rule ip daddr 172.17.0.2 tcp dport 80 counter accept',
			'      return end of filter-forward-in__docker0: back to filter-FORWARD',
		]);
	});

	it('puts inet tables on both paths, ordered by priority with other tables', () => {
		const sample = rateSample(null, nftSample(ownNft('nft_mixed_json_t1.json'), 0)).rated;
		const input4 = buildPath(sample, {family: 'ipv4', kind: 'incoming', hideIdle: false}).filter(row => row.kind === 'chain');
		assert.deepEqual(input4.map(row => `${row.hook!} ${row.label}`), ['PREROUTING ip fwnat prerouting', 'INPUT inet fwtest input']);
		const forward6 = buildPath(sample, {family: 'ipv6', kind: 'forward', hideIdle: false}).filter(row => row.kind === 'chain');
		assert.deepEqual(forward6.map(row => row.label), ['ip6 fw6 forward']);
		const output6 = buildPath(sample, {family: 'ipv6', kind: 'outgoing', hideIdle: false}).filter(row => row.kind === 'chain');
		assert.deepEqual(output6.map(row => row.label), ['inet fwtest output']);
	});

	it('marks goto elements of a map and follows a named map', () => {
		const sample = rateSample(null, nftSample(ownNft('nft_mixed_json_t1.json'), 0)).rated;
		const labels = brief(buildPath(sample, {family: 'ipv4', kind: 'incoming', hideIdle: false}));
		assert.ok(labels.includes('      note udp : goto udp-in'));
		assert.ok(labels.includes('      return end of udp-in: reached by goto, so input\'s policy applies'));
		assert.ok(labels.includes('      note 8080 : jump web'));
		// One expansion per chain: the map's second element (8443 : goto web) names the same chain.
		assert.equal(labels.filter(line => line.includes(': goto web')).length, 0);
	});

	it('lists verdict-map rules among a chain\'s references', () => {
		const table = findTable(moved({}).tables, 'ip', 'docker-bridges');
		assert.deepEqual(chainReferences(table, 'filter-forward-in__docker0').map(reference => reference.chain), ['filter-FORWARD']);
	});
});
