#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_deferred: a timer_list, an hrtimer and two delayed works, each
# stopped while its period is 0, the default. Nothing runs by default; a
# job given a period at load or by a write runs again and again and
# stops when its period goes back to 0; a new period is taken at the
# next run; a period out of range is refused with EINVAL, at load and at
# run time, and changes nothing; loads and unloads in a loop at the
# shortest periods leave nothing running (a job that ran after its
# module was gone would oops, and the harness reads the log). Built in,
# the values come from /proc/cmdline: none, GOOD or BAD are checked, any
# other values skip that check.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

mod=lkmdemo_deferred
GOOD="timer_ms=50 hrtimer_us=20000 work_ms=50"
BAD="timer_ms=10001 hrtimer_us=999 work_ms=abc"

params=/sys/module/$mod/parameters
counts=/sys/kernel/$mod
jobs="timer hrtimer work system_work"

# The helpers below read files with the shell's own read, not cat: under
# emulation each process costs tens of milliseconds, and these checks
# read hundreds of values.

# count JOB: set $n to how many times JOB ran so far.
count() {
	read -r n <"$counts/$1"
}

# snap: note every job's count, for ran.
snap() {
	for j in $jobs; do
		count "$j"
		eval "before_$j=$n"
	done
}

# ran JOB: set $d to how many times JOB ran since snap.
ran() {
	count "$1"
	before=0
	eval "before=\$before_$1"
	d=$((n - before))
}

# runs WHEN: each job ran in the half second since snap. The periods
# here are 50 ms or less: a busy host may delay runs, not stop them.
runs() {
	for j in $jobs; do
		ran "$j"
		check "$1: $j runs again" test "$d" -gt 0
	done
}

# rests WHEN: no job ran since snap. A write of 0 waits for a run in
# progress, so no run may come after it.
rests() {
	for j in $jobs; do
		ran "$j"
		check "$1: $j does not run (it ran $d times)" test "$d" -eq 0
	done
}

# param_is NAME VALUE: the parameter's file holds VALUE.
# shellcheck disable=SC2317 # called through check
param_is() {
	read -r v <"$params/$1"
	[ "$v" = "$2" ]
}

# refused NAME VALUE: writing VALUE to the parameter NAME fails.
# shellcheck disable=SC2317 # called through check
refused() {
	! { echo "$2" >"$params/$1"; } 2>/dev/null
}

# set_param NAME VALUE: write VALUE to the parameter NAME.
# shellcheck disable=SC2317 # called through check
set_param() {
	echo "$2" >"$params/$1"
}

# modes FILE...: the permission bits of each FILE, in octal, on one line.
modes() {
	stat -c %a "$@" | tr '\n' ' ' | sed 's/ $//'
}

# runtime_checks: each job started, changed and stopped by writes; the
# same built in and as a module. Each period is set back as found.
runtime_checks() {
	expect_eq "the periods are 0644 in sysfs, the counts 0444" \
		"644 644 644 444 444 444 444" \
		"$(modes "$params/timer_ms" "$params/hrtimer_us" "$params/work_ms" \
			"$counts/timer" "$counts/hrtimer" "$counts/work" \
			"$counts/system_work")"
	for p in timer_ms hrtimer_us work_ms; do
		read -r old <"$params/$p"
		at_exit "[ ! -e $params/$p ] || echo $old >$params/$p"
		check "echo 0 >$p" set_param "$p" 0
	done
	snap
	sleep 0.3
	rests "every period 0"

	check "echo 10 >timer_ms" set_param timer_ms 10
	check "timer_ms reads 10" param_is timer_ms 10
	check "echo 2000 >hrtimer_us" set_param hrtimer_us 2000
	check "echo 10 >work_ms" set_param work_ms 10
	snap
	sleep 0.5
	runs "started by a write"

	# One run may still come at 10 ms; after it, none for 10 s.
	check "echo 10000 >timer_ms" set_param timer_ms 10000
	sleep 0.05
	snap
	sleep 0.5
	ran timer
	check "at 10000 ms the timer ran at most once in 0.5 s (it ran $d)" \
		test "$d" -le 1

	mark
	for bad in 10001 abc -1 "5 6" ""; do
		check "echo '$bad' >timer_ms is refused" refused timer_ms "$bad"
		check "after '$bad', timer_ms is still 10000" param_is timer_ms 10000
	done
	for bad in 999 10000001; do
		check "echo $bad >hrtimer_us is refused" refused hrtimer_us $bad
		check "after $bad, hrtimer_us is still 2000" param_is hrtimer_us 2000
	done
	check "echo 10001 >work_ms is refused" refused work_ms 10001
	log=$(log_since_mark)
	for said in "timer_ms: '10001'" "timer_ms: 'abc'" "timer_ms: '-1'" \
		    "timer_ms: '5 6'" "timer_ms: ''" "hrtimer_us: '999'" \
		    "hrtimer_us: '10000001'" "work_ms: '10001'"; do
		case $said in
		hrtimer_us*) range="1000 to 10000000" ;;
		*) range="1 to 10000" ;;
		esac
		line="$mod: $said is neither 0 nor a number from $range"
		case $log in
		*"$line"*) ok "the log says: $line" ;;
		*) not_ok "the log says: $line" ;;
		esac
	done
	check "after 10001, work_ms is still 10" param_is work_ms 10

	for p in timer_ms hrtimer_us work_ms; do
		check "echo 0 >$p again, to stop it" set_param $p 0
	done
	snap
	sleep 0.3
	rests "stopped by a write"
}

