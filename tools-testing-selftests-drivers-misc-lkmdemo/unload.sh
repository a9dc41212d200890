#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The modules that user space talks to, unloaded and loaded again in a
# loop while this script holds one of their files open. lkmdemo_chardev
# sets .owner, so an open file keeps the module: rmmod is refused until
# the file is closed. The files of lkmdemo_procfs, lkmdemo_sysfs and
# lkmdemo_debugfs do not hold their module: rmmod goes through, and a
# read of the file still open fails with the errno each doc page gives.
# What leaks or breaks on the way the debug kernel reports (KASAN,
# lockdep, kmemleak's scan after the tests).

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

rounds=${LKMDEMO_UNLOAD_ROUNDS:-5}

# read_error FD: what a read of one byte from FD says when it fails
# (strerror's words), or "read" when it succeeds.
read_error() {
	if err=$(dd bs=1 count=1 of=/dev/null 2>&1 <&"$1"); then
		echo read
	else
		printf '%s\n' "$err" | sed -n 's/.*: //p' | head -n 1
	fi
}

# rounds_held MODULE FILE: with FILE open, rmmod MODULE is refused and
# the file still reads; closed, rmmod goes through. Prints the first
# round that went otherwise and what it saw, or "N rounds" at the end.
# FILE gets a line first, so that the read has something to return (an
# empty device would block).
rounds_held() {
	i=1
	while [ "$i" -le "$rounds" ]; do
		modprobe "$1" || { echo "round $i: modprobe $1 failed"; return; }
		[ -r "$2" ] || { echo "round $i: no $2 after modprobe $1"; return; }
		echo "round $i" >"$2"
		exec 3<"$2"
		if rmmod "$1" 2>/dev/null; then
			exec 3<&-
			echo "round $i: rmmod $1 went through with $2 open"
			return
		fi
		[ -d "/sys/module/$1" ] || echo "round $i: $1 is gone"
		[ "$(read_error 3)" = read ] ||
			echo "round $i: $2 no longer reads: $(read_error 3)"
		exec 3<&-
		rmmod "$1" || { echo "round $i: rmmod $1 refused after the close"; return; }
		i=$((i + 1))
	done
	echo "$rounds rounds"
}

# rounds_released MODULE FILE ERROR: with FILE open, rmmod MODULE goes
# through, and a read from the open file then fails with ERROR. Prints
# as rounds_held does.
rounds_released() {
	i=1
	while [ "$i" -le "$rounds" ]; do
		modprobe "$1" || { echo "round $i: modprobe $1 failed"; return; }
		[ -r "$2" ] || { echo "round $i: no $2 after modprobe $1"; return; }
		exec 3<"$2"
		if ! rmmod "$1"; then
			exec 3<&-
			echo "round $i: rmmod $1 refused with $2 open"
			return
		fi
		got=$(read_error 3)
		exec 3<&-
		if [ "$got" != "$3" ]; then
			echo "round $i: a read of the open $2 said '$got', not '$3'"
			return
		fi
		i=$((i + 1))
	done
	echo "$rounds rounds"
}

# unload_checks MODULE FILE held|ERROR: the rounds of one module, one
# test; skipped when the module is built in or absent.
unload_checks() {
	what="$rounds rounds: rmmod $1 with $2 open"
	if is_builtin "$1"; then
		skip_test "$what" "$1 is built in"
		return
	fi
	if ! is_available "$1"; then
		skip_test "$what" "$1 is neither built in nor loadable"
		return
	fi
	[ ! -d "/sys/module/$1" ] || rmmod "$1" || {
		not_ok "$what" && echo "# $1 is in use before the test"
		return
	}
	at_exit "rmmod $1 2>/dev/null"
	mark
	if [ "$3" = held ]; then
		out=$(rounds_held "$1" "$2")
		what="$what is refused, and goes through once it is closed"
	else
		out=$(rounds_released "$1" "$2" "$3")
		what="$what goes through; a read of the open file says '$3'"
	fi
	# Anything but the last line of a loop that ran to its end (a
	# subshell that a failed redirection ended says nothing) fails.
	if [ "$out" = "$rounds rounds" ]; then
		ok "$what"
	else
		not_ok "$what"
		echo "# ${out:-the rounds stopped without a word}"
	fi
	check "$1: the kernel logged no warning or bug in the rounds" no_report
}

require_root
if ! can_load_modules; then
	echo "1..0 # SKIP the kernel does not load modules (CONFIG_MODULES=n)"
	exit "$ksft_skip"
fi

unload_checks lkmdemo_chardev /dev/lkmdemo_chardev held
unload_checks lkmdemo_procfs /proc/lkmdemo/table "Input/output error"
unload_checks lkmdemo_sysfs /sys/kernel/lkmdemo_sysfs/value "No such device"
unload_checks lkmdemo_debugfs /sys/kernel/debug/lkmdemo_debugfs/threshold \
	"Input/output error"
finish
