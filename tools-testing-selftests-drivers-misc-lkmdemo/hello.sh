#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_hello: init and exit run, and the metadata is what modinfo shows.
# Built in, its init line is in the boot log; as a module, the test loads
# and unloads it.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

mod=lkmdemo_hello
require_root
if ! is_available $mod; then
	echo "1..0 # SKIP $mod is neither built in nor loadable"
	exit $ksft_skip
fi

if is_builtin $mod; then
	check "built in: init ran at boot" \
		klog_has "$mod: hello, world (init, built into the kernel)"
	check "built in: /sys/module/$mod exists" test -d /sys/module/$mod
	expect_eq "built in: version in sysfs" "1.0" \
		"$(cat /sys/module/$mod/version 2>/dev/null)"
	finish
fi

[ -d /sys/module/$mod ] && rmmod $mod
mark
check "modprobe $mod" modprobe $mod
check "init line in the log" log_has "$mod: hello, world (init, loaded as a module)"
check "/sys/module/$mod exists" test -d /sys/module/$mod
expect_eq "initstate is live" live "$(cat /sys/module/$mod/initstate 2>/dev/null)"
expect_eq "modinfo license" GPL "$(modinfo -F license $mod)"
expect_eq "modinfo author" "The lkmdemo developers" "$(modinfo -F author $mod)"
expect_eq "modinfo description" "Hello world: the anatomy of a kernel module" \
	"$(modinfo -F description $mod)"
expect_eq "modinfo version" 1.0 "$(modinfo -F version $mod)"
mark
check "rmmod $mod" rmmod $mod
check "exit line in the log" log_has "$mod: goodbye, world (exit)"
check "/sys/module/$mod is gone" test ! -e /sys/module/$mod
finish