require_root
if ! is_available $mod; then
	echo "1..0 # SKIP $mod is neither built in nor loadable"
	exit "$ksft_skip"
fi

if is_builtin $mod; then
	given=$(given_values $mod)
	case $given in
	"")
		want="0 0 0"
		;;
	"$GOOD")
		want="50 20000 50"
		;;
	"$BAD")
		want="0 0 0"
		for p in "timer_ms: '10001' is neither 0 nor a number from 1 to 10000" \
			 "hrtimer_us: '999' is neither 0 nor a number from 1000 to 10000000" \
			 "work_ms: 'abc' is neither 0 nor a number from 1 to 10000"; do
			check "boot: the log says $p" klog_has "$mod: $p"
		done
		;;
	*)
		skip_given "built in: the periods from the command line" \
			$mod "$given"
		want=
		;;
	esac
	if [ -n "$want" ]; then
		# shellcheck disable=SC2086 # three words
		set -- $want
		check "built in: timer_ms is $1" param_is timer_ms "$1"
		check "built in: hrtimer_us is $2" param_is hrtimer_us "$2"
		check "built in: work_ms is $3" param_is work_ms "$3"
		check "built in: init said the periods at boot" \
			klog_has "$mod: timer_ms=$1 hrtimer_us=$2 work_ms=$3 (0: stopped)"
		snap
		if [ "$1" = 0 ]; then
			for j in $jobs; do
				count "$j"
				check "built in, every period 0: $j never ran" \
					test "$n" -eq 0
			done
		else
			for j in $jobs; do
				count "$j"
				check "built in: $j has run since boot" \
					test "$n" -gt 0
			done
			sleep 0.5
			runs "built in"
		fi
	fi
	runtime_checks
	finish
fi

[ -d /sys/module/$mod ] && rmmod $mod
mark
phase "no period"
check "modprobe $mod" modprobe $mod
check "init said every period is 0" \
	log_has "$mod: timer_ms=0 hrtimer_us=0 work_ms=0 (0: stopped)"
for j in $jobs; do
	count "$j"
	check "$j never ran" test "$n" -eq 0
done
check "rmmod $mod" rmmod $mod
phase

mark
check "modprobe $mod timer_ms=10 hrtimer_us=2000 work_ms=10" \
	modprobe $mod timer_ms=10 hrtimer_us=2000 work_ms=10
check "init said the periods" \
	log_has "$mod: timer_ms=10 hrtimer_us=2000 work_ms=10 (0: stopped)"
snap
sleep 0.5
runs "started at load"
runtime_checks
mark
check "rmmod $mod" rmmod $mod
n='[0-9][0-9]*'
check "exit said how often each job ran" \
	log_has "$mod: stopped after $n timer, $n hrtimer, $n work and $n system work runs"
check "after rmmod, $counts is gone" test ! -e $counts

for bad in "timer_ms=10001" "hrtimer_us=999" "hrtimer_us=10000001" \
	    "work_ms=abc" "work_ms=-1"; do
	refused_load $mod "$bad" \
		"$mod: ${bad%%=*}: '${bad#*=}' is neither 0 nor a number from"
done

# Loads and unloads at the shortest periods, so that every job is
# running or armed when the unload stops it. The debug kernel
# (kmemleak's file is there) does 100 rounds, others 20, in load_rounds:
# one process for them all, not a modprobe and an rmmod for each.
rounds=20
[ ! -e /sys/kernel/debug/kmemleak ] || rounds=100
# A failed round may leave the module loaded: unloaded at exit, so
# that the next test does not find it.
at_exit "rmmod $mod 2>/dev/null"
failed=$(i=0
	while [ $i -lt $rounds ]; do
		i=$((i + 1))
		echo "load timer_ms=1 hrtimer_us=1000 work_ms=1"
		echo unload
	done | load_rounds $mod)
check "$rounds rounds of load and unload, shortest periods${failed:+: $failed}" \
	test -z "$failed"
check "after them, $counts is gone" test ! -e $counts
finish
