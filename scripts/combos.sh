#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the Kconfig combinations of the LKMDEMO options: every module off,
# each option alone as m and then as y (with the options it depends on),
# and 8 random assignments. Each builds vmlinux and the modules; no boot.
#
#   combos.sh [--seed N] [--from BUILD_DIR] [--lanes N] [--results FILE]
#
# --seed N draws the random assignments (default: a number taken from the
# patched tree's commit, so one series always draws the same ones; the
# seed is printed). --from copies a built directory of the same kernel
# and architecture (build.sh's y) into a lane that has none yet, so that
# a lane starts with an incremental build. The assignments are shared
# among N lanes (default 2), each a build directory of its own, built at
# the same time: the links are single-threaded. An assignment that built
# before from the same tree, compiler and fragments is a cached pass.
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,17s/^# \{0,1\}//p' "$0"
}

seed=
from=
lanes=2
own_results=1
while [ $# -gt 0 ]; do
	case $1 in
	--seed) seed=${2:?--seed needs a number}; shift 2 ;;
	--from) from=${2:?--from needs a build directory}; shift 2 ;;
	--lanes) lanes=${2:?--lanes needs a number}; shift 2 ;;
	--results) LKMDEMO_RESULTS=${2:?--results needs a file}; own_results=0; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
case $seed in
''|*[!0-9]*) [ -z "$seed" ] || die "--seed takes a number, not '$seed'" ;;
esac
case $lanes in
[1-9]) ;;
*) die "--lanes takes 1 to 9, not '$lanes'" ;;
esac
if [ "$own_results" = 1 ]; then
	LKMDEMO_RESULTS=$LKMDEMO_LOGS/combos-results.txt
	: >"$LKMDEMO_RESULTS"
fi

tree=$(patched_tree)
mapfile -t arch_frags < <(arch_fragments "$tree")
declare -A ktype kdeps
tristates=()
gates=()
while read -r sym type deps; do
	ktype[$sym]=$type
	kdeps[$sym]=$deps
	if [ "$type" = tristate ]; then tristates+=("$sym"); else gates+=("$sym"); fi
done < <(lkmdemo_symbols "$tree")
[ "${#tristates[@]}" -gt 0 ] || die "no LKMDEMO tristate in $tree"

# with_deps SYM VALUE: SYM=VALUE and, so that Kconfig allows it, the same
# for each LKMDEMO tristate it depends on, transitively.
with_deps() {
	local d
	echo "$1=$2"
	[ "${kdeps[$1]}" = - ] && return 0
	for d in ${kdeps[$1]//,/ }; do
		[ "${ktype[$d]:-}" = tristate ] && with_deps "$d" "$2"
	done
	return 0
}

# combo_fragment SYM=VALUE...: every gate on, the named tristates set,
# every other one off.
combo_fragment() {
	local -A val=()
	local a s
	for a in "$@"; do val[${a%=*}]=${a#*=}; done
	for s in "${gates[@]}"; do echo "CONFIG_$s=y"; done
	for s in "${tristates[@]}"; do
		case ${val[$s]:-n} in
		n) echo "# CONFIG_$s is not set" ;;
		*) echo "CONFIG_$s=${val[$s]}" ;;
		esac
	done
}

# The modules alone before the built-in ones: while no option is y,
# vmlinux stays as it is and is not linked again.
assignments=("")
for v in m y; do
	for s in "${tristates[@]}"; do
		assignments+=("$(with_deps "$s" "$v" | sort -u | tr '\n' ' ')")
	done
