#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Init unwinds cleanly when an allocation fails. For each module below,
# every slab allocation that its init makes is made to fail once in turn
# (failslab_load N: the N-th, with /proc/thread-self/fail-nth), until a
# load makes fewer than N. failslab's stack trace filter keeps the count
# to allocations with module code on the stack, so that the module
# loader's own allocations are left alone. A load that fails must leave
# nothing behind: no module, no directory in /sys/kernel, no device, no
# class, no thread, no slab cache. A load that goes on (an init may
# tolerate a failure, such as a uevent's) must unload. KASAN, lockdep
# and, at the end of the boot, kmemleak check every round as well. It
# needs CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS and
# CONFIG_FAULT_INJECTION_STACKTRACE_FILTER: the debug kernel.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

load=$(dirname "$0")/failslab_load
fs=/sys/kernel/debug/failslab

# left_behind MODULE: set left to what a failed load of MODULE left
# (its files, threads and slab caches, each followed by a space), or to
# nothing. It runs after every load, and in the debug kernel under
# emulation each program started costs a third of a second: shell
# built-ins but for one grep.
left_behind() {
	left=
	for p in "/sys/module/$1" "/sys/kernel/$1" "/sys/class/$1" \
		 "/dev/$1" "/dev/${1}0"; do
		[ ! -e "$p" ] || left="$left$p "
	done
	for p in /proc/[0-9]*/comm; do
		comm=
		{ read -r comm <"$p"; } 2>/dev/null
		case $comm in
		lkmdemo*)
			p=${p#/proc/}
			left="${left}thread ${p%/comm} ($comm) "
			;;
		esac
	done
	# one program: read, a byte a call, would take longer on its 20 KB
	# shellcheck disable=SC2013 # a cache name is a word
	for cache in $(grep -o "^$1[a-z_]*" /proc/slabinfo 2>/dev/null); do
		left="${left}cache $cache "
	done
}

# fail_each MODULE PARAMS: the rounds for one module.
fail_each() {
	mod=$1
	what="$mod: each allocation of its init fails once"
	if is_builtin "$mod"; then
		skip_test "$what" "$mod is built in"
		return
	fi
	if ! modprobe -n "$mod" 2>/dev/null; then
		skip_test "$what" "$mod is neither built in nor loadable"
		return
	fi
	ko=$(modinfo -F filename "$mod")
	[ ! -d "/sys/module/$mod" ] || rmmod "$mod"
	left_behind "$mod"
	if [ -n "$left" ]; then
		not_ok "$what: before the first load there is already $left"
		return
	fi
	n=0
	failed=0
	went_on=0
	total=
	problem=
	while [ -z "$total" ] && [ -z "$problem" ]; do
		n=$((n + 1))
		if [ "$n" -gt 500 ]; then
			problem="still an allocation to fail at the 500th"
			break
		fi
		out=$("$load" "$n" "$mod" "$ko" "$2")
		case $out in
		"not-injected unloaded")
			total=$((n - 1))
			;;
		"injected unloaded")
			went_on=$((went_on + 1))
			;;
		*" loaded "*)
			problem="allocation $n: the load went on, and the unload failed: $out"
			;;
		"injected ENOMEM")
			failed=$((failed + 1))
			left_behind "$mod"
			[ -z "$left" ] || problem="allocation $n: ENOMEM, and left $left"
			;;
		*)
			# An init whose allocation fails returns ENOMEM.
			problem="allocation $n: failslab_load said '$out'"
			;;
		esac
	done
	if [ -n "$problem" ]; then
		not_ok "$what: $problem"
		[ ! -d "/sys/module/$mod" ] || rmmod "$mod" 2>/dev/null
		return
	fi
	ok "$what: $total allocations, $failed loads failed with ENOMEM" \
	   "and left nothing, $went_on went on and unloaded"
	check "$mod: its init allocates, and a failure makes the load fail" \
		test "$failed" -gt 0
}

# set_knob FILE VALUE: write a failslab setting, and put the old value
# back at exit.
set_knob() {
	read -r old <"$fs/$1"
	at_exit "echo $old >$fs/$1"
	echo "$2" >"$fs/$1"
}

require_root
if [ ! -d $fs ]; then
	echo "1..0 # SKIP no $fs (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)"
	exit "$ksft_skip"
fi
if [ ! -e $fs/require-start ]; then
	echo "1..0 # SKIP no $fs/require-start (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER)"
	exit "$ksft_skip"
fi
if ! can_load_modules; then
	echo "1..0 # SKIP the kernel does not load modules (CONFIG_MODULES=n)"
	exit "$ksft_skip"
fi
# The kernel's own text ends at _etext; modules are loaded above it
# (x86_64: the module area sits above the kernel image).
etext=$(sed -n 's/^\([0-9a-f]*\) [Tt] _etext$/\1/p' /proc/kallsyms)
case $etext in
''|*[!0-9a-f]*|0000000000000000)
	echo "1..0 # SKIP no address of _etext in /proc/kallsyms"
	exit "$ksft_skip"
	;;
esac
if [ "$(uname -m)" != x86_64 ]; then
	echo "1..0 # SKIP modules are above _etext on x86_64 alone, as far as this test knows"
	exit "$ksft_skip"
fi

# fail-nth counts only the allocations that pass failslab's filters:
# those that may sleep (GFP_KERNEL, all of an init's) are among them,
# the failures are quiet, and only a call with an address above the
# kernel's text on its stack (a module's, here the init's) counts.
set_knob ignore-gfp-wait N
set_knob verbose 0
set_knob stacktrace-depth 32
set_knob require-start "0x$etext"
set_knob require-end 0xffffffffffffffff
# But not what the slab allocator does under sysfs_slab_add(): the files
# of a new cache in /sys/kernel/slab, a hundred allocations and more,
# whose failure it tolerates ("Unable to add cache ... to sysfs").
# From its address to the next symbol's (kallsyms is in address order).
range=$(awk '$3 == "sysfs_slab_add" { a = $1; next }
	     a { print a, $1; exit }' /proc/kallsyms)
if [ -n "$range" ]; then
	set_knob reject-start "0x${range% *}"
	set_knob reject-end "0x${range#* }"
fi

# failslab_slab.sh is this script for lkmdemo_slab alone: its loads are
# the slowest (a cache destroyed waits for RCU), and a selftest has one
# time limit.
case ${0##*/} in
failslab_slab.sh)
	fail_each lkmdemo_slab ""
	;;
*)
	fail_each lkmdemo_deferred "timer_ms=1 hrtimer_us=1000 work_ms=1"
	fail_each lkmdemo_kthread "threads=8"
	fail_each lkmdemo_sync "threads=8"
	fail_each lkmdemo_static_key "enabled=1"
	# Two devices: the second one's failures undo the first one.
	fail_each lkmdemo_fifo "fifos=2"
	;;
esac
finish
