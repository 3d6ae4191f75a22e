import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {pickExtraMode, splitCommand, type ModeFlags} from '../../source/cli/extra-modes.ts';
import {probeJson, probeText, shellWords, type ProbeReport} from '../../source/cli/probe-output.ts';
import {invokingUser, parsePasswdLine} from '../../source/cli/run-as.ts';
import {judge} from '../../source/cli/until.ts';
import {parsePattern} from '../../source/core/pattern.ts';
import {probeDiff} from '../../source/core/probe.ts';
import {rateSample, type RateState} from '../../source/core/rates.ts';
import {parseJsonExact} from '../lab/helpers.ts';
import {dockerNat, sampleFromSave} from '../helpers/samples.ts';

const flags = (extra: Partial<ModeFlags> = {}): ModeFlags => ({asRoot: false, once: false, demo: false, ...extra});

describe('fwtop probe arguments', () => {
	test('the command is everything after the first --, flags and all', () => {
		assert.deepEqual(splitCommand(['probe', '--json', '--', 'curl', '-s', '-o', '/dev/null', '--json', 'x', '--', 'y']), {
			argv: ['probe', '--json'],
			command: ['curl', '-s', '-o', '/dev/null', '--json', 'x', '--', 'y'],
		});
		assert.deepEqual(splitCommand(['--json']), {argv: ['--json'], command: undefined});
	});

	test('probe: repeat defaults to 1, --as-root is carried', () => {
		assert.deepEqual(pickExtraMode(flags({asRoot: true}), ['probe'], ['id', '-u']), {mode: 'probe', probe: {command: ['id', '-u'], repeat: 1, asRoot: true}});
		assert.deepEqual(pickExtraMode(flags({repeat: 5}), ['probe'], ['true']), {mode: 'probe', probe: {command: ['true'], repeat: 5, asRoot: false}});
	});

	const usage: Array<[string, Partial<ModeFlags>, string[], string[] | undefined, RegExp]> = [
		['no command', {}, ['probe'], undefined, /needs a command after --/],
		['an empty command', {}, ['probe'], [], /needs a command after --/],
		['the command without --', {}, ['probe', 'curl'], undefined, /unexpected argument 'curl': put the command after --/],
		['--repeat 0', {repeat: 0}, ['probe'], ['true'], /--repeat must be a whole number from 1/],
		['--repeat 1.5', {repeat: 1.5}, ['probe'], ['true'], /--repeat must be a whole number/],
		['probe with --once', {once: true}, ['probe'], ['true'], /cannot be combined with --once/],
		['probe with --until', {until: 'x'}, ['probe'], ['true'], /cannot be combined with --until/],
		['-- without probe', {}, [], ['true'], /only fwtop probe takes a command/],
		['--repeat without probe', {repeat: 2}, [], undefined, /--repeat is for fwtop probe/],
		['--as-root without probe', {asRoot: true}, [], undefined, /--as-root is for fwtop probe/],
		['--until-timeout without --until', {untilTimeout: 3}, [], undefined, /--until-timeout is for --until/],
		['an empty --until', {until: ' '}, [], undefined, /--until needs a pattern/],
		['--until-timeout 0', {until: 'x', untilTimeout: 0}, [], undefined, /--until-timeout must be/],
		['--until with --input', {until: 'x', input: 'f'}, [], undefined, /cannot be combined with --input/],
	];
	for (const [what, extra, input, command, message] of usage) {
		test(`usage error: ${what}`, () => {
			assert.throws(() => pickExtraMode(flags(extra), input, command), message);
		});
	}

	test('--until: the pattern parsed, the timeout in ms; other modes are not extra', () => {
		const mode = pickExtraMode(flags({until: 'nat/DOCKER:dpt:80', untilTimeout: 2.5}), [], undefined);
		assert.equal(mode?.mode, 'until');
		assert.deepEqual(mode?.mode === 'until' ? [mode.until.pattern.table, mode.until.timeoutMs] : [], ['nat', 2500]);
		assert.equal(pickExtraMode(flags(), [], undefined), undefined);
	});
});

