#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loading a module: hello.c built out of tree (lkmdemo_outoftree, see
# Documentation/misc-devices/lkmdemo/loading.rst) loads and taints the
# kernel with O, which the in-tree modules do not; files that are not a
# module for this kernel (cut short, not ELF, the wrong version magic) are
# refused with ENOEXEC, leaving nothing loaded; only a caller with
# CAP_SYS_MODULE may load or unload (EPERM for the others); and
# /proc/kallsyms names a module's symbols, with their addresses for root.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

ext=lkmdemo_outoftree
intree=lkmdemo_hello
# TAINT_OOT_MODULE, the O of the taint flags
oot_bit=12
# kmod's words for ENOEXEC
enoexec="Invalid module format"

tainted_oot() {
	[ $(($(cat /proc/sys/kernel/tainted) >> oot_bit & 1)) -eq 1 ]
}

# refused FILE: insmod FILE fails with ENOEXEC and loads nothing.
# shellcheck disable=SC2317 # called through check
refused() {
	before=$(wc -l </proc/modules)
	if insmod "$1" >"$ksft_tmp/insmod.out" 2>&1; then
		echo "# insmod $1 loaded it"
		return 1
	fi
	if ! grep -q "$enoexec" "$ksft_tmp/insmod.out"; then
		echo "# insmod said: $(cat "$ksft_tmp/insmod.out")"
		return 1
	fi
	[ "$(wc -l </proc/modules)" -eq "$before" ] ||
		{ echo "# /proc/modules changed"; return 1; }
}

# out_of_tree: load and unload lkmdemo_outoftree.
out_of_tree() {
	if is_builtin $intree; then
		skip_test "modinfo: in-tree $intree says intree: Y" \
			"$intree is built in (modpost adds intree only to modules)"
	elif modprobe -n $intree 2>/dev/null; then
		expect_eq "modinfo: in-tree $intree says intree: Y" Y \
			"$(modinfo -F intree $intree)"
	else
		skip_test "modinfo: in-tree $intree says intree: Y" \
			"$intree is neither built in nor loadable"
	fi
	expect_eq "modinfo: out-of-tree $ext has no intree" "" \
		"$(modinfo -F intree $ext)"
	expect_eq "modinfo: $ext was built for this kernel (vermagic)" \
		"$(uname -r)" "$(modinfo -F vermagic $ext | cut -d' ' -f1)"

	was_tainted=0
	tainted_oot && was_tainted=1
	[ ! -d /sys/module/$ext ] || rmmod $ext
	at_exit "rmmod $ext 2>/dev/null"
	mark
	check "modprobe $ext" modprobe $ext
	check "$ext runs hello.c's init" \
		log_has "$ext: hello, world (init, loaded as a module)"
	check "the kernel is tainted O (bit $oot_bit of /proc/sys/kernel/tainted)" \
		tainted_oot
	if [ "$was_tainted" = 1 ]; then
		skip_test "the log says: $ext: loading out-of-tree module taints kernel." \
			"an out-of-tree module was loaded before: the kernel says it once a boot"
	else
		check "the log says: $ext: loading out-of-tree module taints kernel." \
			log_has "$ext: loading out-of-tree module taints kernel\\."
	fi
	expect_eq "$ext's own taint (/sys/module/$ext/taint) is O" O \
		"$(cat /sys/module/$ext/taint 2>/dev/null)"
	mark
	check "rmmod $ext" rmmod $ext
	check "its exit ran" log_has "$ext: goodbye, world (exit)"
	check "the taint stays after the module is gone" tainted_oot
}

# elf_file: a module file of this kernel to damage, uncompressed.
elf_file() {
	for m in $ext $intree; do
		f=$(modinfo -n "$m" 2>/dev/null) || continue
		case $f in
		*.ko) echo "$f"; return 0 ;;
		esac
	done
	return 1
}

# bad_input FILE: copies of FILE cut short, replaced by text, and with
# the version magic changed are refused.
bad_input() {
	size=$(wc -c <"$1")
	head -c $((size / 2)) "$1" >"$ksft_tmp/short.ko"
	mark
	check "a module cut to half its size is refused ($enoexec)" \
		refused "$ksft_tmp/short.ko"
	check "the log says why: Invalid ELF section header overflow" \
		log_has "Invalid ELF section header overflow"

	# This script: longer than an ELF header, so that its first bytes
	# are what is checked.
	cp "$0" "$ksft_tmp/text.ko"
	mark
	check "a file that is not ELF (this script) is refused ($enoexec)" \
		refused "$ksft_tmp/text.ko"
	check "the log says why: Invalid ELF header magic" \
		log_has "Invalid ELF header magic"

	# The first character of the release in "vermagic=RELEASE ...",
	# in the .modinfo section, becomes an X.
	cp "$1" "$ksft_tmp/magic.ko"
	off=$(strings -t d "$1" | sed -n 's/^ *\([0-9]*\) vermagic=.*/\1/p' | head -n 1)
	if [ -z "$off" ]; then
		not_ok "a module whose version magic is changed is refused"
		echo "# no vermagic= string in $1"
		return
	fi
	printf X | dd of="$ksft_tmp/magic.ko" bs=1 seek=$((off + 9)) \
		conv=notrunc 2>/dev/null
	expect_eq "the copy differs from $1 in one byte" 1 \
		"$(cmp -l "$1" "$ksft_tmp/magic.ko" | wc -l)"
	mark
	check "a module whose version magic is changed is refused ($enoexec)" \
		refused "$ksft_tmp/magic.ko"
	check "the log names both: version magic 'X...' should be '$(uname -r) ...'" \
		log_has "version magic 'X.*' should be '$(uname -r) "
}

