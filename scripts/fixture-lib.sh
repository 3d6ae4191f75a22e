# shellcheck shell=bash
# Shared by scripts/gen-fixtures.sh and scripts/gen-nft-fixtures.sh (sourced, not run): throw-away
# network namespaces for capturing real iptables/nft output, and the capture itself.
#
# fixture_start SCRIPT NS-LABEL OUT: checks for root, then every namespace is NS-LABEL-<pid>-SUFFIX
# and is deleted on exit, also on error or ^C; fixtures go to OUT. Every command runs through
# `ip netns exec`, so the machine's own firewall is never read or changed.

fixture_start() {
	SCRIPT=$1
	NS_LABEL=$2
	OUT=$3
	if ((EUID != 0)); then
		echo "$SCRIPT: must run as root (it creates network namespaces)" >&2
		exit 1
	fi
	PREFIX=$NS_LABEL-$$
	CREATED=()
	trap fixture_cleanup EXIT
	trap 'exit 130' INT TERM
}

fixture_cleanup() {
	local ns
	for ns in "${CREATED[@]}"; do
		ip netns delete "$ns" 2>/dev/null || echo "$SCRIPT: could not delete netns $ns" >&2
	done
}

# new_ns SUFFIX: creates $PREFIX-SUFFIX with loopback up.
new_ns() {
	local ns=$PREFIX-$1
	ip netns add "$ns"
	CREATED+=("$ns")
	ip netns exec "$ns" ip link set lo up
}

# in_ns SUFFIX COMMAND...: runs COMMAND inside $PREFIX-SUFFIX.
in_ns() {
	local ns=$PREFIX-$1
	shift
	ip netns exec "$ns" "$@"
}

# capture_file FILE SUFFIX SETUP-NOTE COMMAND...: runs COMMAND in $PREFIX-SUFFIX and writes its
# stdout to OUT/FILE byte for byte, its stderr to OUT/NAME.stderr.txt (only when not empty) and
# OUT/NAME.cmd (the command, its exit code, what the namespace held); NAME is FILE less its ending.
capture_file() {
	local file=$1 suffix=$2 note=$3
	shift 3
	local name=${file%.*} rc=0
	in_ns "$suffix" "$@" >"$OUT/$file" 2>"$OUT/$name.stderr.txt" || rc=$?
	[[ -s $OUT/$name.stderr.txt ]] || rm -f "$OUT/$name.stderr.txt"
	{
		echo "$*"
		echo "# exit=$rc"
		echo "# netns: $NS_LABEL-<pid>-$suffix (throw-away, see scripts/$SCRIPT)"
		echo "# setup: $note"
	} >"$OUT/$name.cmd"
	printf '%-60s exit=%s\n' "$file" "$rc"
}

# The lines of versions.txt after the tools' own: kernel, distribution, when.
system_versions() {
	echo "kernel $(uname -r)"
	# shellcheck source=/dev/null
	[[ -r /etc/os-release ]] && (. /etc/os-release && echo "$PRETTY_NAME")
	echo "generated $(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
