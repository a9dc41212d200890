#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_kthread: "threads" kernel threads, lkmdemo_kt/0 and on, that
# run once init returns and sleep until a write to
# /sys/kernel/lkmdemo_kthread/wake wakes them. Each write is handled once
# by each thread: "handled" grows by exactly the number of threads. The
# threads sleep in TASK_IDLE (state I); rmmod stops every one of them;
# a thread count out of range is refused with EINVAL and no thread is
# left behind. Built in, the count comes from /proc/cmdline: none, GOOD
# or BAD are checked, any other value skips that check.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

mod=lkmdemo_kthread
GOOD="threads=3"
BAD="threads=9"

dir=/sys/kernel/$mod
name=lkmdemo_kt

# scan: the module's threads as they are now: $names, their names, and
# $states, the state letter of each (the field after the name in
# /proc/PID/stat), each letter once. It runs no other program: under
# emulation a process per entry of /proc would cost seconds.
scan() {
	names=
	states=
	for d in /proc/[0-9]*; do
		IFS= read -r c 2>/dev/null <"$d/comm" || continue
		case $c in
		"$name"/*) ;;
		*) continue ;;
		esac
		IFS= read -r st 2>/dev/null <"$d/stat" || continue
		st=${st##*) }
		st=${st%% *}
		names="$names $c"
		case "$states " in
		*" $st "*) ;;
		*) states="$states $st" ;;
		esac
	done
	names=${names# }
	states=${states# }
}

# has_threads N: the scan found N threads, $name/0 to $name/N-1.
# shellcheck disable=SC2317 # called through check
has_threads() {
	want=$1
	# shellcheck disable=SC2086 # one word per thread
	set -- $names
	[ $# -eq "$want" ] || return 1
	i=0
	while [ "$i" -lt "$want" ]; do
		case " $names " in
		*" $name/$i "*) ;;
		*) return 1 ;;
		esac
		i=$((i + 1))
	done
}

# ps_names: every process's name, as ps prints it; procps' ps wants -A
# for all, busybox's lists all and knows no -A.
ps_names() {
	ps -A -o comm= 2>/dev/null || ps -o comm 2>/dev/null
}

handled() {
	read -r now <"$dir/handled"
	echo "$now"
}

# reaches N: "handled" is N within five seconds.
# shellcheck disable=SC2317 # called through check
reaches() {
	i=0
	read -r now <"$dir/handled"
	while [ "$now" -lt "$1" ] && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
		read -r now <"$dir/handled"
	done
	[ "$now" -eq "$1" ]
}

# threads_checks N: N threads, named, asleep, each handling each wake-up
# once; the same built in and as a module.
threads_checks() {
	n=$1
	scan
	check "$n threads, named $name/0 to $name/$((n - 1)) (found: $names)" \
		has_threads "$n"
	expect_eq "every thread sleeps in TASK_IDLE (state I)" I "$states"
	if command -v ps >/dev/null 2>&1; then
		expect_eq "ps lists the $n threads" "$n" \
			"$(ps_names | grep -c "^$name/")"
	fi
	expect_eq "wake is 0200, handled 0444" "200 444" \
		"$(stat -c %a "$dir/wake" "$dir/handled" | tr '\n' ' ' | sed 's/ $//')"
	read -r h <"$dir/handled"
	for w in 1 2 3; do
		check "echo >wake ($w)" sh -c "echo >$dir/wake"
	done
	check "three wake-ups, $n threads: handled grows by $((3 * n)) within 5 s" \
		reaches $((h + 3 * n))
	sleep 0.2
	expect_eq "and by no more" $((h + 3 * n)) "$(handled)"
	scan
	expect_eq "back asleep, every thread in state I" I "$states"
	check "reading wake is refused" sh -c "! cat $dir/wake 2>/dev/null"
	check "writing handled is refused" sh -c "! echo 1 >$dir/handled 2>/dev/null"
}

require_root
if ! is_available $mod; then
	echo "1..0 # SKIP $mod is neither built in nor loadable"
	exit "$ksft_skip"
fi

if is_builtin $mod; then
	given=$(given_values $mod)
	case $given in
	"") want=2 ;;
	"$GOOD") want=3 ;;
	"$BAD")
		want=2
		check "boot: the log says threads=9 was refused" \
			klog_has "$mod: threads: '9' is not a number from 1 to 8"
		;;
	*)
		skip_given "built in: the thread count from the command line" \
			$mod "$given"
		want=$(cat /sys/module/$mod/parameters/threads)
		;;
	esac
	expect_eq "built in: the parameter threads is $want" "$want" \
		"$(cat /sys/module/$mod/parameters/threads)"
	check "built in: init said so at boot" \
		klog_has "$mod: $want threads started, each asleep until woken"
	threads_checks "$want"
	finish
fi

[ -d /sys/module/$mod ] && rmmod $mod
mark
check "modprobe $mod" modprobe $mod
check "init said 2 threads started" \
	log_has "$mod: 2 threads started, each asleep until woken"
expect_eq "handled is 0 at load" 0 "$(handled)"
threads_checks 2
mark
check "rmmod $mod, its threads asleep" rmmod $mod
check "exit said 2 threads stopped after 6 wake-ups" \
	log_has "$mod: 2 threads stopped after 6 wake-ups handled"
scan
expect_eq "after rmmod, no thread is left" "" "$names"
check "after rmmod, $dir is gone" test ! -e $dir

phase "threads=8"
check "modprobe $mod threads=8" modprobe $mod threads=8
threads_checks 8
check "rmmod $mod" rmmod $mod
scan
expect_eq "after rmmod, no thread is left" "" "$names"
phase

for bad in 0 9 abc -1; do
	refused_load $mod "threads=$bad" \
		"$mod: threads: '$bad' is not a number from 1 to 8" || continue
	scan
	expect_eq "threads=$bad: no thread" "" "$names"
done

# Loads and unloads, a wake-up sent before each rmmod, so that threads
# may be running when kthread_stop() comes. Two threads a round: under
# KASAN and emulation each new thread costs, and eight were tested
# above. The debug kernel (kmemleak's file is there) does 100 rounds,
# others 20, in one load_rounds process.
rounds=20
[ ! -e /sys/kernel/debug/kmemleak ] || rounds=100
# A failed round may leave the module loaded: unloaded at exit, so
# that the next test does not find it.
at_exit "rmmod $mod 2>/dev/null"
failed=$(i=0
	while [ $i -lt $rounds ]; do
		i=$((i + 1))
		echo load
		echo "write $dir/wake 1"
		echo unload
	done | load_rounds $mod)
check "$rounds rounds of load, wake and unload, 2 threads${failed:+: $failed}" \
	test -z "$failed"
scan
expect_eq "after them, no thread is left" "" "$names"
finish
