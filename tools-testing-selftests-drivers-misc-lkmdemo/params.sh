#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_params: what each kind of parameter accepts, refuses and shows.
#
# As a module, the test loads it with values on the modprobe line and in
# /etc/modprobe.d. Built in, it checks the values on /proc/cmdline when
# they are one of the sets below (see the lkmdemo documentation), and
# skips that check for any other set.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

mod=lkmdemo_params
dir=/sys/module/$mod/parameters
conf=/etc/modprobe.d/lkmdemo-params-selftest.conf

# What sysfs shows when nothing is given.
DEFAULTS="flag=N ttl=64 offset=-5 port=8080 count=1 id=42 delta=-100000
limit=1000000 capacity=1099511627776 mask=0x0000ff name=world
label=lkmdemo quiet=N values=10,20 ratio=50"

# A good value for every parameter (a bare "flag" means flag=y) ...
GOOD="flag ttl=200 offset=-300 port=443 count=3 id=4000000000
capacity=123456789012 mask=0xbeef name=tux label=kernel quiet=1
values=7,-8,9 seed=777 ratio=75"
# ... and what sysfs then shows.
GOOD_SHOWN="flag=Y ttl=200 offset=-300 port=443 count=3 id=4000000000
capacity=123456789012 mask=0x00beef name=tux label=kernel quiet=Y
values=7,-8,9 ratio=75"

# Bad values: all refused, so everything keeps its default.
BAD="values=1,2,3,4,5 ratio=500 ratio=abc label=0123456789abcdef"

# A long and an unsigned long are as wide as the kernel's word: the
# edges of each are good, one past them is refused with ERANGE. The set
# of the kernel's word size is added to GOOD and BAD, as the test harness
# adds it when it boots a kernel with them.
GOOD_64="delta=-9223372036854775808 limit=18446744073709551615"
BAD_64="delta=-9223372036854775809 limit=18446744073709551616"
GOOD_32="delta=-2147483648 limit=4294967295"
BAD_32="delta=-2147483649 limit=4294967296"
# uname -m names the kernel's architecture, whatever the userspace is.
case $(uname -m) in
x86_64|aarch64*|*64|*64le|*64be|s390x|alpha)
	word_good=$GOOD_64 word_bad=$BAD_64 ;;
*)
	word_good=$GOOD_32 word_bad=$BAD_32 ;;
esac
GOOD_LINE="$(printf '%s' "$GOOD" | tr '\n' ' ') $word_good"
GOOD_SHOWN="$GOOD_SHOWN $word_good"
BAD_LINE="$BAD $word_bad"

# Where a value shows: sysfs, and the module's init message. These set
# $value rather than print it: a debug kernel in an emulator makes each
# fork of a command substitution slow, and expect_values checks many.
# sysfs_value NAME: what sysfs shows for NAME.
sysfs_value() {
	value=
	{ read -r value <"$dir/$1"; } 2>/dev/null
}

# printed_value NAME WORDS: the value of NAME in WORDS, the words of the
# module's init messages (the latest one wins).
printed_value() {
	value=
	set -f
	for word in $2; do
		case $word in
		"$1="*) value=${word#*=} ;;
		esac
	done
	set +f
}

# init_words: the words of every init message of the module in the log.
init_words() {
	klog | sed -n "s/^.*$mod: //p"
}

# shown NAME, printed NAME: the same, printed.
shown() {
	sysfs_value "$1"
	echo "$value"
}
printed() {
	printed_value "$1" "$(init_words)"
	echo "$value"
}

