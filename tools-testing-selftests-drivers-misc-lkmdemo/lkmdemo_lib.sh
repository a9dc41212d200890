#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What the lkmdemo tests share: TAP output, finding out whether a module is
# built in, and reading the kernel log from a mark on. POSIX sh, so that
# busybox runs it.

ksft_skip=4
nr_tests=0
nr_failed=0

# What a test writes goes to a directory of this run's own, and what it
# changes in the system it restores with at_exit: both happen when the
# script ends, also when it is interrupted or killed by its timeout.
ksft_tmp=$(mktemp -d "${TMPDIR:-/tmp}/lkmdemo-selftest.XXXXXX") || exit 1
ksft_undo=

# at_exit COMMAND: run COMMAND (a shell command line) when the script
# ends; the latest first.
at_exit() {
	ksft_undo="$1
$ksft_undo"
}

ksft_cleanup() {
	printf '%s\n' "$ksft_undo" | while IFS= read -r cmd; do
		[ -z "$cmd" ] || eval "$cmd" || true
	done
	rm -rf "$ksft_tmp"
}
trap ksft_cleanup EXIT
trap 'exit 130' INT TERM

# phase [TEXT]: the tests after it are named "TEXT: ..." until the next
# phase (none, without TEXT). A check made again in another round, with
# other values, gets a name of its own so: no two tests of one selftest
# have the same name, and the host fails a boot where two do.
ksft_phase=
phase() {
	ksft_phase=${1:+$1: }
}

ok() {
	nr_tests=$((nr_tests + 1))
	echo "ok $nr_tests $ksft_phase$*"
}

not_ok() {
	nr_tests=$((nr_tests + 1))
	nr_failed=$((nr_failed + 1))
	echo "not ok $nr_tests $ksft_phase$*"
}

# skip_test DESCRIPTION REASON: a test that cannot run here.
skip_test() {
	nr_tests=$((nr_tests + 1))
	echo "ok $nr_tests $ksft_phase$1 # SKIP $2"
}

# check DESCRIPTION COMMAND...: one test that passes when COMMAND does.
check() {
	desc=$1
	shift
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc"
	fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "# expected '$2', got '$3'"
	fi
}

finish() {
	echo "1..$nr_tests"
	[ "$nr_failed" -eq 0 ]
	exit $?
}

require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "1..0 # SKIP must be run as root"
		exit $ksft_skip
	fi
}

# is_builtin MODULE: built in? A loaded module has an initstate in sysfs,
# a built-in one does not. A built-in module without parameters or
# version has no sysfs entry at all, so modules.builtin has the last word.
is_builtin() {
	if [ -d "/sys/module/$1" ]; then
		[ ! -e "/sys/module/$1/initstate" ]
		return
	fi
	grep -q "/$1\.ko\$" "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null
}

# can_load_modules: does the kernel load modules (CONFIG_MODULES=y)?
can_load_modules() {
	[ -e /proc/modules ]
}

# is_available MODULE: built in or loadable?
is_available() {
	is_builtin "$1" || { can_load_modules && modprobe -n "$1" 2>/dev/null; }
}

# is_kmod COMMAND: is COMMAND (a name on PATH or a path) one of kmod's
# tools? They are all links to the kmod program; busybox's are links to
# busybox, which answers some of the same options differently.
is_kmod() {
	cmd=$1
	case $cmd in
	/*) ;;
	*) cmd=$(command -v "$cmd") || return 1 ;;
	esac
	case $(readlink -f "$cmd") in
	*/kmod) return 0 ;;
	esac
	return 1
}

# has_busybox: is there a busybox program?
has_busybox() {
	command -v busybox >/dev/null 2>&1
}

# klog: the whole kernel log. busybox's dmesg prints nothing when the log
# is larger than its default buffer, so ask for a large one.
klog() {
	dmesg -s 1048576
}

# klog_has PATTERN: does the kernel log match the grep pattern?
klog_has() {
	klog | grep -q -- "$1"
}

# mark: write a line to the kernel log; log_since_mark prints what came
# after the latest mark.
mark_nr=0
mark() {
	mark_nr=$((mark_nr + 1))
	echo "lkmdemo-selftest: mark $$-$mark_nr" >/dev/kmsg
}

