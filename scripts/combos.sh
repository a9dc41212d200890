#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the Kconfig combinations of the LKMDEMO options: every module off,
# every option m, every option y, each option alone as m and then as y
# (with the options it depends on), and 8 random assignments. Each
# builds vmlinux and the modules; no boot.
#
#   combos.sh [--seed N] [--from BUILD_DIR] [--lanes N] [--results FILE]
#
# An option alone is first read off the build with every option at the
# same value: when the lkmdemo Makefile is plain (each module one
# obj-$(CONFIG_X) line and one list of objects, nothing conditional),
# none of its objects depends on another LKMDEMO option (kbuild's record
# of the CONFIG_ symbols each object reads, its .cmd file), as a module
# it needs no lkmdemo module outside the assignment (modinfo's depends,
# which modpost fills) or, built in, none of its undefined symbols is
# defined by an lkmdemo object outside it, and its configuration is the
# same but the LKMDEMO lines, then the assignment compiles to the same
# objects and resolves its symbols as that build did: it is configured
# and not built again. Otherwise, or when a check cannot run, it is
# built.
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
	sed -n '4,31s/^# \{0,1\}//p' "$0"
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

# The assignments, by index: every module off, every option m, every
# option y, each option alone as m, each alone as y, and the random
# ones. family[I] is the value of an option alone (m or y), of which the
# assignment of every option at that value (all[m], all[y]) is read.
assignments=("")
declare -A all family
for v in m y; do
	all[$v]=${#assignments[@]}
	assignments+=("$(for s in "${tristates[@]}"; do echo "$s=$v"; done | tr '\n' ' ')")
done
for v in m y; do
	for s in "${tristates[@]}"; do
		family[${#assignments[@]}]=$v
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

# configure_one I DIR: configure assignment I in DIR: the base
# configuration (tinyconfig and the arch fragment, as build.sh begins;
# lib.sh's configure_on_base), its LKMDEMO fragment merged, syncconfig.
configure_one() {
	local i=$1 dir=$2 parts
	read -r -a parts <<<"${assignments[$i]}"
	# Called before "||", where set -e does not act: each step fails it.
	mkdir -p "$dir" || return
	combo_fragment "${parts[@]}" >"$dir/lkmdemo.config" || return
	configure_on_base "$tree" "$dir" "$(git -C "$tree" rev-parse lkmdemo-base)" \
		"$dir/lkmdemo.config"
}

# build_one I DIR: configure and build assignment I in DIR. A lane never
# built first gets a copy of --from.
build_one() {
	[ -z "$from" ] || seed_build_dir "$from" "$2" || return
	configure_one "$1" "$2" || return
	kmake "$tree" "$2" vmlinux modules
}

# The lkmdemo Makefile: which module each option makes (mod_of), and the
# objects of each module (objs_of). Read only when every line is one of
# "obj-$(CONFIG_X) += NAME.o" and "NAME-y := OBJECTS" (or +=), on one
# line; anything else (a flag, a condition, an object list that depends
# on an option, a subdirectory) may make a build differ in a way the
# .cmd files do not show, and every option alone is then built.
lkdir=drivers/misc/lkmdemo
declare -A mod_of objs_of
readable=1
while read -r kind a b; do
	case $kind in
	mod) mod_of[$a]=$b ;;
	obj) objs_of[$a]="${objs_of[$a]:-}$lkdir/$b " ;;
	other) readable=0 ;;
	esac
