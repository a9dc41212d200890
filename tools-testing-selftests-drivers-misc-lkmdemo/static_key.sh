#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_static_key: the parameter "enabled" switches a static key. A
# write of N to /sys/kernel/lkmdemo_static_key/run runs the code that
# tests it N times, and runs_off and runs_on count which side ran: with
# the key off every run takes the one side, with it on the other. With
# CONFIG_JUMP_LABEL, "code" shows a nop of this architecture at every
# place the key is tested while it is off, a jump while it is on, and
# the same bytes as before once it is off again. Bad values and counts
# are refused with EINVAL and change nothing. Built in, the value comes
# from /proc/cmdline: none, GOOD or BAD are checked, any other value
# skips that check.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

mod=lkmdemo_static_key
GOOD="enabled=1"
BAD="enabled=maybe"

dir=/sys/kernel/$mod
par=/sys/module/$mod/parameters

# enabled: what the parameter reads, Y or N.
enabled() {
	read -r v <"$par/enabled"
	echo "$v"
}

# counts: runs_off, runs_on and switches in c_off, c_on and c_sw.
counts() {
	read -r c_off <"$dir/runs_off"
	read -r c_on <"$dir/runs_on"
	read -r c_sw <"$dir/switches"
}

# set_key VALUE: write VALUE to the parameter.
# shellcheck disable=SC2317 # called through check
set_key() {
	echo "$1" >"$par/enabled"
}

# run N: run the code that tests the key N times.
# shellcheck disable=SC2317 # called through check
run() {
	echo "$1" >"$dir/run"
}

# side_checks off|on: 100 runs, all of them on the side of the key.
side_checks() {
	counts
	o=$c_off
	n=$c_on
	check "key $1: echo 100 >run" run 100
	counts
	want="100 0"
	[ "$1" = off ] || want="0 100"
	expect_eq "key $1: runs_off and runs_on went up by" "$want" \
		"$((c_off - o)) $((c_on - n))"
}

machine=$(uname -m)

# insn_kind BYTES: nop or jump, if BYTES are one of those the kernel
# writes on this architecture; unknown if not, or on another one.
insn_kind() {
	case $machine:$1 in
	aarch64:"1f 20 03 d5") echo nop ;;
	aarch64:??" "??" "??" "1[4-7]) echo jump ;;
	x86_64:"0f 1f 44 00 00" | i?86:"3e 8d 74 26 00") echo nop ;;
	x86_64:"66 90" | i?86:"66 90") echo nop ;;
	x86_64:"eb "?? | x86_64:"e9 "* | i?86:"eb "?? | i?86:"e9 "*) echo jump ;;
	*) echo unknown ;;
	esac
}

# code_checks off|on: "code" into $code, and what it must say: a site
# or more, each a nop (off) or a jump (on), of the size and with the
# bytes of one on this architecture.
code_checks() {
	st=$1
	kind=nop
	[ "$st" = off ] || kind=jump
	code=$(cat "$dir/code")
	case $code in
	"no code patching"*)
		skip_test "key $st: code shows a $kind at every site" "$code"
		return
		;;
	esac
	printf '%s\n' "$code" | sed "s/^/# key $st: /"
	check "key $st: code shows a site" test -n "$code"
	expect_eq "key $st: code says $kind at every site" "" \
		"$(printf '%s\n' "$code" | grep -v " ($kind)\$")"
	while IFS= read -r line; do
		site=${line%%:*}
		bytes=${line#*: }
		bytes=${bytes% (*)}
		# shellcheck disable=SC2086 # one word a byte
		set -- $bytes
		case $# in
		2 | 4 | 5) ok "key $st: $site: $# bytes, a size x86 (2, 5) or arm64 (4) rewrites" ;;
		*) not_ok "key $st: $site: $# bytes, a size x86 (2, 5) or arm64 (4) rewrites" ;;
		esac
		k=$(insn_kind "$bytes")
		if [ "$k" = unknown ]; then
			skip_test "key $st: $site: $bytes is a $kind" \
				"not a nop or a jump this test knows on $machine"
		else
			expect_eq "key $st: $site: $bytes is a $kind on $machine" \
				"$kind" "$k"
		fi
	done <<EOF
