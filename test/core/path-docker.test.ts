import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {natNote} from '../../source/core/docker.ts';
import {buildPath, type PathRow} from '../../source/core/path.ts';
import {outline, ratedSample} from '../helpers/rated-sample.ts';

// The forward path of "ext → host:8080 → container B (172.18.0.2:80 on br-0123456789ab)" on the
// layouts of ../shared/docker (docker-27.iptables-save, docker-29.iptables-save), copied here
// so the test stands alone. Rates follow the README's lab counts: nat sees the 5 first packets,
// filter every packet, most of them on the conntrack ESTABLISHED rules.

const BR = 'br-0123456789ab';

const DOCKER_27 = `
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o ${BR} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o ${BR} -j DOCKER
-A FORWARD -i ${BR} ! -o ${BR} -j ACCEPT
-A FORWARD -i ${BR} -o ${BR} -j ACCEPT
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER -d 172.18.0.2/32 ! -i ${BR} -o ${BR} -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i ${BR} ! -o ${BR} -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o ${BR} -j DROP
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.18.0.0/16 ! -o ${BR} -j MASQUERADE
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER -i ${BR} -j RETURN
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80
-A DOCKER ! -i ${BR} -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
COMMIT
`;

const DOCKER_29 = `
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP
-A PREROUTING -d 172.18.0.2/32 ! -i ${BR} -j DROP
-A PREROUTING -d 172.18.0.3/32 ! -i ${BR} -j DROP
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-BRIDGE - [0:0]
:DOCKER-CT - [0:0]
:DOCKER-FORWARD - [0:0]
:DOCKER-INTERNAL - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-FORWARD
-A DOCKER -d 172.18.0.2/32 ! -i ${BR} -o ${BR} -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER ! -i docker0 -o docker0 -j DROP
-A DOCKER ! -i ${BR} -o ${BR} -j DROP
-A DOCKER-BRIDGE -o docker0 -j DOCKER
-A DOCKER-BRIDGE -o ${BR} -j DOCKER
-A DOCKER-CT -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A DOCKER-CT -o ${BR} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A DOCKER-FORWARD -j DOCKER-CT
-A DOCKER-FORWARD -j DOCKER-INTERNAL
-A DOCKER-FORWARD -j DOCKER-BRIDGE
-A DOCKER-FORWARD -i docker0 -j ACCEPT
-A DOCKER-FORWARD -i ${BR} -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.18.0.0/16 ! -o ${BR} -j MASQUERADE
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80
-A DOCKER ! -i ${BR} -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
COMMIT
`;

// 5 connections: 5 first packets, 20 more towards B, 25 replies from B.
const RATES_27 = {
	'nat PREROUTING 1': 5, 'nat DOCKER 4': 5,
	'filter FORWARD 1': 50, 'filter DOCKER-USER 1': 50,
	'filter FORWARD 2': 50, 'filter DOCKER-ISOLATION-STAGE-1 1': 25, 'filter DOCKER-ISOLATION-STAGE-2 3': 25, 'filter DOCKER-ISOLATION-STAGE-1 3': 50,
	'filter FORWARD 3': 20, 'filter FORWARD 4': 5, 'filter DOCKER 2': 5, 'filter FORWARD 5': 25,
};

const RATES_29 = {
	'nat PREROUTING 1': 5, 'nat DOCKER 2': 5,
	'filter FORWARD 1': 50, 'filter FORWARD 2': 50,
	'filter DOCKER-FORWARD 1': 50, 'filter DOCKER-CT 2': 20, 'filter DOCKER-FORWARD 2': 30,
	'filter DOCKER-FORWARD 3': 30, 'filter DOCKER-BRIDGE 2': 5, 'filter DOCKER 1': 5, 'filter DOCKER-FORWARD 5': 25,
};

const forward = (text: string, rates: Record<string, number>, hideIdle: boolean): PathRow[] =>
	buildPath(ratedSample(text, {rates}), {family: 'ipv4', kind: 'forward', hideIdle});

/** Asserts that each expected line starts one of the outline's lines, in this order. */
function assertInOrder(lines: string[], expected: string[]): void {
	let at = 0;
	for (const want of expected) {
		const found = lines.findIndex((line, index) => index >= at && line.startsWith(want));
		assert.ok(found >= 0, `"${want}" not found after line ${at} in:\n${lines.join('\n')}`);
		at = found + 1;
	}
}

const assertUniqueKeys = (rows: PathRow[]): void => assert.equal(new Set(rows.map((row) => row.key)).size, rows.length);

