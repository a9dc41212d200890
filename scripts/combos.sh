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
# An option alone, and a random assignment, is first read off the builds
# of every option y and every option m, each module it turns on off the
# build with every option at that module's value: when the lkmdemo
# Makefile is plain (each module one obj-$(CONFIG_X) line and one list
# of objects, nothing conditional), none of its objects reads an LKMDEMO
# option that the assignment sets to another value (kbuild's record of
# the CONFIG_ symbols each object reads, its .cmd file), as a module it
# needs no lkmdemo module that the assignment leaves out (modinfo's
# depends, which modpost fills) or, built in, none of its undefined
# symbols is defined by an lkmdemo object that the assignment does not
# build in, and its configuration is the same as those builds' but the
# LKMDEMO lines, then the assignment compiles to the same objects and
# resolves its symbols as those builds did: it is configured and not
# built again. Otherwise, or when a check cannot run, it is built.
#
# --seed N draws the random assignments (default: a number taken from the
# patched tree's commit, so one series always draws the same ones; the
# seed is printed). --from copies a built directory of the same kernel
# and architecture (build.sh's y) into a lane that has none yet, so that
# a lane starts with an incremental build. The builds are shared among N
# lanes (default 2), each a build directory of its own, built at the
# same time: the links are single-threaded. With one lane, the builds of
# every option y and m share it, and only what the later one holds is
# read off. An assignment that built before from the same tree, compiler
# and fragments is a cached pass.
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,35s/^# \{0,1\}//p' "$0"
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

# family_dir[V]: the build directory of every option V (y or m): the
# first lane's for y, the second's for m; with one lane, the same.
declare -A family_dir=([y]=$(lane_dir 1) [m]=$(lane_dir "$((lanes > 1 ? 2 : 1))"))