$code
EOF
}

# differ_everywhere A B: no line of A is the same line of B.
# shellcheck disable=SC2317 # called through check
differ_everywhere() {
	ln=0
	while IFS= read -r a; do
		ln=$((ln + 1))
		[ "$a" != "$(printf '%s\n' "$2" | sed -n "${ln}p")" ] || return 1
	done <<EOF
$1
EOF
}

# sites CODE: where each site of CODE is, one a line.
sites() {
	printf '%s\n' "$1" | sed 's/:.*//'
}

# key_checks: switch the key off, on, on again and off, and check what
# each write changes, each step a phase of its own. The key is set back
# as it was found.
key_checks() {
	was=$(enabled)
	at_exit "[ ! -e $par/enabled ] || echo $was >$par/enabled"
	phase "switched off"
	check "echo 0 >enabled" set_key 0
	expect_eq "enabled reads N" N "$(enabled)"
	side_checks off
	code_checks off
	code_off=$code
	counts
	sw=$c_sw

	phase "switched on"
	mark
	check "echo 1 >enabled" set_key 1
	expect_eq "enabled reads Y" Y "$(enabled)"
	check "the log says the key switched on" log_has "$mod: key switched on\$"
	counts
	expect_eq "switching on counts a switch" $((sw + 1)) "$c_sw"
	side_checks on
	code_checks on
	code_on=$code
	check "echo y >enabled, on already" set_key y
	counts
	expect_eq "a write of the value the key has is no switch" \
		$((sw + 1)) "$c_sw"

	phase "switched off again"
	mark
	check "echo off >enabled" set_key off
	check "the log says the key switched off" log_has "$mod: key switched off\$"
	counts
	expect_eq "switching off counts a switch" $((sw + 2)) "$c_sw"
	side_checks off
	code_checks off
	phase

	case $code_off in
	"no code patching"*)
		expect_eq "no code patching: code says so on and off" \
			"$code_off" "$code_on"
		return
		;;
	esac
	expect_eq "on and off, code shows the same sites" \
		"$(sites "$code_off")" "$(sites "$code_on")"
	check "on and off, every site has other bytes" \
		differ_everywhere "$code_off" "$code_on"
	expect_eq "off again, code shows the same bytes as before" \
		"$code_off" "$code"
}

# refused_key VALUE: the parameter refuses VALUE with EINVAL, the log
# says why, and neither the value nor the key changes.
refused_key() {
	before=$(enabled)
	counts
	sw=$c_sw
	mark
	if echo "$1" 2>"$ksft_tmp/err" >"$par/enabled"; then
		not_ok "enabled=$1 is refused"
		return
	fi
	check "enabled='$1' fails with EINVAL" grep -q "Invalid argument" "$ksft_tmp/err"
	check "enabled='$1': the log says why" \
		log_has "$mod: enabled: '$1' is not 1, y, on, 0, n or off"
	counts
	expect_eq "enabled='$1': enabled is still $before, no switch" \
		"$before $sw" "$(enabled) $c_sw"
}

# refused_run COUNT: run refuses COUNT with EINVAL, the log says why,
# and nothing runs.
refused_run() {
	counts
	o=$c_off
	n=$c_on
	mark
	if echo "$1" 2>"$ksft_tmp/err" >"$dir/run"; then
		not_ok "run refuses '$1'"
		return
	fi
	check "run refuses '$1' with EINVAL" grep -q "Invalid argument" "$ksft_tmp/err"
	check "run '$1': the log says why" \
		log_has "$mod: run: '$1' is not a number from 1 to 100000"
	counts
	expect_eq "run '$1': nothing ran" "$o $n" "$c_off $c_on"
}

