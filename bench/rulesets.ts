// Synthetic but realistic rulesets for the benchmarks, as iptables-restore text.
// A kube-proxy-like nat table (KUBE-SERVICES → KUBE-SVC-* → KUBE-SEP-*, with comments, the shape
// kube-proxy's iptables mode writes) plus a Docker host's filter table with many bridges.

function kubeNat(services: number): string[] {
	const lines = ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]'];
	const rules = ['-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'];
	for (let s = 0; s < services; s++) {
		const name = `NS${s % 50}/svc-${s}:http`;
		const svc = `KUBE-SVC-${s.toString(36).toUpperCase().padStart(16, 'X')}`;
		const ip = `10.96.${(s >> 8) & 255}.${s & 255}`;
		lines.push(`:${svc} - [0:0]`);
		rules.push(`-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "${name} cluster IP" -m tcp --dport 80 -j ${svc}`);
		for (let e = 0; e < 2; e++) {
			const sep = `KUBE-SEP-${(s * 2 + e).toString(36).toUpperCase().padStart(16, 'Y')}`;
			const pod = `10.244.${(s >> 7) & 255}.${((s & 127) << 1) + e}`;
			lines.push(`:${sep} - [0:0]`);
			rules.push(
				e === 0
					? `-A ${svc} -m comment --comment "${name} -> ${pod}:8080" -m statistic --mode random --probability 0.50000000000 -j ${sep}`
					: `-A ${svc} -m comment --comment "${name} -> ${pod}:8080" -j ${sep}`,
				`-A ${sep} -s ${pod}/32 -m comment --comment "${name}" -j KUBE-MARK-MASQ`,
				`-A ${sep} -p tcp -m comment --comment "${name}" -m tcp -j DNAT --to-destination ${pod}:8080`,
			);
		}
	}

	return [...lines, ...rules, 'COMMIT'];
}

function dockerFilter(bridges: number): string[] {
	const lines = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ':DOCKER - [0:0]', ':DOCKER-USER - [0:0]', ':DOCKER-FORWARD - [0:0]', ':DOCKER-CT - [0:0]', ':DOCKER-BRIDGE - [0:0]'];
	const rules = ['-A FORWARD -j DOCKER-USER', '-A FORWARD -j DOCKER-FORWARD', '-A DOCKER-FORWARD -j DOCKER-CT', '-A DOCKER-FORWARD -j DOCKER-BRIDGE'];
	for (let b = 0; b < bridges; b++) {
		const bridge = `br-${b.toString(16).padStart(12, '0')}`;
		rules.push(
			`-A DOCKER-CT -o ${bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
			`-A DOCKER-BRIDGE -o ${bridge} -j DOCKER`,
			`-A DOCKER-FORWARD -i ${bridge} -j ACCEPT`,
			`-A DOCKER -d 172.${16 + (b >> 8)}.${b & 255}.2/32 ! -i ${bridge} -o ${bridge} -p tcp -m tcp --dport 80 -j ACCEPT`,
			`-A DOCKER ! -i ${bridge} -o ${bridge} -j DROP`,
		);
	}

	return [...lines, ...rules, 'COMMIT'];
}

/** About `size` rules: 90 % kube-proxy nat, 10 % Docker filter. */
export function benchRuleset(size: number): string {
	const services = Math.max(1, Math.round((size * 0.9) / 7));
	const bridges = Math.max(1, Math.round((size * 0.1) / 5));
	return [...kubeNat(services), ...dockerFilter(bridges), ''].join('\n');
}
