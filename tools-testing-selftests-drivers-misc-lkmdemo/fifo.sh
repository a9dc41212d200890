#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_fifo loaded and unloaded in a loop with bytes left in both its
# devices, which its exit frees with them. fifo_test checks what the
# devices do; this checks that the module goes cleanly however full they
# are. What leaks or breaks on the way the debug kernel reports (KASAN,
# lockdep, kmemleak's scan after the tests).

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

mod=lkmdemo_fifo

require_root
if ! can_load_modules; then
	echo "1..0 # SKIP the kernel does not load modules (CONFIG_MODULES=n)"
	exit "$ksft_skip"
fi
if is_builtin $mod; then
	echo "1..0 # SKIP $mod is built in"
	exit "$ksft_skip"
fi
if ! is_available $mod; then
	echo "1..0 # SKIP $mod is neither built in nor loadable"
	exit "$ksft_skip"
fi
if [ -d /sys/module/$mod ] && ! rmmod $mod; then
	not_ok "$mod is not in use before the test"
	finish
fi
at_exit "rmmod $mod 2>/dev/null"

# The debug kernel (kmemleak's file is there) does 100 rounds, others 20,
# in load_rounds: one process for them all, not a modprobe and an rmmod
# for each. The writes open each device for reading and writing, which
# does not wait for a reader.
rounds=20
[ ! -e /sys/kernel/debug/kmemleak ] || rounds=100
mark
failed=$(i=0
	while [ $i -lt $rounds ]; do
		i=$((i + 1))
		echo "load fifos=2"
		echo "write-rdwr /dev/${mod}0 round $i"
		echo "write-rdwr /dev/${mod}1 round $i"
		echo unload
	done | load_rounds $mod)
check "$rounds rounds of load, a write to each device and unload${failed:+: $failed}" \
	test -z "$failed"
check "after them, /dev/${mod}0 is gone" test ! -e /dev/${mod}0
check "the kernel logged no warning or bug in the rounds" no_report
finish