# bad_input_checks: what the files and the parameter refuse.
bad_input_checks() {
	expect_eq "run is 0200, runs_off, runs_on, switches and code 0444, enabled 0644" \
		"200 444 444 444 444 644" \
		"$(stat -c %a "$dir/run" "$dir/runs_off" "$dir/runs_on" \
			"$dir/switches" "$dir/code" "$par/enabled" | tr '\n' ' ' | sed 's/ $//')"
	check "reading run is refused" sh -c "! cat $dir/run 2>/dev/null"
	check "writing code is refused" sh -c "exec 2>/dev/null; ! echo 0 >$dir/code"
	for v in 2 maybe -1 x ""; do
		refused_key "$v"
	done
	for v in 0 100001 abc -1 ""; do
		refused_run "$v"
	done
	check "run takes 100000, the most" run 100000
}

require_root
if ! is_available $mod; then
	echo "1..0 # SKIP $mod is neither built in nor loadable"
	exit "$ksft_skip"
fi

if is_builtin $mod; then
	given=$(given_values $mod)
	case $given in
	"") want=N ;;
	"$GOOD") want=Y ;;
	"$BAD")
		want=N
		check "boot: the log says enabled=maybe was refused" \
			klog_has "$mod: enabled: 'maybe' is not 1, y, on, 0, n or off"
		;;
	*)
		skip_given "built in: the key from the command line" $mod "$given"
		want=
		;;
	esac
	if [ -n "$want" ]; then
		state=off
		[ "$want" = N ] || state=on
		phase "built in"
		expect_eq "enabled is $want" "$want" "$(enabled)"
		check "init said at boot the key is $state" \
			klog_has "$mod: ready: key $state\$"
		side_checks $state
		code_checks $state
		phase
	fi
	key_checks
	bad_input_checks
	finish
fi

[ -d /sys/module/$mod ] && rmmod $mod
mark
check "modprobe $mod" modprobe $mod
check "init said the key is off" log_has "$mod: ready: key off\$"
counts
expect_eq "loaded: enabled N, no run, no switch" "N 0 0 0" \
	"$(enabled) $c_off $c_on $c_sw"
key_checks
bad_input_checks
mark
check "rmmod $mod" rmmod $mod
check "exit said how many switches there were" \
	log_has "$mod: unloaded after 2 switches\$"
check "after rmmod, $dir is gone" test ! -e $dir

# "enabled" alone means on, as for a bool parameter.
for arg in enabled=1 enabled=on enabled; do
	phase "$arg"
	mark
	check "modprobe $mod $arg" modprobe $mod "$arg"
	check "init switched the key on" log_has "$mod: key switched on\$"
	check "init said the key is on" log_has "$mod: ready: key on\$"
	counts
	expect_eq "enabled Y, one switch" "Y 1" "$(enabled) $c_sw"
	side_checks on
	code_checks on
	check "rmmod $mod" rmmod $mod
	phase
done

for bad in enabled=maybe enabled=2 enabled=-1; do
	refused_load $mod "$bad" \
		"$mod: enabled: '${bad#*=}' is not 1, y, on, 0, n or off"
done

# Loads and unloads, the key on or off at load and switched by a write,
# then a run: every round rewrites the module's code before it goes.
# The debug kernel (kmemleak's file is there) does 100 rounds, others
# 20, in one load_rounds process.
rounds=20
[ ! -e /sys/kernel/debug/kmemleak ] || rounds=100
# A failed round may leave the module loaded: unloaded at exit, so
# that the next test does not find it.
at_exit "rmmod $mod 2>/dev/null"
failed=$(i=0
	while [ $i -lt $rounds ]; do
		i=$((i + 1))
		on=$((i % 2))
		echo "load enabled=$on"
		echo "write $par/enabled $((1 - on))"
		echo "write $dir/run 10"
		echo unload
	done | load_rounds $mod)
check "$rounds rounds of load, a switch, a run and unload${failed:+: $failed}" \
	test -z "$failed"
check "after them, $dir is gone" test ! -e $dir
finish
