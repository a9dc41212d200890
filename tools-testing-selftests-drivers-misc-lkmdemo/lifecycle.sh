#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_lifecycle: an init that fails at the step fail_at names, with
# the errno modprobe reports, a log line naming the step, every earlier
# step undone in reverse order and nothing left behind (sysfs, /dev,
# memory when the kernel has kmemleak). lkmdemo_lifecycle_permanent: no
# exit function, so rmmod is refused. Built in, the values come from
# /proc/cmdline: none, GOOD or BAD are checked, any other values skip
# that check.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

mod=lkmdemo_lifecycle
perm=lkmdemo_lifecycle_permanent
GOOD="fail_at=3"
BAD="fail_at=9"

# The step names, 1 to 4, and the errno each one fails with.
step_name() {
	case $1 in
	1) echo buffer ;;
	2) echo workqueue ;;
	3) echo kobject ;;
	4) echo "misc device" ;;
	esac
}
step_errno() {
	case $1 in
	4) echo "Device or resource busy" ;;
	*) echo "Cannot allocate memory" ;;
	esac
}

# What the four steps make that user space can see.
things="/sys/kernel/$mod /dev/$mod /sys/class/misc/$mod /sys/bus/workqueue/devices/$mod"

# nothing_left: none of the things exists.
# shellcheck disable=SC2317 # called through check
nothing_left() {
	for t in $things; do
		if [ -e "$t" ]; then
			echo "# left behind: $t"
			return 1
		fi
	done
}

# all_there: every one of the things exists.
# shellcheck disable=SC2317 # called through check
all_there() {
	for t in $things; do
		if [ ! -e "$t" ]; then
			echo "# missing: $t"
			return 1
		fi
	done
}

# undone LOG: the step numbers of the "undo step" lines, in log order.
undone() {
	"$1" | sed -n "s/.*$mod: undo step \\([0-9]\\).*/\\1/p" | tr -d '\n'
}

# want_undone N: the steps a failure at step N undoes: N-1 down to 1.
want_undone() {
	i=$(($1 - 1))
	out=
	while [ "$i" -ge 1 ]; do
		out="$out$i"
		i=$((i - 1))
	done
	echo "$out"
}

# module_checks: $mod as a module: loaded, unloaded, failing at each
# step, refusing bad values, leaking nothing.
module_checks() {
	# kmemleak, when the kernel has it: forget what it found before
	# the tests, so that what it finds after them is theirs.
	kmemleak=/sys/kernel/debug/kmemleak
	[ -w $kmemleak ] && echo clear >$kmemleak

	[ -d /sys/module/$mod ] && rmmod $mod
	check "before: nothing of $mod is there" nothing_left
	mark
	check "modprobe $mod" modprobe $mod
	check "init ran all steps" log_has "$mod: init: all 4 steps done"
	check "everything init made is there" all_there
	expect_eq "read /dev/$mod" "$mod: all 4 init steps done" "$(cat /dev/$mod)"
	mark
	check "rmmod $mod" rmmod $mod
	expect_eq "exit undid steps 4 to 1, in that order" 4321 "$(undone log_since_mark)"
	check "after rmmod, nothing is left" nothing_left

	for n in 1 2 3 4; do
		name=$(step_name $n)
		mark
		if modprobe $mod fail_at=$n 2>"$ksft_tmp/modprobe.err"; then
			not_ok "fail_at=$n: modprobe fails"
			rmmod $mod
			continue
		fi
		check "fail_at=$n: modprobe reports $(step_errno $n)" \
			grep -q "$(step_errno $n)" "$ksft_tmp/modprobe.err"
		check "fail_at=$n: the log names step $n ($name)" \
			log_has "$mod: init step $n ($name) failed with -[0-9]* (fail_at)"
		expect_eq "fail_at=$n: steps before it undone, last first" \
			"$(want_undone $n)" "$(undone log_since_mark)"
		check "fail_at=$n: the module is not loaded" test ! -e /sys/module/$mod
		check "fail_at=$n: nothing left behind" nothing_left
	done

	for bad in 5 -1 abc; do
		refused_load $mod "fail_at=$bad" "invalid for parameter .fail_at'"
	done

	if [ -w $kmemleak ]; then
		# kmemleak reports only objects older than five seconds,
		# and only those whose contents did not change since the
		# scan before: the first scan of an object only takes its
		# checksum. So scan twice.
		sleep 6
		echo scan >$kmemleak
		echo scan >$kmemleak
		leaks=$(cat $kmemleak)
		check "kmemleak: no leak after the load and failure loop" test -z "$leaks"
		echo "$leaks" | head -n 20 | sed 's/^/# /'
	else
		skip_test "kmemleak: no leak after the load and failure loop" \
			"no $kmemleak in this kernel"
	fi
}

require_root
if ! is_available $mod || ! is_available $perm; then
	echo "1..0 # SKIP $mod or $perm is neither built in nor loadable"
	exit "$ksft_skip"
fi

if is_builtin $mod; then
	given=$(given_values $mod)
	case $given in
	""|"$BAD")
		if [ "$given" = "$BAD" ]; then
			check "boot: the log names fail_at (9 is out of range)" \
				klog_has "invalid for parameter .$mod.fail_at'"
		fi
		check "built in: init ran all steps at boot" \
			klog_has "$mod: init: all 4 steps done"
		check "built in: everything init made is there" all_there
		expect_eq "built in: read /dev/$mod" "$mod: all 4 init steps done" \
			"$(cat /dev/$mod)"
		expect_eq "built in: fail_at in sysfs" 0 \
			"$(cat /sys/module/$mod/parameters/fail_at)"
		;;
	"$GOOD")
		check "built in: the log names the failed step" \
			klog_has "$mod: init step 3 (kobject) failed with -12 (fail_at)"
		expect_eq "built in: steps 2 and 1 undone, in that order" 21 \
			"$(undone klog)"
		check "built in: nothing left behind" nothing_left
		expect_eq "built in: fail_at in sysfs" 3 \
			"$(cat /sys/module/$mod/parameters/fail_at)"
		;;
	*)
		skip_given "built in: what fail_at on the command line did" \
			$mod "$given"
		;;
	esac
else
	module_checks
fi

# The permanent module: built in, its init ran at boot; as a module, it
# stays until the next boot.
if is_builtin $perm; then
	check "built in: $perm's init ran at boot" klog_has "$perm: loaded"
	finish
fi
if [ ! -d /sys/module/$perm ]; then
	mark
	check "modprobe $perm" modprobe $perm
	check "$perm's init ran" log_has "$perm: loaded"
fi
check "/proc/modules marks $perm [permanent]" \
	grep -q "^$perm .*\\[permanent\\]" /proc/modules
if has_busybox; then
	check "busybox lsmod shows [permanent]" \
		sh -c "busybox lsmod | grep -q '^$perm .*\\[permanent\\]'"
else
	skip_test "busybox lsmod shows [permanent]" "no busybox here"
fi
if is_kmod lsmod; then
	check "kmod's lsmod lists $perm" sh -c "lsmod | grep -q '^$perm '"
else
	skip_test "kmod's lsmod lists $perm" "lsmod here is not kmod's"
fi
if rmmod $perm 2>"$ksft_tmp/rmmod.err"; then
	not_ok "rmmod $perm is refused"
else
	check "rmmod $perm fails with EBUSY" \
		grep -q "Device or resource busy" "$ksft_tmp/rmmod.err"
fi
check "$perm is still loaded" test -d /sys/module/$perm
finish
