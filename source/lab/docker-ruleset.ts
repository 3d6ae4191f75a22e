// Docker's bridge-driver iptables rules, generated for a scenario, as `iptables-restore` input.
//
// Written from ../shared/docker/README.md, which derives each generation from moby/moby at fixed
// tags (27.x: v27.5.1 libnetwork/drivers/bridge/setup_ip_tables_linux.go, iptables/iptables.go;
// 29.x: docker-v29.5.1 daemon/libnetwork/drivers/bridge/internal/iptabler/*). Rather than listing
// the final rules, we replay Docker's own events (daemon start, `docker network create`, container
// start) with its insert-at-top / append choices, so rule order comes out the way Docker leaves it
// ("newest network first" is just a consequence of inserting at the top).
// Assumes icc=true, ip-masq=true, userland-proxy=true, gateway mode nat, and ip_forward enabled by
// dockerd itself (hence FORWARD policy DROP).

export type Generation = 27 | 28 | 29;

export type PortMapping = {host: number; container: number; proto: 'tcp' | 'udp'};

export type Container = {ip: string; ports: PortMapping[]};

export type Bridge = {
	/** Interface name, ≤15 characters (`docker0`, `br-<12 hex>`). */
	name: string;
	/** Network address with prefix length, e.g. `172.17.0.0/16`. */
	subnet: string;
	/** The bridge's own address (no prefix); not in the rules, used by the lab. */
	gateway: string;
	containers: Container[];
};

/** Bridges in creation order; containers start in bridge order, then list order. */
export type DockerScenario = {generation: Generation; bridges: Bridge[]};

/** The scenario of ../shared/docker/README.md: A on docker0 `-p 80:80`, B `-p 8080:80` and C
 * (nothing published) on a user network. */
export const readmeBridges: Bridge[] = [
	{
		name: 'docker0',
		subnet: '172.17.0.0/16',
		gateway: '172.17.0.1',
		containers: [{ip: '172.17.0.2', ports: [{host: 80, container: 80, proto: 'tcp'}]}],
	},
	{
		name: 'br-0123456789ab',
		subnet: '172.18.0.0/16',
		gateway: '172.18.0.1',
		containers: [
			{ip: '172.18.0.2', ports: [{host: 8080, container: 80, proto: 'tcp'}]},
			{ip: '172.18.0.3', ports: []},
		],
	},
];

type TableName = 'raw' | 'filter' | 'nat';

type Tables = Record<TableName, Map<string, string[]>>;

const builtinChains: Record<TableName, Array<[string, string]>> = {
	raw: [['PREROUTING', 'ACCEPT'], ['OUTPUT', 'ACCEPT']],
	filter: [['INPUT', 'ACCEPT'], ['FORWARD', 'DROP'], ['OUTPUT', 'ACCEPT']],
	nat: [['PREROUTING', 'ACCEPT'], ['INPUT', 'ACCEPT'], ['OUTPUT', 'ACCEPT'], ['POSTROUTING', 'ACCEPT']],
};

const isolation1 = 'DOCKER-ISOLATION-STAGE-1';
const isolation2 = 'DOCKER-ISOLATION-STAGE-2';

function newTables(): Tables {
	const tables = {raw: new Map(), filter: new Map(), nat: new Map()} as Tables;
	for (const name of ['raw', 'filter', 'nat'] as const) {
		for (const [chain] of builtinChains[name]) {
			tables[name].set(chain, []);
		}
	}

	return tables;
}

function rules(tables: Tables, table: TableName, chain: string): string[] {
	let list = tables[table].get(chain);
	if (!list) {
		list = [];
		tables[table].set(chain, list);
	}

	return list;
}

const append = (t: Tables, table: TableName, chain: string, ...specs: string[]) => {
	rules(t, table, chain).push(...specs);
};

const insert = (t: Tables, table: TableName, chain: string, ...specs: string[]) => {
	rules(t, table, chain).unshift(...specs);
};

/** libnetwork's EnsureJumpRule: delete the rule wherever it is, insert it at the top. */
const ensureFirst = (t: Tables, table: TableName, chain: string, spec: string) => {
	const list = rules(t, table, chain);
	const at = list.indexOf(spec);
	if (at !== -1) {
		list.splice(at, 1);
	}

	list.unshift(spec);
};

function daemonStart(t: Tables, generation: Generation): void {
	rules(t, 'nat', 'DOCKER');
	append(t, 'nat', 'PREROUTING', '-m addrtype --dst-type LOCAL -j DOCKER');
	append(t, 'nat', 'OUTPUT', '! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER');
	rules(t, 'filter', 'DOCKER');
	if (generation === 27) {
		append(t, 'filter', isolation1, '-j RETURN');
		append(t, 'filter', isolation2, '-j RETURN');
		append(t, 'filter', 'DOCKER-USER', '-j RETURN');
		append(t, 'filter', 'FORWARD', `-j ${isolation1}`);
		ensureFirst(t, 'filter', 'FORWARD', '-j DOCKER-USER');
		return;
	}

	// 28.3+: DOCKER-USER has no RETURN rule; everything Docker does hangs off DOCKER-FORWARD.
	rules(t, 'filter', 'DOCKER-USER');
	const middle = generation === 28 ? isolation1 : 'DOCKER-INTERNAL';
	rules(t, 'filter', middle);
	if (generation === 28) {
		rules(t, 'filter', isolation2);
	}

	append(t, 'filter', 'DOCKER-FORWARD', '-j DOCKER-CT', `-j ${middle}`, '-j DOCKER-BRIDGE');
	rules(t, 'filter', 'DOCKER-CT');
	rules(t, 'filter', 'DOCKER-BRIDGE');
	append(t, 'filter', 'FORWARD', '-j DOCKER-USER', '-j DOCKER-FORWARD');
}

