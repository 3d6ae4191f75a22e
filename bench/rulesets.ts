// Synthetic but realistic rulesets for the benchmarks, as iptables-restore text: a kube-proxy-like
// nat table (KUBE-SERVICES → KUBE-SVC-* → KUBE-SEP-*, with comments, the shape kube-proxy's iptables
// mode writes, reached from PREROUTING and OUTPUT) and a Docker host with many bridges and
// containers (Docker 28's chains: DNAT per published port in nat DOCKER, DOCKER-CT, DOCKER-BRIDGE,
// DOCKER-FORWARD, an ACCEPT per published port and a DROP per bridge in filter DOCKER).

/** Service cluster IP and pod IP of service `s`, endpoint `e`. */
export const serviceIp = (s: number): string => `10.96.${(s >> 8) & 255}.${s & 255}`;
const podIp = (s: number, e: number): string => `10.244.${(s >> 7) & 255}.${((s & 127) << 1) + e}`;
const chainId = (n: number, pad: string): string => n.toString(36).toUpperCase().padStart(16, pad);

function kubeService(s: number, rules: string[], chains: string[]): void {
	const name = `ns${s % 50}/svc-${s}:http`;
	const svc = `KUBE-SVC-${chainId(s, 'X')}`;
	chains.push(`:${svc} - [0:0]`);
	rules.push(`-A KUBE-SERVICES -d ${serviceIp(s)}/32 -p tcp -m comment --comment "${name} cluster IP" -m tcp --dport 80 -j ${svc}`);
	for (let e = 0; e < 2; e++) {
		const sep = `KUBE-SEP-${chainId((s * 2) + e, 'Y')}`;
		const pod = podIp(s, e);
		chains.push(`:${sep} - [0:0]`);
		rules.push(
			e === 0
				? `-A ${svc} -m comment --comment "${name} -> ${pod}:8080" -m statistic --mode random --probability 0.50000000000 -j ${sep}`
				: `-A ${svc} -m comment --comment "${name} -> ${pod}:8080" -j ${sep}`,
			`-A ${sep} -s ${pod}/32 -m comment --comment "${name}" -j KUBE-MARK-MASQ`,
			`-A ${sep} -p tcp -m comment --comment "${name}" -m tcp -j DNAT --to-destination ${pod}:8080`,
		);
	}
}

type Docker = {bridges: number; containers: number};

const bridgeName = (b: number): string => (b === 0 ? 'docker0' : `br-${b.toString(16).padStart(12, '0')}`);
const containerIp = (b: number, c: number): string => `172.${16 + (b >> 8)}.${b & 255}.${2 + c}`;

function dockerNat(docker: Docker, rules: string[]): void {
	for (let b = 0; b < docker.bridges; b++) {
		rules.push(`-A POSTROUTING -s 172.${16 + (b >> 8)}.${b & 255}.0/24 ! -o ${bridgeName(b)} -j MASQUERADE`);
		for (let c = 0; c < docker.containers; c++) {
			const port = 10_000 + (b * docker.containers) + c;
			rules.push(`-A DOCKER ! -i ${bridgeName(b)} -p tcp -m tcp --dport ${port} -j DNAT --to-destination ${containerIp(b, c)}:80`);
		}
	}
}

function dockerFilter(docker: Docker, rules: string[]): void {
	for (let b = 0; b < docker.bridges; b++) {
		const bridge = bridgeName(b);
		rules.push(
			`-A DOCKER-CT -o ${bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
			`-A DOCKER-BRIDGE -o ${bridge} -j DOCKER`,
			`-A DOCKER-FORWARD -i ${bridge} -j ACCEPT`,
		);
		for (let c = 0; c < docker.containers; c++) {
			rules.push(`-A DOCKER -d ${containerIp(b, c)}/32 ! -i ${bridge} -o ${bridge} -p tcp -m tcp --dport 80 -j ACCEPT`);
		}

		rules.push(`-A DOCKER ! -i ${bridge} -o ${bridge} -j DROP`);
	}
}

export type BenchRuleset = {text: string; services: number; bridges: number; containers: number};

/** About `size` rules: 80 % kube-proxy (7 rules a service), 20 % Docker (4 rules a bridge, 2 a container). */
export function benchRuleset(size: number): BenchRuleset {
	const services = Math.max(1, Math.round((size * 0.8) / 7));
	const bridges = Math.max(1, Math.round(Math.sqrt((size * 0.2) / 8)));
	const docker: Docker = {bridges, containers: Math.max(1, Math.round(((size * 0.2) - (4 * bridges)) / (2 * bridges)))};
	const natChains = [':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ':DOCKER - [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]'];
	const natRules = [
		'-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
		'-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
		'-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
		'-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER',
		'-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
	];
	for (let s = 0; s < services; s++) kubeService(s, natRules, natChains);
	dockerNat(docker, natRules);
	const filterRules = ['-A FORWARD -j DOCKER-USER', '-A FORWARD -j DOCKER-FORWARD', '-A DOCKER-FORWARD -j DOCKER-CT', '-A DOCKER-FORWARD -j DOCKER-BRIDGE'];
	dockerFilter(docker, filterRules);
	const filter = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ':DOCKER - [0:0]', ':DOCKER-USER - [0:0]', ':DOCKER-FORWARD - [0:0]', ':DOCKER-CT - [0:0]', ':DOCKER-BRIDGE - [0:0]'];
	const text = ['*nat', ...natChains, ...natRules, 'COMMIT', ...filter, ...filterRules, 'COMMIT', ''].join('\n');
	return {text, services, bridges, containers: docker.containers};
}