done < <(awk '
	/^[ \t]*(#|$)/ { next }
	/\\$/ { print "other"; next }
	/^obj-\$\(CONFIG_[A-Z0-9_]+\)[ \t]*\+=[ \t]*[A-Za-z0-9_]+\.o[ \t]*$/ {
		s = $1; sub(/^obj-\$\(CONFIG_/, "", s); sub(/\)$/, "", s)
		m = $3; sub(/\.o$/, "", m); print "mod", s, m
		next
	}
	/^[A-Za-z0-9_]+-y[ \t]*[:+]?=/ && $1 != "obj-y" && $0 !~ /CONFIG_|\$\(/ {
		n = $1; sub(/-y$/, "", n)
		for (i = 3; i <= NF; i++) print "obj", n, $i
		next
	}
	{ print "other" }' "$tree/$lkdir/Makefile")
for s in "${tristates[@]}"; do
	[ -n "${mod_of[$s]:-}" ] && [ -n "${objs_of[${mod_of[$s]}]:-}" ] || readable=0
done

# unread I DIR: why assignment I (an option alone, with what it depends
# on) cannot be read off DIR, the build with every option at its value;
# nothing when it can. Its objects in DIR are the ones it would compile
# (none reads an LKMDEMO option outside the assignment), and they resolve
# against nothing outside it: as modules, modpost found them no lkmdemo
# module outside it (modinfo's depends); built in, no undefined symbol
# of theirs is defined by the object of another lkmdemo module.
unread() {
	local i=$1 dir=$2 v=${family[$1]} a m o cmd dep d deps und sym owner
	local -A in_syms=() in_mods=()
	[ "$readable" = 1 ] ||
		{ echo "the lkmdemo Makefile has lines this script does not read"; return; }
	for a in ${assignments[$i]}; do
		in_syms[${a%=*}]=1
		in_mods[${mod_of[${a%=*}]}]=1
	done
	for m in "${!in_mods[@]}"; do
		for o in ${objs_of[$m]}; do
			cmd=$dir/$(dirname "$o")/.$(basename "$o").cmd
			[ -f "$cmd" ] || { echo "no $cmd"; return; }
			while read -r dep; do
				dep=${dep#include/config/}
				[ -n "${in_syms[$dep]:-}" ] ||
					{ echo "$o reads CONFIG_$dep"; return; }
			done < <(grep -o 'include/config/LKMDEMO_[A-Z0-9_]*' "$cmd" | sort -u)
		done
		if [ "$v" = m ]; then
			[ -f "$dir/$lkdir/$m.ko" ] || { echo "no $lkdir/$m.ko"; return; }
			deps=$(modinfo -F depends "$dir/$lkdir/$m.ko") ||
				{ echo "modinfo failed on $m.ko"; return; }
			for d in ${deps//,/ }; do
				case $d in
				lkmdemo_*) [ -n "${in_mods[$d]:-}" ] ||
					{ echo "$m.ko needs $d"; return; } ;;
				esac
			done
		else
			[ -f "$dir/every-y.defined" ] ||
				{ echo "no table of the symbols every option y defines"; return; }
			# shellcheck disable=SC2086 # object paths
			und=$(cd "$dir" && "$(cross_prefix)nm" -u ${objs_of[$m]}) ||
				{ echo "nm failed on the objects of $m"; return; }
			while read -r sym owner; do
				[ -n "${in_mods[$owner]:-}" ] ||
					{ echo "$m uses $sym, which $owner defines"; return; }
			done < <(LC_ALL=C join <(awk 'NF == 2 { print $2 }' <<<"$und" | LC_ALL=C sort -u) \
					       "$dir/every-y.defined")
		fi
	done
}

# desc I: how assignment I is named in the results.
desc_of() {
	local d
	case $1 in
	0) d="every module off" ;;
	"${all[m]}") d="every option m" ;;
	"${all[y]}") d="every option y" ;;
	*) d=${assignments[$1]% } ;;
	esac
	[ "$1" -lt $((nc - 8)) ] || d="$d (random, seed $seed)"
	echo "Kconfig $(($1 + 1))/$nc: $d"
}

# stamped I: the key of assignment I, when it passed before.
key_of() {
	echo "$inputs-$(echo "${assignments[$1]}" | sha1sum | cut -c1-12)"
}
stamped() {
	[ "$LKMDEMO_FRESH" != 1 ] && [ -f "$stamps/$(key_of "$1")" ]
}

# build I N: build assignment I in lane N's directory, a result line.
build() {
	local i=$1 n=$2 desc clog t0 rc=0
	desc=$(desc_of "$i")
	if stamped "$i"; then
		pass "$desc builds and links (cached: $(cat "$stamps/$(key_of "$i")"))"
		return 0
	fi
	clog=$LKMDEMO_LOGS/combo-$((i + 1)).log
	t0=$(date +%s)
	build_one "$i" "$(lane_dir "$n")" >"$clog" 2>&1 || rc=$?
	log "$desc: $([ "$rc" = 0 ] && echo built || echo FAILED) in $(($(date +%s) - t0))s (lane $n)"
	[ "$rc" = 0 ] && echo "built $(date -u +%Y-%m-%dT%H:%MZ)" >"$stamps/$(key_of "$i")"
	result "$rc" "$desc builds and links" "log: $clog"
	return "$rc"
}

