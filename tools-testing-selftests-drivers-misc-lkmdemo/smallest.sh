#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_smallest_library (neither init nor exit) and lkmdemo_smallest_exit
# (an exit, no init): loading runs no code of either, both can be
# unloaded, the exit runs at rmmod, and the library is held while the
# exit module uses it. Built in, both are there and printed nothing.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

lib=lkmdemo_smallest_library
ex=lkmdemo_smallest_exit
exit_line="$ex: exit without init: INT_MAX + 1 = 2147483647 (saturated)"

# refcnt MODULE: the use count /proc/modules shows.
refcnt() {
	grep "^$1 " /proc/modules | cut -d' ' -f3
}

# not_permanent MODULE: /proc/modules does not mark MODULE [permanent].
# shellcheck disable=SC2317 # called through check
not_permanent() {
	! grep "^$1 " /proc/modules | grep -q permanent
}

# quiet_since_mark: neither module logged a line since the mark.
# shellcheck disable=SC2317 # called through check
quiet_since_mark() {
	! log_has lkmdemo_smallest
}

# quiet_at_boot MODULE: MODULE logged nothing.
# shellcheck disable=SC2317 # called through check
quiet_at_boot() {
	! klog | grep -q "$1:"
}

# refused_rmmod MODULE: rmmod MODULE fails.
# shellcheck disable=SC2317 # called through check
refused_rmmod() {
	! rmmod "$1" 2>/dev/null
}

# builtin_checks MODULE: built in, MODULE is there and ran nothing.
builtin_checks() {
	expect_eq "built in: $1 has its version in sysfs" 1.0 \
		"$(cat "/sys/module/$1/version" 2>/dev/null)"
	check "built in: $1 printed nothing" quiet_at_boot "$1"
}

# exit_module_checks: load and unload the exit module (the library is
# loaded or built in).
exit_module_checks() {
	mark
	check "modprobe $ex" modprobe $ex
	expect_eq "$ex is live at once" live \
		"$(cat /sys/module/$ex/initstate 2>/dev/null)"
	check "loading $ex ran no code (nothing in the log)" quiet_since_mark
	check "$ex is not permanent" not_permanent $ex
	mark
	check "rmmod $ex (an exit and no init)" rmmod $ex
	check "its exit ran" log_has "$exit_line"
	check "$ex is gone" test ! -e /sys/module/$ex
}

require_root
if ! is_available $lib || ! is_available $ex; then
	echo "1..0 # SKIP $lib or $ex is neither built in nor loadable"
	exit "$ksft_skip"
fi

if is_builtin $lib; then
	builtin_checks $lib
	if is_builtin $ex; then
		builtin_checks $ex
	else
		# A built-in library and a loadable user: Kconfig allows it.
		[ ! -d /sys/module/$ex ] || rmmod $ex
		exit_module_checks
	fi
	finish
fi

[ ! -d /sys/module/$ex ] || rmmod $ex
[ ! -d /sys/module/$lib ] || rmmod $lib
at_exit "rmmod $ex 2>/dev/null; rmmod $lib 2>/dev/null"

mark
check "modprobe $lib (neither init nor exit)" modprobe $lib
expect_eq "$lib is live at once" live \
	"$(cat /sys/module/$lib/initstate 2>/dev/null)"
check "loading $lib ran no code (nothing in the log)" quiet_since_mark
check "$lib: its exported symbol is in /proc/kallsyms" \
	grep -q "lkmdemo_smallest_add.*\[$lib\]" /proc/kallsyms
check "$lib is not permanent" not_permanent $lib

exit_module_checks
mark
check "modprobe $ex loads $lib first (modules.dep)" \
	sh -c "rmmod $lib && modprobe $ex && test -d /sys/module/$lib"
expect_eq "$lib is used by $ex (refcnt 1)" 1 "$(refcnt $lib)"
check "rmmod $lib is refused while $ex uses it" refused_rmmod $lib
check "rmmod $ex" rmmod $ex
expect_eq "$lib is used by nothing (refcnt 0)" 0 "$(refcnt $lib)"
mark
check "rmmod $lib" rmmod $lib
check "$lib is gone" test ! -e /sys/module/$lib
check "unloading $lib ran no code (nothing in the log)" quiet_since_mark
finish
