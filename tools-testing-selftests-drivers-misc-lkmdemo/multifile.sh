#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_multifile: two source files, one module. Code from both files
# runs, the parameter of main.c reaches greet.c, and bad values of it are
# refused. Built in, the values come from /proc/cmdline: none, GOOD or BAD
# are checked, any other values skip that check.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

mod=lkmdemo_multifile
GOOD="repeat=3"
BAD="repeat=9"

# greetings: how many greet.c lines the log has since the mark (or at all).
greetings() {
	"$1" | grep -c "$mod: greet.c: hello"
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
		check "boot: the log names repeat (9 is out of range)" \
			klog_has "invalid for parameter .$mod.repeat'"
		;;
	*)
		skip_given "built in: what repeat on the command line did" \
			$mod "$given"
		finish
		;;
	esac
	check "built in: main.c ran at boot" klog_has "$mod: main.c: init, repeat=$want"
	expect_eq "built in: greet.c greeted repeat times" "$want" "$(greetings klog)"
	expect_eq "built in: repeat in sysfs" "$want" \
		"$(cat /sys/module/$mod/parameters/repeat)"
	finish
fi

[ -d /sys/module/$mod ] && rmmod $mod
mark
check "modprobe $mod repeat=3" modprobe $mod repeat=3
check "main.c ran" log_has "$mod: main.c: init, repeat=3"
expect_eq "greet.c greeted 3 times" 3 "$(greetings log_since_mark)"
expect_eq "repeat in sysfs" 3 "$(cat /sys/module/$mod/parameters/repeat)"
expect_eq "modinfo: one module file" "$mod.ko" \
	"$(basename "$(modinfo -F filename $mod)")"
check "no object of its own for either file" \
	test -z "$(find /lib/modules/"$(uname -r)" -name 'main.ko' -o -name 'greet.ko')"
mark
check "rmmod $mod" rmmod $mod
check "main.c's exit ran" log_has "$mod: main.c: exit"

for bad in 0 6 abc -1; do
	refused_load $mod "repeat=$bad" "invalid for parameter .repeat'"
done
finish