done
# Random ones, valid by construction: an option is never above the
# options it depends on (n < m < y).
head=$(git -C "$tree" rev-parse HEAD)
[ -n "$seed" ] || seed=$((16#${head:0:4} % 32768))
log "Kconfig combinations: 8 random ones from seed $seed (again: --seed $seed)"
RANDOM=$seed
for i in 1 2 3 4 5 6 7 8; do
	vals=()
	declare -A drawn=()
	for s in "${tristates[@]}"; do
		r=$((RANDOM % 3))
		if [ "${kdeps[$s]}" != - ]; then
			for d in ${kdeps[$s]//,/ }; do
				[ "${ktype[$d]:-}" = tristate ] || continue
				[ "${drawn[$d]:-0}" -lt "$r" ] && r=${drawn[$d]:-0}
			done
		fi
		drawn[$s]=$r
		case $r in
		1) vals+=("$s=m") ;;
		2) vals+=("$s=y") ;;
		esac
	done
	unset drawn
	assignments+=("${vals[*]} ")
done
nc=${#assignments[@]}

# What makes a build the same as one that passed: the tree (but its
# documentation and selftests), the compiler, the arch fragment and this
# script.
stamps=$LKMDEMO_CACHE/combos-clean
mkdir -p "$stamps"
inputs=$( { tree_key "$tree" code; "$(cross_prefix)gcc" --version
	    cat "${arch_frags[@]}" "$0" "$LKMDEMO_SCRIPTS/lib.sh"; } | sha1sum | cut -c1-12)

# lane_dir N: the build directory of lane N.
lane_dir() {
	echo "$(build_dir combos)-$1"
}

# build_one I DIR: configure and build assignment I in DIR: the lane's
# base configuration (tinyconfig and the arch fragment, as build.sh
# begins; made again when the tree changes), its LKMDEMO fragment merged,
# olddefconfig. A lane never built first gets a copy of --from.
build_one() {
	local i=$1 dir=$2 parts
	read -r -a parts <<<"${assignments[$i]}"
	# Called before "||", where set -e does not act: each step fails it.
	[ -z "$from" ] || seed_build_dir "$from" "$dir" || return
	mkdir -p "$dir" || return
	combo_fragment "${parts[@]}" >"$dir/lkmdemo.config" || return
	configure_on_base "$tree" "$dir" "$(git -C "$tree" rev-parse HEAD)" \
		"$dir/lkmdemo.config" || return
	kmake "$tree" "$dir" vmlinux modules
}

# lane N: build the assignments N-1, N-1+lanes, ... in lane N's directory.
lane() {
	local n=$1 dir i desc clog key t0 rc
	dir=$(lane_dir "$n")
	for ((i = n - 1; i < nc; i += lanes)); do
		desc="Kconfig $((i + 1))/$nc: ${assignments[$i]:-every module off}"
		desc=${desc% }
		[ "$i" -ge $((nc - 8)) ] && desc="$desc (random, seed $seed)"
		key=$inputs-$(echo "${assignments[$i]}" | sha1sum | cut -c1-12)
		if [ "$LKMDEMO_FRESH" != 1 ] && [ -f "$stamps/$key" ]; then
			pass "$desc builds and links (cached: built $(cat "$stamps/$key"))"
			continue
		fi
		clog=$LKMDEMO_LOGS/combo-$((i + 1)).log
		t0=$(date +%s)
		rc=0
		build_one "$i" "$dir" >"$clog" 2>&1 || rc=$?
		log "$desc: $([ "$rc" = 0 ] && echo built || echo FAILED) in $(($(date +%s) - t0))s (lane $n)"
		[ "$rc" = 0 ] && date -u +%Y-%m-%dT%H:%MZ >"$stamps/$key"
		result "$rc" "$desc builds and links" "log: $clog"
	done
}

start=$(date +%s)
pids=()
for n in $(seq 1 "$lanes"); do
	lane "$n" &
	pids+=($!)
done
rc=0
for p in "${pids[@]}"; do
	wait "$p" || rc=1
done
log "Kconfig combinations: $nc in $(($(date +%s) - start))s, $lanes lanes"
# Alone, it fails when a combination failed; for test.sh (--results),
# when it stopped (the failures are in the results).
[ "$own_results" = 0 ] || { summarize "$LKMDEMO_RESULTS" || rc=1; }
exit "$rc"
