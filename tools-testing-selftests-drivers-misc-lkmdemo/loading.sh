#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loading a module: hello.c built out of tree (lkmdemo_outoftree, see
# Documentation/misc-devices/lkmdemo/loading.rst) loads and taints the
# kernel with O, which the in-tree modules do not; and files that are not
# a module for this kernel (cut short, not ELF, the wrong version magic)
# are refused with ENOEXEC, leaving nothing loaded.

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

	echo "this is not a module" >"$ksft_tmp/text.ko"
	mark
	check "a file that is not ELF is refused ($enoexec)" \
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
finish
