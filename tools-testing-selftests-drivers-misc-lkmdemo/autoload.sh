#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_autoload and lkmdemo_autoload_target: request_module() of an
# alias that depmod maps to the target. As modules: loading the first
# loads the second through the kernel's module helper; with the helper
# disabled or failing, the first reports it and loads anyway. Built in:
# the target is there already and the first says so.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

mod=lkmdemo_autoload
target=lkmdemo_autoload_target
alias=lkmdemo-greeter
helper=/proc/sys/kernel/modprobe
not_needed="$alias is built into the kernel: request_module() is not needed"

require_root
if ! is_available $mod || ! is_available $target; then
	echo "1..0 # SKIP $mod or $target is neither built in nor loadable"
	exit "$ksft_skip"
fi

if is_builtin $target; then
	check "built in: $target's init ran" \
		klog_has "$target: loaded, answering to the alias $alias"
	if is_builtin $mod; then
		check "built in: $mod says request_module() is not needed" \
			klog_has "$mod: $not_needed"
	else
		mark
		check "modprobe $mod" modprobe $mod
		check "$mod says request_module() is not needed" \
			log_has "$mod: $not_needed"
		rmmod $mod
	fi
	finish
fi

for m in $mod $target; do
	[ -d "/sys/module/$m" ] && rmmod "$m"
done
check "neither module is loaded" \
	test ! -d /sys/module/$mod -a ! -d /sys/module/$target
expect_eq "modinfo: $target has the alias $alias" $alias \
	"$(modinfo -F alias $target)"
if is_kmod modprobe; then
	expect_eq "modprobe resolves $alias to $target" $target "$(modprobe -R $alias)"
else
	skip_test "modprobe resolves $alias to $target" \
		"modprobe here is not kmod's (-R is kmod's option)"
fi
expect_eq "modinfo: $mod does not depend on $target" "" \
	"$(modinfo -F depends $mod)"
saved=$(cat $helper)
at_exit "echo '$saved' >$helper"

# What the kernel's helper does with an alias is kmod's modprobe's
# behaviour; another helper (busybox's, a script) may do otherwise.
if is_kmod "$saved"; then
	mark
	check "modprobe $mod" modprobe $mod
	check "the kernel's request_module() loaded $target" test -d /sys/module/$target
	check "$target's init ran" log_has "$target: loaded, answering to the alias $alias"
	check "$mod reports that it got it" \
		log_has "$mod: request_module(\"$alias\") returned 0: modprobe loaded it"
	expect_eq "$target is not held by $mod (refcnt)" 0 \
		"$(cat /sys/module/$target/refcnt)"
	check "rmmod $mod" rmmod $mod
	check "rmmod $target" rmmod $target
else
	skip_test "the kernel's request_module() loads $target on demand" \
		"the module helper in $helper (${saved:-empty}) is not kmod's modprobe"
fi

# helper_fails VALUE ERROR WHY: with VALUE in the helper's sysctl, $mod
# loads, reports ERROR and the target stays unloaded.
helper_fails() {
	echo "$1" >$helper
	mark
	rc=0
	modprobe $mod || rc=$?
	echo "$saved" >$helper
	expect_eq "$3: modprobe $mod succeeds anyway" 0 "$rc"
	check "$3: $mod reports request_module() returned $2" log_has \
		"$mod: request_module(\"$alias\") returned $2: not loaded, going on without it"
	check "$3: $target was not loaded" test ! -d /sys/module/$target
	[ -d /sys/module/$mod ] && rmmod $mod
}
helper_fails "" -2 "helper disabled (empty $helper)"
helper_fails /bin/false 256 "helper fails (/bin/false, exit status 1)"
expect_eq "the helper's path is restored" "$saved" "$(cat $helper)"
finish
