#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_sync: a write of a mode to /sys/kernel/lkmdemo_sync/run runs a
# round, "threads" kernel threads of "loops" updates each, and the files
# beside it say what the round found. Under each lock, and with atomics,
# the count is exact and nothing went wrong; without a lock ("none") it
# may fall short, never exceed. Bad modes and out-of-range parameters
# are refused with EINVAL and change nothing. Built in, the parameters
# come from /proc/cmdline: none, GOOD or BAD are checked, any other
# value skips that check.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

mod=lkmdemo_sync
GOOD="threads=3 loops=2000"
BAD="threads=9 loops=0"

dir=/sys/kernel/$mod
par=/sys/module/$mod/parameters
modes="mutex spinlock rwsem atomic refcount rcu"

param() {
	read -r v <"$par/$1"
	echo "$v"
}

# run_round MODE: one round; its figures in r_mode, r_exp, r_cnt, r_err
# and r_con.
run_round() {
	echo "$1" >"$dir/run" || return 1
	read -r r_mode <"$dir/mode"
	read -r r_exp <"$dir/expected"
	read -r r_cnt <"$dir/counted"
	read -r r_err <"$dir/errors"
	read -r r_con <"$dir/contended"
}

# has TEXT PATTERN: does TEXT match the grep pattern?
# shellcheck disable=SC2317 # called through check
has() {
	printf '%s\n' "$1" | grep -q -- "$2"
}

# rounds_checks T L: a round of each mode, T threads of L updates each,
# a phase named so.
rounds_checks() {
	t=$1
	l=$2
	phase "$t threads x $l loops"
	expect_eq "threads is $t, loops $l" "$t $l" "$(param threads) $(param loops)"
	mark
	con=
	for m in $modes; do
		want=$((t * l))
		[ "$m" != rcu ] || want=$l
		if ! run_round "$m"; then
			not_ok "$m: echo $m >run"
			continue
		fi
		expect_eq "$m: mode, expected, counted and errors" \
			"$m $want $want 0" "$r_mode $r_exp $r_cnt $r_err"
		con="$con $m=$r_con"
	done
	echo "# found the lock taken:$con ($(grep -c '^processor' /proc/cpuinfo) CPUs)"
	check "none: echo none >run" run_round none
	check "none: counted ($r_cnt) is at most expected ($r_exp)" \
		test "$r_cnt" -le "$r_exp"
	echo "# none: $((r_exp - r_cnt)) of $r_exp updates lost"
	log=$(log_since_mark)
	for m in $modes; do
		want=$((t * l))
		[ "$m" != rcu ] || want=$l
		check "$m: the log says ok" has "$log" \
			"$mod: $m: $t threads x $l loops: expected $want, counted $want, ok\$"
	done
	line="$mod: none: $t threads x $l loops: expected $r_exp, counted $r_cnt"
	if [ "$r_cnt" = "$r_exp" ]; then
		line="$line, ok"
	else
		line="$line: $((r_exp - r_cnt)) updates lost without a lock"
	fi
	check "none: the log says ok or how many were lost" has "$log" "$line\$"
	phase
}

# refused PARAM VALUE: writing VALUE to PARAM fails with EINVAL, says
# why in the log, and leaves the value as it was.
refused() {
	before=$(param "$1")
	mark
	if echo "$2" 2>"$ksft_tmp/err" >"$par/$1"; then
		not_ok "$1=$2 is refused"
		return
	fi
	check "$1=$2 fails with EINVAL" grep -q "Invalid argument" "$ksft_tmp/err"
	expect_eq "$1=$2: $1 is still $before" "$before" "$(param "$1")"
	case $1 in
	threads) range="2 to 8" ;;
	*) range="1 to 100000" ;;
	esac
	check "$1=$2: the log says $1 takes $range" \
		log_has "$mod: $1: '$2' is not a number from $range"
}