const established = (bridge: string) => `-o ${bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`;

function networkCreate(t: Tables, generation: Generation, bridge: Bridge): void {
	const br = bridge.name;
	insert(t, 'nat', 'POSTROUTING', `-s ${bridge.subnet} ! -o ${br} -j MASQUERADE`);
	if (generation !== 29) {
		// Skip DNAT for traffic from the bridge itself: the userland proxy handles it (gone in 29).
		insert(t, 'nat', 'DOCKER', `-i ${br} -j RETURN`);
		insert(t, 'filter', isolation1, `-i ${br} ! -o ${br} -j ${isolation2}`);
		insert(t, 'filter', isolation2, `-o ${br} -j DROP`);
	}

	if (generation === 27) {
		insert(t, 'filter', 'FORWARD',
			established(br), `-o ${br} -j DOCKER`, `-i ${br} ! -o ${br} -j ACCEPT`, `-i ${br} -o ${br} -j ACCEPT`);
		ensureFirst(t, 'filter', 'FORWARD', `-j ${isolation1}`);
		ensureFirst(t, 'filter', 'FORWARD', '-j DOCKER-USER');
		return;
	}

	append(t, 'filter', 'DOCKER-CT', established(br));
	append(t, 'filter', 'DOCKER-BRIDGE', `-o ${br} -j DOCKER`);
	append(t, 'filter', 'DOCKER-FORWARD', `-i ${br} -j ACCEPT`);
	append(t, 'filter', 'DOCKER', `! -i ${br} -o ${br} -j DROP`);
}

function containerStart(t: Tables, generation: Generation, bridge: Bridge, container: Container): void {
	const br = bridge.name;
	const ip = container.ip;
	if (generation !== 27) {
		// Direct-access protection (28.0.2+): only the container's own bridge may address it.
		append(t, 'raw', 'PREROUTING', `-d ${ip}/32 ! -i ${br} -j DROP`);
	}

	for (const port of container.ports) {
		const match = `-p ${port.proto} -m ${port.proto} --dport`;
		const accept = `-d ${ip}/32 ! -i ${br} -o ${br} ${match} ${port.container} -j ACCEPT`;
		if (generation === 27) {
			append(t, 'filter', 'DOCKER', accept);
			append(t, 'nat', 'POSTROUTING', `-s ${ip}/32 -d ${ip}/32 ${match} ${port.container} -j MASQUERADE`);
		} else {
			insert(t, 'filter', 'DOCKER', accept);
		}

		append(t, 'nat', 'DOCKER', `! -i ${br} ${match} ${port.host} -j DNAT --to-destination ${ip}:${port.container}`);
	}
}

function render(t: Tables, generation: Generation): string {
	const lines = [`# Docker ${generation} bridge-driver rules, generated by fwtop's lab (source/lab/docker-ruleset.ts)`];
	const names: TableName[] = generation === 27 ? ['filter', 'nat'] : ['raw', 'filter', 'nat'];
	for (const name of names) {
		const table = t[name];
		const builtins = builtinChains[name];
		const builtinNames = new Set(builtins.map(([chain]) => chain));
		// iptables-save lists user chains sorted by name, after the built-in ones.
		const userChains = [...table.keys()].filter(chain => !builtinNames.has(chain)).sort();
		lines.push(`*${name}`);
		for (const [chain, policy] of builtins) {
			lines.push(`:${chain} ${policy} [0:0]`);
		}

		for (const chain of userChains) {
			lines.push(`:${chain} - [0:0]`);
		}

		for (const chain of [...builtins.map(([chain]) => chain), ...userChains]) {
			for (const spec of table.get(chain) ?? []) {
				lines.push(`-A ${chain} ${spec}`);
			}
		}

		lines.push('COMMIT');
	}

	return lines.join('\n') + '\n';
}

/** `iptables-restore` input (IPv4) for Docker's rules of one generation in a scenario. */
export function dockerRuleset(scenario: DockerScenario): string {
	const {generation, bridges} = scenario;
	const tables = newTables();
	daemonStart(tables, generation);
	for (const bridge of bridges) {
		networkCreate(tables, generation, bridge);
	}

	for (const bridge of bridges) {
		for (const container of bridge.containers) {
			containerStart(tables, generation, bridge, container);
		}
	}

	return render(tables, generation);
}