# expect_values WHAT LIST: sysfs and the init message show LIST. The
# log is read once for the whole list.
expect_values() {
	what=$1
	words=$(init_words)
	for pair in $2; do
		name=${pair%%=*}
		want=${pair#*=}
		sysfs_value "$name"
		expect_eq "$what: $name in sysfs" "$want" "$value"
		printed_value "$name" "$words"
		expect_eq "$what: $name printed at init" "$want" "$value"
	done
}

# load ARGS...: reload the module with ARGS; fails when modprobe does.
load() {
	[ -d /sys/module/$mod ] && rmmod $mod
	mark
	modprobe $mod "$@" 2>"$ksft_tmp/modprobe.err"
}

# The checks that hold whichever way the module got its values.
runtime_checks() {
	check "seed (permission 0) has no sysfs file" test ! -e $dir/seed
	expect_eq "ttl is read-only (0444)" "-r--r--r--" \
		"$(stat -c %A $dir/ttl)"
	old=$(shown ttl)
	check "writing ttl fails" sh -c "! echo 7 2>/dev/null >$dir/ttl"
	expect_eq "ttl is unchanged" "$old" "$(shown ttl)"
	expect_eq "ratio is writable (0644)" "-rw-r--r--" \
		"$(stat -c %A $dir/ratio)"

	old=$(shown ratio)
	at_exit "[ ! -e $dir/ratio ] || echo $old >$dir/ratio"
	mark
	check "ratio: writing 20 works" sh -c "echo 20 >$dir/ratio"
	expect_eq "ratio: sysfs shows 20" 20 "$(shown ratio)"
	check "ratio: the module logged the change" \
		log_has "$mod: ratio changed from $old to 20"
	for bad in 0 101 500 abc 4294967296 -1; do
		mark
		err=$(sh -c "echo $bad >$dir/ratio" 2>&1)
		check "ratio: writing $bad fails with EINVAL" \
			sh -c "echo '$err' | grep -q 'Invalid argument'"
		expect_eq "ratio: still 20 after writing $bad" 20 "$(shown ratio)"
		check "ratio: the log says why $bad was refused" \
			log_has "$mod: ratio: '$bad' is"
	done
}

require_root
if ! is_available $mod; then
	echo "1..0 # SKIP $mod is neither built in nor loadable"
	exit $ksft_skip
fi

if is_builtin $mod; then
	given=$(given_values $mod)
	if [ -z "$given" ]; then
		expect_values "boot defaults" "$DEFAULTS"
		expect_eq "boot defaults: seed printed at init" 12345 "$(printed seed)"
	elif [ "$given" = "$GOOD_LINE" ]; then
		expect_values "boot command line" "$GOOD_SHOWN"
		expect_eq "boot command line: seed printed at init" 777 "$(printed seed)"
		expect_eq "boot command line: nr_values" 3 "$(printed nr_values)"
	elif [ "$given" = "$BAD_LINE" ]; then
		expect_values "bad boot values" "$DEFAULTS"
		for v in $word_bad; do
			check "boot: the log says $v is invalid" \
				klog_has "\`${v#*=}' invalid for parameter .$mod.${v%%=*}'"
		done
		check "boot: the log names values (too many)" \
			klog_has 'values: can only take 4 arguments'
		check "boot: the log says why ratio=500 was refused" \
			klog_has "$mod: ratio: '500' is out of range 1..100"
		check "boot: the log says why ratio=abc was refused" \
			klog_has "$mod: ratio: 'abc' is not a decimal number"
		check "boot: the log names label (too long)" \
			klog_has 'label: string doesn.t fit in 15 chars'
	else
		skip_given "built in: the values given on the command line" \
			$mod "$given"
	fi
	runtime_checks
	finish
fi

# Loadable: defaults, the modprobe line, modprobe.d.
check "modprobe $mod" load
expect_values "defaults" "$DEFAULTS"
expect_eq "defaults: seed printed at init" 12345 "$(printed seed)"
runtime_checks

# shellcheck disable=SC2086 # one argument per value
check "modprobe with a value for every parameter" load $GOOD_LINE
expect_values "modprobe line" "$GOOD_SHOWN"
expect_eq "modprobe line: seed printed at init" 777 "$(printed seed)"

rmmod $mod
at_exit "rm -f $conf"
echo "options $mod $GOOD_LINE" >$conf
check "modprobe with options in $conf" load
expect_values "modprobe.d" "$GOOD_SHOWN"
expect_eq "modprobe.d: seed printed at init" 777 "$(printed seed)"
rm -f $conf

for form in y:Y n:N 1:Y 0:N Y:Y N:N; do
	load flag="${form%:*}"
	expect_eq "flag=${form%:*} shows ${form#*:}" "${form#*:}" "$(shown flag)"
done

for n in 1 2 3 4; do
	list=$(seq -s, 1 $n)
	load values="$list"
	expect_eq "values=$list: sysfs" "$list" "$(shown values)"
	expect_eq "values=$list: count" "$n" "$(printed nr_values)"
done

[ -d /sys/module/$mod ] && rmmod $mod
refused_load $mod values=1,2,3,4,5 "values: can only take 4 arguments"
refused_load $mod ratio=0 "ratio: '0' is out of range"
refused_load $mod ratio=101 "ratio: '101' is out of range"
refused_load $mod ratio=abc "ratio: 'abc' is not a decimal number"
refused_load $mod label=0123456789abcdef "label: string doesn't fit" \
	ENOSPC "No space left on device"
refused_load $mod count=abc "invalid for parameter .count"
for v in $word_bad; do
	refused_load $mod "$v" "\`${v#*=}' invalid for parameter .${v%%=*}'" \
		ERANGE "Numerical result out of range"
done

[ -d /sys/module/$mod ] && rmmod $mod
finish