describe('forward path of ext → published port, Docker 27', () => {
	test('lists DNAT, DOCKER-USER, both isolation stages, DOCKER ACCEPT and MASQUERADE in order', () => {
		const rows = forward(DOCKER_27, RATES_27, false);
		assertUniqueKeys(rows);
		assertInOrder(outline(rows), [
			'hook PREROUTING',
			'  chain nat PREROUTING',
			'    PREROUTING#1 DOCKER 5/s',
			'      DOCKER#4 DNAT 5/s',
			'      return end of DOCKER: back to PREROUTING',
			'hook FORWARD',
			'  chain filter FORWARD',
			'    FORWARD#1 DOCKER-USER 50/s',
			'      DOCKER-USER#1 RETURN 50/s',
			'    FORWARD#2 DOCKER-ISOLATION-STAGE-1 50/s',
			'      DOCKER-ISOLATION-STAGE-1#1 DOCKER-ISOLATION-STAGE-2 25/s',
			'        DOCKER-ISOLATION-STAGE-2#1 DROP 0/s',
			'        DOCKER-ISOLATION-STAGE-2#3 RETURN 25/s',
			'      DOCKER-ISOLATION-STAGE-1#3 RETURN 50/s',
			'    FORWARD#4 DOCKER 5/s',
			'      DOCKER#2 ACCEPT 5/s',
			'    policy policy DROP',
			'hook POSTROUTING',
			'  chain nat POSTROUTING',
			'    POSTROUTING#1 MASQUERADE',
		]);
	});

	test('folds what the flow does not touch', () => {
		assert.deepEqual(outline(forward(DOCKER_27, RATES_27, true)), [
			'hook PREROUTING — every packet arriving on an interface',
			'  chain nat PREROUTING',
			`    note ${natNote}`,
			'    PREROUTING#1 DOCKER 5/s',
			'      folded … 3 idle rules',
			'      DOCKER#4 DNAT 5/s',
			'      return end of DOCKER: back to PREROUTING',
			'    policy policy ACCEPT',
			'note routing decision: addressed elsewhere → FORWARD',
			'hook FORWARD — routed through this host (e.g. to a container)',
			'  chain filter FORWARD',
			'    FORWARD#1 DOCKER-USER 50/s',
			'      DOCKER-USER#1 RETURN 50/s',
			'      return end of DOCKER-USER: back to FORWARD',
			'    FORWARD#2 DOCKER-ISOLATION-STAGE-1 50/s',
			'      DOCKER-ISOLATION-STAGE-1#1 DOCKER-ISOLATION-STAGE-2 25/s',
			'        folded … 2 idle rules',
			'        DOCKER-ISOLATION-STAGE-2#3 RETURN 25/s',
			'        return end of DOCKER-ISOLATION-STAGE-2: back to DOCKER-ISOLATION-STAGE-1',
			'      folded … 1 idle rule',
			'      DOCKER-ISOLATION-STAGE-1#3 RETURN 50/s',
			'      return end of DOCKER-ISOLATION-STAGE-1: back to FORWARD',
			'    FORWARD#3 ACCEPT 20/s',
			'    FORWARD#4 DOCKER 5/s',
			'      folded … 1 idle rule',
			'      DOCKER#2 ACCEPT 5/s',
			'      return end of DOCKER: back to FORWARD',
			'    FORWARD#5 ACCEPT 25/s',
			'    folded … 5 idle rules',
			'    policy policy DROP',
			'hook POSTROUTING — every packet leaving on an interface',
			'  chain nat POSTROUTING',
			`    note ${natNote}`,
			'    folded … 2 idle rules',
			'    policy policy ACCEPT',
		]);
	});
});

describe('forward path of ext → published port, Docker 29', () => {
	test('lists raw, DNAT, DOCKER-USER, DOCKER-FORWARD → CT, INTERNAL, BRIDGE → DOCKER ACCEPT, MASQUERADE in order', () => {
		const rows = forward(DOCKER_29, RATES_29, false);
		assertUniqueKeys(rows);
		assertInOrder(outline(rows), [
			'  chain raw PREROUTING',
			'    PREROUTING#1 DROP',
			'  chain nat PREROUTING',
			'    PREROUTING#1 DOCKER 5/s',
			'      DOCKER#2 DNAT 5/s',
			'  chain filter FORWARD',
			'    FORWARD#1 DOCKER-USER 50/s',
			'      return end of DOCKER-USER: back to FORWARD',
			'    FORWARD#2 DOCKER-FORWARD 50/s',
			'      DOCKER-FORWARD#1 DOCKER-CT 50/s',
			'        DOCKER-CT#2 ACCEPT 20/s',
			'      DOCKER-FORWARD#2 DOCKER-INTERNAL 30/s',
			'      DOCKER-FORWARD#3 DOCKER-BRIDGE 30/s',
			'        DOCKER-BRIDGE#1 DOCKER 0/s',
			'          DOCKER#1 ACCEPT 5/s',
			'        DOCKER-BRIDGE#2 DOCKER 5/s',
			'          DOCKER#1 ACCEPT 5/s',
			'      DOCKER-FORWARD#5 ACCEPT 25/s',
			'  chain nat POSTROUTING',
			'    POSTROUTING#1 MASQUERADE',
		]);
	});

	test('folds idle rules, and a chain reached only through an idle jump', () => {
		const lines = outline(forward(DOCKER_29, RATES_29, true));
		assertInOrder(lines, [
			'  chain raw PREROUTING',
			'    folded … 3 idle rules',
			'    policy policy ACCEPT',
			'      DOCKER-FORWARD#3 DOCKER-BRIDGE 30/s',
			// DOCKER counts 5/s, but from -o BR: the jump for docker0 is a known 0, so it folds.
			'        folded … 1 idle rule',
			'        DOCKER-BRIDGE#2 DOCKER 5/s',
			'          DOCKER#1 ACCEPT 5/s',
			'          folded … 3 idle rules',
			'      folded … 1 idle rule',
			'      DOCKER-FORWARD#5 ACCEPT 25/s',
		]);
		assert.equal(lines.filter((line) => line.includes('DOCKER-BRIDGE#1')).length, 0);
	});
});