# bad_input_checks: what the files and parameters refuse.
bad_input_checks() {
	read -r m0 <"$dir/mode"
	read -r c0 <"$dir/counted"
	mark
	if echo mutexes 2>"$ksft_tmp/err" >"$dir/run"; then
		not_ok "run refuses 'mutexes'"
	else
		check "run refuses 'mutexes' with EINVAL" \
			grep -q "Invalid argument" "$ksft_tmp/err"
		check "the log names the modes" log_has \
			"$mod: run: 'mutexes' is not a mode: mutex, spinlock, rwsem, atomic, refcount, rcu or none"
		expect_eq "and the last round's figures are kept" "$m0 $c0" \
			"$(values "$dir/mode" "$dir/counted")"
	fi
	perms=$(cd "$dir" && stat -c %a run mode expected counted errors contended)
	expect_eq "run is 0200, the figures 0444" "200 444 444 444 444 444" \
		"$(echo "$perms" | tr '\n' ' ' | sed 's/ $//')"
	check "reading run is refused" sh -c "! cat $dir/run 2>/dev/null"
	check "writing counted is refused" sh -c "exec 2>/dev/null; ! echo 0 >$dir/counted"
	for v in 1 9 abc; do
		refused threads $v
	done
	for v in 0 100001 -1; do
		refused loops $v
	done
}

require_root
if ! is_available $mod; then
	echo "1..0 # SKIP $mod is neither built in nor loadable"
	exit "$ksft_skip"
fi

if is_builtin $mod; then
	given=$(given_values $mod)
	case $given in
	"") t=4 l=10000 ;;
	"$GOOD") t=3 l=2000 ;;
	"$BAD")
		t=4 l=10000
		check "boot: the log says threads=9 was refused" \
			klog_has "$mod: threads: '9' is not a number from 2 to 8"
		check "boot: the log says loops=0 was refused" \
			klog_has "$mod: loops: '0' is not a number from 1 to 100000"
		;;
	*)
		skip_given "built in: the parameters from the command line" \
			$mod "$given"
		t=$(param threads)
		l=$(param loops)
		;;
	esac
	check "built in: init said so at boot" \
		klog_has "$mod: ready: $t threads x $l loops a round"
	rounds_checks "$t" "$l"
	bad_input_checks
	# Written at run time, the parameters count from the next round.
	at_exit "echo $t >$par/threads; echo $l >$par/loops"
	echo 2 >$par/threads
	echo 500 >$par/loops
	rounds_checks 2 500
	finish
fi

[ -d /sys/module/$mod ] && rmmod $mod
mark
check "modprobe $mod" modprobe $mod
check "init said 4 threads x 10000 loops" \
	log_has "$mod: ready: 4 threads x 10000 loops a round"
expect_eq "no round yet: mode is empty, counted 0" " 0" \
	"$(values "$dir/mode" "$dir/counted")"
rounds_checks 4 10000
bad_input_checks
echo 8 >$par/threads
echo 1000 >$par/loops
rounds_checks 8 1000
check "rmmod $mod" rmmod $mod
check "after rmmod, $dir is gone" test ! -e $dir

check "modprobe $mod threads=2 loops=1" modprobe $mod threads=2 loops=1
rounds_checks 2 1
check "threads=2 loops=1: rmmod $mod" rmmod $mod

phase "modprobe"
for bad in "threads=1" "threads=9" "loops=0" "loops=100001" "loops=abc"; do
	refused_load $mod "$bad" "$mod: ${bad%%=*}: '${bad#*=}' is not a number from"
done
phase

# Loads and unloads; every tenth with an rcu round just before rmmod,
# which leaves kfree_rcu() frees pending as the module goes. The debug
# kernel (kmemleak's file is there) does 100, others 20, in one
# load_rounds process.
rounds=20
[ ! -e /sys/kernel/debug/kmemleak ] || rounds=100
# A failed round may leave the module loaded: unloaded at exit, so
# that the next test does not find it.
at_exit "rmmod $mod 2>/dev/null"
failed=$(i=0
	while [ $i -lt $rounds ]; do
		i=$((i + 1))
		echo "load threads=2 loops=100"
		[ $((i % 10)) -ne 0 ] || echo "write $dir/run rcu"
		echo unload
	done | load_rounds $mod)
check "$rounds rounds of load and unload, one in ten with a round${failed:+: $failed}" \
	test -z "$failed"
finish