describe('running as the sudo user', () => {
	test('passwd lines', () => {
		assert.deepEqual(parsePasswdLine('nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin'), {name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent'});
		assert.equal(parsePasswdLine('garbage'), undefined);
		assert.equal(parsePasswdLine('a:x:b:1:::'), undefined);
	});

	test('as fwtop itself: --as-root, not root, no SUDO_UID, or sudo from root', async () => {
		assert.equal(await invokingUser(true, {SUDO_UID: '1000'}, 0), null);
		assert.equal(await invokingUser(false, {SUDO_UID: '1000'}, 1000), null);
		assert.equal(await invokingUser(false, {}, 0), null);
		assert.equal(await invokingUser(false, {SUDO_UID: '0', SUDO_GID: '0'}, 0), null);
	});

	test('a SUDO_UID that is not a number is refused', async () => {
		await assert.rejects(invokingUser(false, {SUDO_UID: 'alice'}, 0), /SUDO_UID is 'alice', not a number/);
	});

	test('under sudo as root: the invoking user\'s uid and gid', async () => {
		const runAs = await invokingUser(false, {SUDO_UID: '65534', SUDO_GID: '65533', SUDO_USER: 'someone'}, 0);
		assert.equal(runAs?.uid, 65534);
		assert.equal(runAs?.gid, 65533);
		assert.match(runAs!.note, /ran as .*uid 65534.*--as-root/);
		assert.ok(runAs!.env['USER'] !== undefined && runAs!.env['USER'] === runAs!.env['LOGNAME']);
	});
});

function report(counts: {before: number; after: number}, extra: Partial<ProbeReport> = {}): ProbeReport {
	const diff = probeDiff(sampleFromSave(dockerNat(counts.before), 0), sampleFromSave(dockerNat(counts.after), 250), {repeat: extra.repeat ?? 1});
	return {command: ['curl', '-s', 'http://x/?a b'], exitCode: 0, repeat: 1, runs: extra.repeat ?? 1, failedRuns: 0, diff, runNotes: [], status: 'exit status 0', ...extra};
}

describe('probe output', () => {
	test('text: rules in path order, jumps indented, notes, the command\'s status last', () => {
		assert.equal(probeText(report({before: 3, after: 4})), [
			'fwtop probe: curl -s \'http://x/?a b\' — 1 run, 0.25 s between the readings',
			'Δpackets    Δbytes  rule',
			'PREROUTING',
			'       1        60  nat PREROUTING #1  -m addrtype --dst-type LOCAL -j DOCKER',
			'       1        60    nat DOCKER #2  ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80',
			'notes:',
			'  - nat rules count only the first packet of each connection (conntrack applies the same translation to the rest), so their rates are new connections per second, not traffic.',
			'  - A published port\'s DNAT rewrites the destination in PREROUTING, before the routing decision: the packet is then forwarded to the container (FORWARD: DOCKER-USER, DOCKER) and never passes INPUT, so INPUT rules (ufw, firewalld) never see it. Filter published ports in DOCKER-USER.',
			'command exit status 0',
			'',
		].join('\n'));
	});

	test('text with --repeat: certain rows marked, failures counted', () => {
		const text = probeText(report({before: 3, after: 8}, {repeat: 5, failedRuns: 2, exitCode: 7, status: 'exit status 7'}));
		assert.match(text, /\n\* {8}5 {7}300 {4}nat DOCKER #2/);
		assert.match(text, /\* moved at least 5 packets: crossed by every run/);
		assert.match(text, /^fwtop probe: curl .* — 5 runs, /);
		assert.match(text, /command exit status 7 \(2 of 5 runs failed\)\n$/);
	});

	test('JSON: one object, exact integers, the contract\'s fields in order', () => {
		const big = report({before: 0, after: 1});
		big.diff.rows[0]!.deltaBytes = 18_446_744_073_709_551_615n;
		const json = probeJson(big);
		assert.match(json, /"deltaBytes":18446744073709551615,/);
		const parsed = parseJsonExact(json) as Record<string, unknown> & {rules: Array<Record<string, unknown>>};
		assert.deepEqual(Object.keys(parsed), ['command', 'exitCode', 'repeat', 'runs', 'failedRuns', 'elapsed', 'rules', 'notes']);
		assert.deepEqual(parsed.command, ['curl', '-s', 'http://x/?a b']);
		assert.deepEqual(Object.keys(parsed.rules[0]!), ['family', 'table', 'chain', 'id', 'index', 'target', 'spec', 'comment', 'deltaPackets', 'deltaBytes', 'certain', 'kind', 'hook', 'depth']);
		assert.deepEqual(parsed.rules.map(rule => [rule['chain'], rule['index'], rule['deltaPackets'], rule['certain'], rule['hook'], rule['depth']]), [
			['PREROUTING', 1, 1, true, 'PREROUTING', 0],
			['DOCKER', 2, 1, true, 'PREROUTING', 1],
		]);
	});

	test('shell words quote what a shell would split', () => {
		assert.equal(shellWords(['ip', 'netns', 'exec', 'x', 'curl', '-H', 'A: b', "it's"]), "ip netns exec x curl -H 'A: b' 'it'\\''s'");
	});
});

describe('--until on samples', () => {
	const rated = (counts: number[]) => {
		let state: RateState | null = null;
		return counts.map((count, i) => {
			const next = rateSample(state, sampleFromSave(dockerNat(count), i * 1000, {seq: i + 1}));
			state = next.state;
			return next.rated;
		});
	};

	const settings = (pattern: string) => ({pattern: parsePattern(pattern), timeoutMs: undefined});

	test('a pattern that selects no rule in the first sample: exit 2', () => {
		const [first] = rated([0]);
		const outcome = judge(settings('nat/DOCKER:dpt:443'), first!, true, false);
		assert.equal(outcome?.code, 2);
		assert.match(outcome!.message!, /no rule matches \(looked for nat DOCKER rules containing "dpt:443"\)/);
	});

	test('waits while the counter stands still, then prints the rule (text or JSON)', () => {
		const [first, second, third] = rated([5, 5, 7]);
		const pattern = settings('nat/DOCKER:to:172.17.0.2:80');
		assert.equal(judge(pattern, first!, true, false), undefined, 'the first sample is the baseline');
		assert.equal(judge(pattern, second!, false, false), undefined);
		const outcome = judge(pattern, third!, false, false);
		assert.deepEqual(outcome, {code: 0, line: 'ipv4 nat DOCKER #2  ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80  (+2 packets, 7 in all)'});
		const json = parseJsonExact(judge(pattern, third!, false, true)!.line!) as Record<string, unknown>;
		assert.deepEqual([json['family'], json['table'], json['chain'], json['target'], json['deltaPackets'], json['packets']], ['ipv4', 'nat', 'DOCKER', 'DNAT', 2, 7]);
	});

	test('a counter reset is no evidence; a rule added later with packets is', () => {
		const [first, second] = rated([9, 1]);
		const pattern = settings('DOCKER:DNAT');
		assert.equal(judge(pattern, first!, true, false), undefined);
		assert.equal(judge(pattern, second!, false, false), undefined);
		const added = '[3:180] -A DOCKER -p udp -m udp --dport 53 -j DNAT --to-destination 172.17.0.3:53';
		const initial = rateSample(null, sampleFromSave(dockerNat(0), 0));
		const later = rateSample(initial.state, sampleFromSave(dockerNat(0, {inserted: added}), 1000));
		assert.equal(judge(settings(':dpt:53'), initial.rated, true, false)?.code, 2);
		assert.equal(judge(settings('DOCKER:udp'), later.rated, false, false)?.code, 0);
	});
});