# log_since_mark [SED]: with the sed command SED (default p) on each line
# from the latest mark on.
log_since_mark() {
	klog | sed -n "/lkmdemo-selftest: mark $$-$mark_nr\$/,\$ {${1:-p}}"
}

# log_has PATTERN: does the log after the mark match the grep pattern?
# sed finds both the mark and PATTERN (a basic regular expression, as
# grep's), one program fewer than sed and grep. Its delimiter is \001,
# so that PATTERN may hold a slash.
ksft_soh=$(printf '\001')
log_has() {
	[ -n "$(log_since_mark "\\$ksft_soh$1${ksft_soh}p")" ]
}

# no_report: the log after the mark has no line that says something
# went wrong: a warning, a bug, KASAN, a stack trace, a leak. Fails when
# the mark is gone from the log, since then nothing after it was read.
no_report() {
	log_since_mark >"$ksft_tmp/since-mark"
	if [ ! -s "$ksft_tmp/since-mark" ]; then
		echo "# the mark $$-$mark_nr is not in the kernel log"
		return 1
	fi
	! grep -qE 'WARNING:|BUG:|KASAN:|Oops|Call [Tt]race|leak' \
		"$ksft_tmp/since-mark"
}

# refused_load MODULE PARAM=VALUE PATTERN [ERRNO TEXT]: modprobe MODULE
# PARAM=VALUE, MODULE not loaded before, fails with ERRNO (modprobe says
# strerror's TEXT; by default EINVAL, "Invalid argument"), the log after
# it matches the grep PATTERN (what the kernel or the module says of the
# value), and the module is not loaded: three tests. When the load goes
# through, one failed test, the module unloaded again, and a return of 1.
refused_load() {
	mark
	if modprobe "$1" "$2" 2>"$ksft_tmp/modprobe.err"; then
		not_ok "$2 is refused"
		rmmod "$1"
		return 1
	fi
	check "$2 fails with ${4:-EINVAL}" \
		grep -q "${5:-Invalid argument}" "$ksft_tmp/modprobe.err"
	check "$2: the log says why" log_has "$3"
	check "$2: the module is not loaded" test ! -e "/sys/module/$1"
}

# load_rounds MODULE: the steps on standard input (load, write, unload:
# see load_rounds.c) done on MODULE by one load_rounds process, which
# starts one program instead of two a round. Prints what went wrong, and
# nothing when every step went through.
load_rounds() {
	lr_ko=$(modinfo -n "$1" 2>"$ksft_tmp/modinfo.err") || {
		echo "modinfo -n $1: $(cat "$ksft_tmp/modinfo.err")"
		return
	}
	lr_out=$("$(dirname "$0")/load_rounds" "$1" "$lr_ko" 2>&1) ||
		lr_out=${lr_out:-"load_rounds exited $?"}
	[ -z "$lr_out" ] || echo "$lr_out"
}

# values FILE...: the first line of each FILE, all on one line with a
# space between them: what "cat FILE... | tr '\n' ' '" shows of files of
# one line each (sysfs attributes), read by the shell itself. A program
# started costs a tenth of a second in the debug kernel under emulation,
# and the tests read figures before and after each write they make.
values() {
	vl_all=
	vl_sep=
	for vl_file in "$@"; do
		vl_one=
		read -r vl_one <"$vl_file"
		vl_all=$vl_all$vl_sep$vl_one
		vl_sep=' '
	done
	echo "$vl_all"
}

# cmdline_values MODULE: MODULE's parameters on the kernel command line,
# without the "MODULE." prefix, one per line.
cmdline_values() {
	tr ' ' '\n' </proc/cmdline | sed -n "s/^$1\\.//p"
}

# given_values MODULE: cmdline_values on one line, space-separated.
given_values() {
	cmdline_values "$1" | tr '\n' ' ' | sed 's/ $//'
}

# skip_given DESCRIPTION MODULE GIVEN: skip a check of values on the
# command line that this test did not choose (a kernel booted by someone
# else): what they should do is not known here.
skip_given() {
	skip_test "$1" "the command line sets $2 values this test did not choose ($3)"
}