# defined_by DIR: "SYMBOL MODULE" for each global symbol that the objects
# of an lkmdemo module in DIR define, sorted; fails when nm does.
defined_by() {
	local m out
	for m in "${!objs_of[@]}"; do
		# shellcheck disable=SC2086 # object paths
		out=$(cd "$1" && "$(cross_prefix)nm" --defined-only -g ${objs_of[$m]}) || return
		awk -v m="$m" 'NF == 3 { print $3, m }' <<<"$out"
	done | LC_ALL=C sort -u
}

# non_lkmdemo CONFIG: the lines of CONFIG that do not name an LKMDEMO
# option.
non_lkmdemo() {
	grep -v -e '^CONFIG_LKMDEMO' -e '^# CONFIG_LKMDEMO' "$1"
}

# run_family V N: in lane N, every option V, then each option alone as V:
# read off that build where it can be (and configured), built where it
# cannot, or when every option V did not build.
run_family() {
	local v=$1 n=$2 dir i todo=() built=1 why desc clog key was
	dir=$(lane_dir "$n")
	# Built again unless every assignment of the family passed before:
	# the others are read off it.
	if stamped "${all[$v]}"; then
		for i in "${!family[@]}"; do
			[ "${family[$i]}" != "$v" ] || stamped "$i" || { rm -f "$stamps/$(key_of "${all[$v]}")"; break; }
		done
	fi
	build "${all[$v]}" "$n" || built=0
	# Its configuration but the LKMDEMO lines: an assignment read off it
	# must configure to the same (an option that selects a symbol would
	# not, alone).
	[ "$built" = 0 ] || non_lkmdemo "$dir/.config" >"$dir/every-$v.config" || built=0
	# Built in, which module defines each symbol, read once for all.
	rm -f "$dir/every-y.defined"
	if [ "$built" = 1 ] && [ "$v" = y ]; then
		defined_by "$dir" >"$dir/every-y.defined" || rm -f "$dir/every-y.defined"
	fi
	for i in $(printf '%s\n' "${!family[@]}" | sort -n); do
		[ "${family[$i]}" = "$v" ] || continue
		desc=$(desc_of "$i")
		if stamped "$i"; then
			was=$(cat "$stamps/$(key_of "$i")")
			case $was in
			"read off"*) pass "$desc: read off every option $v (cached: passed ${was##* })" ;;
			*) pass "$desc builds and links (cached: $was)" ;;
			esac
			continue
		fi
		why="every option $v did not build"
		clog=$LKMDEMO_LOGS/combo-$((i + 1)).log
		if [ "$built" = 1 ]; then
			# A check that could not run reads nothing off.
			why=$(unread "$i" "$dir") || why=${why:-"the checks failed to run"}
		fi
		if [ -z "$why" ]; then
			if ! configure_one "$i" "$dir" >"$clog" 2>&1; then
				fail "$desc configures (read off every option $v)" "log: $clog"
				continue
			fi
			non_lkmdemo "$dir/.config" | cmp -s - "$dir/every-$v.config" ||
				why="its configuration differs from every option $v's outside the LKMDEMO options"
		fi
		if [ -n "$why" ]; then
			todo+=("$i")
			log "$desc: built, as it cannot be read off every option $v ($why)"
			continue
		fi
		key=$(key_of "$i")
		echo "read off every option $v $(date -u +%Y-%m-%dT%H:%MZ)" >"$stamps/$key"
		pass "$desc: read off every option $v (it configures to the same outside the LKMDEMO options; its objects and symbols are that build's)"
	done
	for i in "${todo[@]}"; do
		build "$i" "$n" || true
	done
}

# lane N: lane N's share: every module off and every option y in the
# first lane, every option m in the second (with their families), the
# random ones in turn, the first in the last lane.
lane() {
	local n=$1 i
	if [ "$n" = 1 ]; then
		build 0 "$n" || true
		run_family y "$n"
	fi
	if [ "$n" = "$((lanes > 1 ? 2 : 1))" ]; then
		run_family m "$n"
	fi
	for ((i = nc - 8; i < nc; i++)); do
		[ $(((i - nc + 8) % lanes + 1)) = $((lanes - n + 1)) ] || continue
		build "$i" "$n" || true
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
