#!/usr/bin/env bash
# Regenerates fwtop's own nftables fixtures in test/fixtures/nft/ from a real nft and kernel.
#
# Needs root, `ip` (iproute2), nft (Debian: apt-get install nftables) and iptables-nft (for the
# "managed by iptables-nft" case). Everything happens inside throw-away network namespaces named
# fwtop-nftfx-<pid>-*; every nft call goes through `ip netns exec`, so the machine's own ruleset is
# never read or changed. The namespaces are deleted on exit, also on error or ^C.
#
# For each fixture NAME it writes NAME.json (stdout of `nft -j …`) or NAME.txt (any other stdout),
# byte for byte, NAME.stderr.txt (only when stderr was not empty) and NAME.cmd (the command run
# inside the namespace, its exit code and what the namespace held). See test/fixtures/nft/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/fixture-lib.sh
. "$ROOT/scripts/fixture-lib.sh"
fixture_start gen-nft-fixtures.sh fwtop-nftfx "$ROOT/test/fixtures/nft"
SETUP=$OUT/setup

# capture NAME EXT SUFFIX SETUP-NOTE COMMAND...: records one command's output as fixture NAME.EXT.
capture() {
	local name=$1 ext=$2
	shift 2
	capture_file "$name.$ext" "$@"
}

# Three UDP datagrams to 127.0.0.1:53 (nothing listens: each gets an ICMP port unreachable back).
udp_traffic() {
	in_ns "$1" bash -c 'for i in 1 2 3; do echo fwtop >/dev/udp/127.0.0.1/53; done'
}

mixed() {
	local note='nft -f setup/mixed.nft'
	new_ns mixed
	in_ns mixed nft -f "$SETUP/mixed.nft"
	capture nft_mixed_json_t0 json mixed "$note" nft -j list ruleset
	udp_traffic mixed
	in_ns mixed nft insert rule inet fwtest input tcp dport 9999 counter drop comment '"inserted at the top"'
	note+='; 3 UDP datagrams to 127.0.0.1:53; nft insert rule inet fwtest input tcp dport 9999 counter drop comment "inserted at the top"'
	capture nft_mixed_json_t1 json mixed "$note" nft -j list ruleset
	capture nft_mixed_stateless-handles_t1 txt mixed "$note" nft -s -a list ruleset
}

docker_like() {
	local note='nft -f setup/docker-like.nft'
	new_ns docker
	in_ns docker nft -f "$SETUP/docker-like.nft"
	capture nft_docker-like_json json docker "$note" nft -j list ruleset
	capture nft_docker-like_stateless-handles txt docker "$note" nft -s -a list ruleset
}

# iptables-nft's tables next to a native one: what `--backend auto` must not show twice.
managed() {
	local note='iptables-nft-restore --counters <setup/managed.rules; nft -f setup/managed-native.nft'
	new_ns managed
	in_ns managed iptables-nft-restore --counters <"$SETUP/managed.rules"
	in_ns managed nft -f "$SETUP/managed-native.nft"
	capture nft_managed_json json managed "$note" nft -j list ruleset
	capture nft_managed_list-ruleset txt managed "$note" nft list ruleset
	capture nft_managed_list-tables json managed "$note" nft -j list tables
	capture nft_managed_list-table-inet-native json managed "$note" nft -j list table inet native
	capture nft_managed_list-table-ip-filter json managed "$note" nft -j list table ip filter
	capture nft_managed_list-table-ip-gone json managed "$note" nft -j list table ip gone
	capture iptables-nft_managed_save-c txt managed "$note" iptables-nft-save -c
	capture ip6tables-nft_managed_save-c txt managed "$note" ip6tables-nft-save -c
	capture iptables-nft_managed_V txt managed "$note" iptables-nft -V
	capture nft_err_nonroot json managed "$note; run as uid 65534 without capabilities" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all nft -j list ruleset
}

versions() {
	{
		nft --version
		iptables-nft --version
		system_versions
	} >"$OUT/versions.txt"
}

main() {
	find "$OUT" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.json' -o -name '*.cmd' \) -delete
	versions
	mixed
	docker_like
	managed
}

main "$@"