# unread I: why assignment I cannot be read off the builds of every
# option y and every option m; nothing when it can. Each module it turns
# on is read off the build of every option at the module's value: its
# objects there are the ones it would compile (each LKMDEMO option one
# of them reads has that value in I too), and they resolve against I
# alone: as modules, modpost found them no lkmdemo module that I leaves
# out (modinfo's depends); built in, no undefined symbol of theirs is
# defined by the object of an lkmdemo module that I does not build in.
# A build that is not in its directory (it failed, or another build
# replaced it) reads nothing off.
unread() {
	local i=$1 a m o v dir cmd dep d deps und sym owner
	local -A val=() mod_val=()
	[ "$readable" = 1 ] ||
		{ echo "the lkmdemo Makefile has lines this script does not read"; return; }
	for a in ${assignments[$i]}; do
		val[${a%=*}]=${a#*=}
		mod_val[${mod_of[${a%=*}]}]=${a#*=}
	done
	for m in "${!mod_val[@]}"; do
		v=${mod_val[$m]}
		dir=${family_dir[$v]}
		[ -f "$dir/every-$v.config" ] ||
			{ echo "the build of every option $v is not in $dir"; return; }
		for o in ${objs_of[$m]}; do
			cmd=$dir/$(dirname "$o")/.$(basename "$o").cmd
			[ -f "$cmd" ] || { echo "no $cmd"; return; }
			while read -r dep; do
				dep=${dep#include/config/}
				[ "${val[$dep]:-n}" = "$v" ] ||
					{ echo "$o reads CONFIG_$dep (${val[$dep]:-n} here, $v in that build)"; return; }
			done < <(grep -o 'include/config/LKMDEMO_[A-Z0-9_]*' "$cmd" | sort -u)
		done
		if [ "$v" = m ]; then
			[ -f "$dir/$lkdir/$m.ko" ] || { echo "no $lkdir/$m.ko"; return; }
			deps=$(modinfo -F depends "$dir/$lkdir/$m.ko") ||
				{ echo "modinfo failed on $m.ko"; return; }
			for d in ${deps//,/ }; do
				case $d in
				lkmdemo_*) [ -n "${mod_val[$d]:-}" ] ||
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
				[ "${mod_val[$owner]:-n}" = y ] ||
					{ echo "$m uses $sym, which $owner defines (${mod_val[$owner]:-n} here)"; return; }
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
# The build of every option y or m that the directory held is gone.
build() {
	local i=$1 n=$2 desc clog t0 rc=0 dir
	desc=$(desc_of "$i")
	if stamped "$i"; then
		pass "$desc builds and links (cached: $(cat "$stamps/$(key_of "$i")"))"
		return 0
	fi
	dir=$(lane_dir "$n")
	rm -f "$dir/every-y.config" "$dir/every-m.config" "$dir/every-y.defined"
	clog=$LKMDEMO_LOGS/combo-$((i + 1)).log
	t0=$(date +%s)
	build_one "$i" "$dir" >"$clog" 2>&1 || rc=$?
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

# values_of I: the values assignment I gives (y, m or both), one line
# each.
values_of() {
	local a
	for a in ${assignments[$1]}; do echo "${a#*=}"; done | sort -u
}

# read_off I DIR: assignment I read off the builds of every option y and
# m (unread), configured in DIR and compared with them: the same
# configuration but the LKMDEMO lines (an option that selects a symbol
# would not be); a result line. Fails, with no result, when it is to be
# built instead.
read_off() {
	local i=$1 dir=$2 desc clog why was v vals from
	desc=$(desc_of "$i")
	vals=$(values_of "$i")
	[ -n "$vals" ] || vals="m y"
	from=
	for v in $vals; do from="${from:+$from and }every option $v"; done
	if stamped "$i"; then
		was=$(cat "$stamps/$(key_of "$i")")
		case $was in
		"read off"*) pass "$desc: read off $from (cached: passed ${was##* })" ;;
		*) pass "$desc builds and links (cached: $was)" ;;
		esac
		return 0
	fi
	clog=$LKMDEMO_LOGS/combo-$((i + 1)).log
	# A check that could not run reads nothing off.
	why=$(unread "$i") || why=${why:-"the checks failed to run"}
	if [ -z "$why" ]; then
		if ! configure_one "$i" "$dir" >"$clog" 2>&1; then
			fail "$desc configures (read off $from)" "log: $clog"
			return 0
		fi
		for v in $vals; do
			non_lkmdemo "$dir/.config" | cmp -s - "${family_dir[$v]}/every-$v.config" ||
				{ why="its configuration differs from every option $v's outside the LKMDEMO options"; break; }
		done
	fi
	if [ -n "$why" ]; then
		log "$desc: built, as it cannot be read off $from ($why)"
		return 1
	fi
	echo "read off $from $(date -u +%Y-%m-%dT%H:%MZ)" >"$stamps/$(key_of "$i")"
	pass "$desc: read off $from (it configures to the same outside the LKMDEMO options; its objects and symbols are those builds')"
}

# run_family V N: in lane N, every option V, then each option alone as V
# read off it; the ones that cannot be are added to lane N's list of
# builds for later (todo-N), when nothing reads this build any more.
run_family() {
	local v=$1 n=$2 dir i fresh=0
	dir=$(lane_dir "$n")
	stamped "${all[$v]}" || fresh=1
	# Its configuration but the LKMDEMO lines, and built in, which
	# module defines each symbol: kept only beside a build of this run.
	if build "${all[$v]}" "$n" && [ "$fresh" = 1 ]; then
		non_lkmdemo "$dir/.config" >"$dir/every-$v.config" ||
			rm -f "$dir/every-$v.config"
		if [ "$v" = y ]; then
			defined_by "$dir" >"$dir/every-y.defined" || rm -f "$dir/every-y.defined"
		fi
	fi
	for i in $(printf '%s\n' "${!family[@]}" | sort -n); do
		[ "${family[$i]}" = "$v" ] || continue
		read_off "$i" "$dir" || echo "$i" >>"$todo-$n"
	done
}

# The builds of every option y and of every option m are made again
# unless every assignment read off them passed before: the options
# alone at that value and the random ones.
for v in y m; do
	stamped "${all[$v]}" || continue
	for ((i = 0; i < nc; i++)); do
		[ "${family[$i]:-}" = "$v" ] || [ "$i" -ge $((nc - 8)) ] || continue
		stamped "$i" || { rm -f "$stamps/$(key_of "${all[$v]}")"; break; }
	done
done

todo=$LKMDEMO_LOGS/combos-todo
rm -f "$todo"-*

# lane N: lane N's share of the builds: every module off and every
# option y with the options alone as y in the first lane, every option
# m with the options alone as m in the second; then, once both are done
# and the random ones have been read off them where they can be, each
# lane builds the N-th of what could not.
lane() {
	local n=$1
	if [ "$n" = 1 ]; then
		build 0 "$n" || true
		run_family y "$n"
	fi
	if [ "$n" = "$((lanes > 1 ? 2 : 1))" ]; then
		run_family m "$n"
	fi
}
lane_builds() {
	local n=$1 i
	[ -f "$todo-$n" ] || return 0
	while read -r i; do
		build "$i" "$n" || true
	done <"$todo-$n"
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
# The random ones, read off both builds where they can be (configured in
# the first lane's directory), now that no lane changes them; the ones
# that cannot be are shared among the lanes' builds.
k=0
for ((i = nc - 8; i < nc; i++)); do
	read_off "$i" "${family_dir[y]}" && continue
	echo "$i" >>"$todo-$((k % lanes + 1))"
	k=$((k + 1))
done
pids=()
for n in $(seq 1 "$lanes"); do
	lane_builds "$n" &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p" || rc=1
done
log "Kconfig combinations: $nc in $(($(date +%s) - start))s, $lanes lanes"
# Alone, it fails when a combination failed; for test.sh (--results),
# when it stopped (the failures are in the results).
[ "$own_results" = 0 ] || { summarize "$LKMDEMO_RESULTS" || rc=1; }
exit "$rc"
