#!/usr/bin/env bash
# Regenerates fwtop's own golden fixtures in test/fixtures/ from a real kernel.
#
# Needs root, `ip` (iproute2) and iptables ≥1.8 with both the nft and legacy variants
# (Debian: apt-get install iptables). Everything happens inside throw-away network namespaces
# named fwtop-fx-<pid>-*; every iptables call goes through `ip netns exec`, so the machine's own
# firewall is never read or changed. The namespaces are deleted on exit, also on error or ^C.
# nft and legacy get separate namespaces: with both kinds of tables in one namespace iptables-nft
# adds a "# Warning: iptables-legacy tables present" line to stderr.
#
# For each fixture NAME it writes NAME.txt (stdout, byte for byte, trailing spaces kept),
# NAME.stderr.txt (only when stderr was not empty) and NAME.cmd (the command run inside the
# namespace, its exit code and what the namespace held). Only `# Generated/Completed ... on <date>`
# lines in *_save-c.txt change between runs on the same system.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/fixture-lib.sh
. "$ROOT/scripts/fixture-lib.sh"
fixture_start gen-fixtures.sh fwtop-fx "$ROOT/test/fixtures"
SETUP=$OUT/setup

# capture NAME SUFFIX SETUP-NOTE COMMAND...: records one command's output as fixture NAME.txt.
capture() {
	local name=$1
	shift
	capture_file "$name.txt" "$@"
}

# load_ruleset SUFFIX BACKEND(nft|legacy): both families from setup/ruleset-v{4,6}.rules.
load_ruleset() {
	new_ns "$1"
	in_ns "$1" "iptables-$2-restore" --counters <"$SETUP/ruleset-v4.rules"
	in_ns "$1" "ip6tables-$2-restore" --counters <"$SETUP/ruleset-v6.rules"
}

# listings VARIANT BINARY SAVE SUFFIX NOTE: every listing of one variant in one namespace.
listings() {
	local variant=$1 bin=$2 save=$3 suffix=$4 note=$5 table
	for table in raw mangle nat filter; do
		capture "${variant}_${table}_vnxL" "$suffix" "$note" "$bin" -w -v -n -x -L -t "$table"
	done
	capture "${variant}_filter_vnxL_line-numbers" "$suffix" "$note" "$bin" -w -v -n -x -L -t filter --line-numbers
	capture "${variant}_filter_vnL_suffixes" "$suffix" "$note" "$bin" -w -v -n -L -t filter
	capture "${variant}_filter_nL_no-verbose" "$suffix" "$note" "$bin" -w -n -L -t filter
	capture "${variant}_save-c" "$suffix" "$note" "$save" -c
}

# A comment may contain newlines; iptables prints it raw, so it can forge a whole `Chain` line
# (reference §2). Rules are added with the CLI because the restore format is line based.
newline_comments() {
	local backend=$1 suffix=nl-$1
	local bin=iptables-$backend
	new_ns "$suffix"
	in_ns "$suffix" "$bin" -A INPUT -s 192.0.2.7 -c 5 300 -m comment \
		--comment $'line1\nChain FAKE (policy ACCEPT 0 packets, 0 bytes)\nline3' -j ACCEPT
	in_ns "$suffix" "$bin" -A INPUT -s 192.0.2.8 -c 6 360 -m comment \
		--comment $'a\n\nChain FAKE2 (1 references)\nb' -j DROP
	in_ns "$suffix" "$bin" -A INPUT -s 192.0.2.9 -c 7 420 -m comment --comment $'ends with a newline\n' -j ACCEPT
	in_ns "$suffix" "$bin" -A INPUT -s 192.0.2.10 -c 8 480 -j DROP
	in_ns "$suffix" "$bin" -N AFTER
	in_ns "$suffix" "$bin" -A OUTPUT -c 9 540 -j AFTER
	in_ns "$suffix" "$bin" -A AFTER -c 9 540 -j RETURN
	local note="$bin -A INPUT -s 192.0.2.7 -c 5 300 -m comment --comment \$'line1\\nChain FAKE (policy ACCEPT 0 packets, 0 bytes)\\nline3' -j ACCEPT;"
	note+=" -A INPUT -s 192.0.2.8 -c 6 360 -m comment --comment \$'a\\n\\nChain FAKE2 (1 references)\\nb' -j DROP;"
	note+=" -A INPUT -s 192.0.2.9 -c 7 420 -m comment --comment \$'ends with a newline\\n' -j ACCEPT;"
	note+=" -A INPUT -s 192.0.2.10 -c 8 480 -j DROP; -N AFTER; -A OUTPUT -c 9 540 -j AFTER; -A AFTER -c 9 540 -j RETURN"
	capture "${backend}_filter_vnxL_comment-with-newline" "$suffix" "$note" "$bin" -w -v -n -x -L -t filter
	capture "${backend}_filter_nL_comment-with-newline" "$suffix" "$note" "$bin" -w -n -L -t filter
	capture "${backend}_save-c_comment-with-newline" "$suffix" "$note" "$bin-save" -c
}

versions() {
	{
		iptables-nft --version
		iptables-legacy --version
		ip6tables-nft --version
		ip6tables-legacy --version
		system_versions
	} >"$OUT/versions.txt"
}

main() {
	find "$OUT" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.cmd' \) -delete
	versions
	local backend
	for backend in nft legacy; do
		local note="iptables-$backend-restore --counters <setup/ruleset-v4.rules; ip6tables-$backend-restore --counters <setup/ruleset-v6.rules"
		load_ruleset "$backend" "$backend"
		listings "$backend" "iptables-$backend" "iptables-$backend-save" "$backend" "$note"
		listings "ip6tables-$backend" "ip6tables-$backend" "ip6tables-$backend-save" "$backend" "$note"
		newline_comments "$backend"
	done
}

main "$@"