# as_nobody CMD...: CMD as user and group 65534, with no supplementary
# group (and so no capability).
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

# without_cap_sys_module CMD...: CMD as root, but with CAP_SYS_MODULE
# taken out of the bounding set: the program CMD runs does not get it.
without_cap_sys_module() {
	setpriv --inh-caps=-sys_module --bounding-set=-sys_module "$@"
}

# eperm WHO TOOL ARGS...: TOOL run by WHO (a function above) fails with
# "Operation not permitted" (EPERM).
# shellcheck disable=SC2317 # called through check
eperm() {
	if "$@" >"$ksft_tmp/eperm.out" 2>&1; then
		echo "# $* succeeded"
		return 1
	fi
	grep -q "Operation not permitted" "$ksft_tmp/eperm.out" && return 0
	echo "# $* said: $(cat "$ksft_tmp/eperm.out")"
	return 1
}

# who_may_load MODULE FILE: only a caller with CAP_SYS_MODULE loads FILE
# (MODULE) or unloads MODULE. kmod's insmod calls finit_module(); busybox's
# calls finit_module() and, when that fails, init_module(), whose errno
# it prints; rmmod calls delete_module().
who_may_load() {
	m=$1
	f=$2
	[ ! -d "/sys/module/$m" ] || rmmod "$m"
	for who in as_nobody without_cap_sys_module; do
		case $who in
		as_nobody) desc="user 65534" ;;
		*) desc="root without CAP_SYS_MODULE" ;;
		esac
		check "$desc: finit_module() is refused with EPERM (kmod's insmod)" \
			eperm $who insmod "$f"
		check "$desc: init_module() is refused with EPERM (busybox insmod)" \
			eperm $who busybox insmod "$f"
		check "$desc: nothing was loaded" test ! -d "/sys/module/$m"
	done
	check "root loads $m (insmod)" insmod "$f"
	for who in as_nobody without_cap_sys_module; do
		case $who in
		as_nobody) desc="user 65534" ;;
		*) desc="root without CAP_SYS_MODULE" ;;
		esac
		check "$desc: delete_module() is refused with EPERM (rmmod)" \
			eperm $who rmmod "$m"
		check "$desc: $m is still loaded" test -d "/sys/module/$m"
	done
}

# addrs MODULE: the addresses of MODULE's symbols in the /proc/kallsyms
# read on stdin, one per line.
addrs() {
	grep "\[$1\]\$" | cut -d' ' -f1
}

# nonzero: the lines on stdin that are not all zeros.
nonzero() {
	grep -v '^0*$'
}

# kallsyms MODULE: MODULE (loaded) in /proc/kallsyms, as root and not.
kallsyms() {
	m=$1
	n=$(addrs "$m" </proc/kallsyms | wc -l)
	check "/proc/kallsyms lists the symbols of $m with [$m] ($n)" test "$n" -gt 0
	restrict=$(cat /proc/sys/kernel/kptr_restrict)
	if [ "$restrict" -le 1 ]; then
		expect_eq "root (CAP_SYSLOG, kptr_restrict=$restrict) reads their addresses" \
			"$n" "$(addrs "$m" </proc/kallsyms | nonzero | wc -l)"
	else
		skip_test "root (CAP_SYSLOG) reads their addresses" \
			"kptr_restrict is $restrict here"
	fi
	paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo 2)
	if [ "$paranoid" -le 1 ] && [ "$restrict" -eq 0 ]; then
		skip_test "user 65534 reads zeros for their addresses" \
			"perf_event_paranoid is $paranoid: kallsyms shows addresses to perf users"
	else
		expect_eq "user 65534 reads zeros for their addresses" 0 \
			"$(as_nobody cat /proc/kallsyms | addrs "$m" | nonzero | wc -l)"
	fi
	at_exit "echo $restrict >/proc/sys/kernel/kptr_restrict"
	echo 2 >/proc/sys/kernel/kptr_restrict
	expect_eq "kptr_restrict=2: root reads zeros too" 0 \
		"$(addrs "$m" </proc/kallsyms | nonzero | wc -l)"
	echo "$restrict" >/proc/sys/kernel/kptr_restrict
}

require_root
if ! can_load_modules; then
	echo "1..0 # SKIP the kernel does not load modules (CONFIG_MODULES=n)"
	exit "$ksft_skip"
fi

if modprobe -n $ext 2>/dev/null; then
	out_of_tree
else
	skip_test "out of tree: $ext loads and taints the kernel O" \
		"$ext is not installed (build it as loading.rst says)"
fi

if f=$(elf_file); then
	bad_input "$f"
else
	skip_test "bad input: damaged copies of a module are refused" \
		"neither $ext nor $intree is a loadable, uncompressed module here"
fi

# Who may load, with the first module of elf_file.
if ! command -v setpriv >/dev/null 2>&1 || ! setpriv --help 2>&1 | grep -q reuid; then
	skip_test "who may load: callers without CAP_SYS_MODULE are refused" \
		"no setpriv with --reuid (util-linux) here"
elif ! f=$(elf_file); then
	skip_test "who may load: callers without CAP_SYS_MODULE are refused" \
		"neither $ext nor $intree is a loadable, uncompressed module here"
else
	m=$(modinfo -F name "$f")
	at_exit "rmmod $m 2>/dev/null"
	who_may_load "$m" "$f"
	kallsyms "$m"
	check "rmmod $m" rmmod "$m"
fi
finish
