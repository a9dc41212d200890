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
# With CONFIG_MODVERSIONS, CONFIG_MODULE_SIG and CONFIG_DYNAMIC_DEBUG, also
# symbol CRCs, signatures and pr_debug() (see loading.rst).
#
# LKMDEMO_LOCK_MODULES=1 in the environment: at its end the test sets
# kernel.modules_disabled, after which nothing loads or unloads until the
# next boot. Only for a boot of its own.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

ext=lkmdemo_outoftree
intree=lkmdemo_hello
# TAINT_OOT_MODULE, the O of the taint flags
oot_bit=12
# kmod's words for ENOEXEC and EKEYREJECTED
enoexec="Invalid module format"
ekeyrejected="Key was rejected by service"
# what a module's signature ends with
sig_magic="~Module signature appended~"

# taint_bit N: bit N of /proc/sys/kernel/tainted.
taint_bit() {
	echo $(($(cat /proc/sys/kernel/tainted) >> $1 & 1))
}

tainted_oot() {
	[ "$(taint_bit $oot_bit)" -eq 1 ]
}

# refused WORDS CMD...: CMD (insmod, modprobe or rmmod, maybe run by
# as_nobody or without_cap_sys_module below) fails, saying WORDS (kmod's
# words for an errno), and loads or unloads nothing. A refusal that
# setpriv prints is its own, not the tool's: not this one.
# shellcheck disable=SC2317 # called through check
refused() {
	refusal=$1
	shift
	before=$(wc -l </proc/modules)
	if "$@" >"$ksft_tmp/refused.out" 2>&1; then
		echo "# $* succeeded"
		return 1
	fi
	if ! grep -q "$refusal" "$ksft_tmp/refused.out" ||
	   grep -q '^setpriv:' "$ksft_tmp/refused.out"; then
		echo "# $* said: $(cat "$ksft_tmp/refused.out")"
		return 1
	fi
	[ "$(wc -l </proc/modules)" -eq "$before" ] ||
		{ echo "# /proc/modules changed"; return 1; }
}

# log_lacks PATTERN: the log after the mark does not match PATTERN.
# shellcheck disable=SC2317 # called through check
log_lacks() {
	! log_has "$1"
}

# klog_lacks PATTERN: the whole log does not match PATTERN.
# shellcheck disable=SC2317 # called through check
klog_lacks() {
	! klog_has "$1"
}

# sig_enforced: does the kernel refuse unsigned modules? (With
# CONFIG_MODULE_SIG, module.sig_enforce=1 or CONFIG_MODULE_SIG_FORCE.)
sig_enforced() {
	[ "$(cat /sys/module/module/parameters/sig_enforce 2>/dev/null)" = Y ]
}

# is_signed FILE: does FILE end with a module signature?
is_signed() {
	[ "$(tail -c 28 "$1")" = "$sig_magic" ]
}

# unsign FILE COPY: COPY is FILE without its signature: the signature,
# then a struct module_signature (12 bytes, the last 4 the signature's
# length, big-endian), then sig_magic and a newline: 28 bytes.
unsign() {
	size=$(wc -c <"$1")
	# shellcheck disable=SC2046 # twelve numbers
	set -- "$1" "$2" $(tail -c 40 "$1" | head -c 12 | od -An -tu1 | tr -s ' \n' ' ')
	# $3 to $14: the struct; its bytes 8 to 11, the length
	siglen=$((${11} << 24 | ${12} << 16 | ${13} << 8 | ${14}))
	head -c $((size - 40 - siglen)) "$1" >"$2"
}

# unsigned_refusal: how a file that is not a good module, or is one
# without a signature, is refused: ENOEXEC, or EKEYREJECTED first when
# signatures are enforced.
unsigned_refusal() {
	if sig_enforced; then echo "$ekeyrejected"; else echo "$enoexec"; fi
}

# log_has_any PATTERN...: the log after the mark matches one of the grep
# patterns.
# shellcheck disable=SC2317 # called through check
log_has_any() {
	for p in "$@"; do
		log_has "$p" && return 0
	done
	return 1
}

# fresh MODULE: MODULE, a loadable module, is not loaded as the test
# begins; at the end it is unloaded, and loaded again if it was before.
fresh() {
	if [ -d "/sys/module/$1" ]; then
		at_exit "modprobe $1"
		rmmod "$1"
	fi
	at_exit "rmmod $1 2>/dev/null"
}

# refused_unsigned DESC FILE WHY [PATTERN...]: FILE (unsigned) is
# refused; the log says WHY, which is a grep pattern itself or, when
# PATTERNs follow, what they match in words; when signatures are
# enforced, the log line is the one that says so.
refused_unsigned() {
	words=$(unsigned_refusal)
	mark
	check "$1 is refused ($words)" refused "$words" insmod "$2"
	if sig_enforced; then
		check "$1: the log says why: Loading of unsigned module is rejected" \
			log_has "Loading of unsigned module is rejected"
		return
	fi
	why=$3
	desc=$1
	shift 2
	[ $# -eq 1 ] || shift
	check "$desc: the log says why: $why" log_has_any "$@"
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
	fresh $ext
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
# the version magic changed are refused, and so is a signed module
# changed after it was signed.
bad_input() {
	f=$1
	if is_signed "$f"; then
		unsign "$f" "$ksft_tmp/unsigned.ko"
		f=$ksft_tmp/unsigned.ko
	fi
	size=$(wc -c <"$f")
	head -c $((size / 2)) "$f" >"$ksft_tmp/short.ko"
	refused_unsigned "a module cut to half its size" "$ksft_tmp/short.ko" \
		"Invalid ELF section header overflow"

	# This script: longer than an ELF header, so that its first bytes
	# are what is checked.
	cp "$0" "$ksft_tmp/text.ko"
	refused_unsigned "a file that is not ELF (this script)" "$ksft_tmp/text.ko" \
		"Invalid ELF header magic"

	# In "vermagic=RELEASE OPTIONS", in the .modinfo section, the first
	# character of the options becomes an X. (Not the release: a kernel
	# with CONFIG_MODVERSIONS does not compare it for a module with
	# CRCs, which say more.)
	if ! command -v strings >/dev/null 2>&1; then
		skip_test "a module whose version magic is changed is refused" \
			"no strings (binutils) here to find the version magic"
		return
	fi
	off=$(strings -t d "$f" | sed -n 's/^ *\([0-9]*\) vermagic=.*/\1/p' | head -n 1)
	rel=$(modinfo -F vermagic "$f" | cut -d' ' -f1)
	if [ -z "$off" ] || [ -z "$rel" ]; then
		not_ok "a module whose version magic is changed is refused"
		echo "# no vermagic= string in $f"
		return
	fi
	off=$((off + 9 + ${#rel} + 1))
	cp "$f" "$ksft_tmp/magic.ko"
	printf X | dd of="$ksft_tmp/magic.ko" bs=1 seek=$off conv=notrunc 2>/dev/null
	expect_eq "the copy differs from the module in one byte" 1 \
		"$(cmp -l "$f" "$ksft_tmp/magic.ko" | wc -l)"
	refused_unsigned "a module whose version magic is changed" "$ksft_tmp/magic.ko" \
		"version magic '$rel X.*' should be '$(uname -r) "

	if ! is_signed "$1"; then
		return
	fi
	# The same byte changed in the signed module: its signature no
	# longer matches, which is refused even when unsigned modules load.
	cp "$1" "$ksft_tmp/resigned.ko"
	printf X | dd of="$ksft_tmp/resigned.ko" bs=1 seek=$off conv=notrunc 2>/dev/null
	check "a signed module changed after signing is refused ($ekeyrejected)" \
		refused "$ekeyrejected" insmod "$ksft_tmp/resigned.ko"
}

# other_release FILE: FILE, a module built for another kernel release,
# is refused. The log says the first difference the kernel finds: the
# size of struct module (another configuration), the CRC of
# module_layout (both with CONFIG_MODVERSIONS), or the version magic.
other_release() {
	theirs=$(modinfo -F vermagic "$1")
	check "the module of another release is for another release (${theirs%% *})" \
		test "${theirs%% *}" != "$(uname -r)"
	refused_unsigned "a module built for release ${theirs%% *}" "$1" \
		"the size of struct module, the CRC of module_layout or the version magic" \
		"struct module size at run time" \
		"disagrees about version of symbol module_layout" \
		"version magic '${theirs%% *} .*' should be '$(uname -r) "
}

# has_crc FILE SYMBOL: modprobe --dump-modversions lists SYMBOL for FILE.
# shellcheck disable=SC2317 # called through check
has_crc() {
	modprobe --dump-modversions "$1" | grep -q "^0x[0-9a-f]*[[:space:]]$2\$"
}

# modversions: the CRCs of a module's symbols, and a module whose CRC
# for lkmdemo_symbols_add is not the kernel's, refused and then forced.
modversions() {
	if f=$(elf_file); then
		check "modprobe --dump-modversions lists the CRC of _printk for ${f##*/}" \
			has_crc "$f" _printk
	else
		skip_test "modprobe --dump-modversions lists the CRCs of a module" \
			"neither $ext nor $intree is a loadable, uncompressed module here"
	fi
	stale=lkmdemo_symbols_stale
	if ! modprobe -n $stale 2>/dev/null; then
		skip_test "a module with another CRC for lkmdemo_symbols_add is refused" \
			"$stale is not installed (see loading.rst)"
		return
	fi
	prov=lkmdemo_symbols_provider
	# The provider it needs, loaded first so that a refusal loads
	# nothing; unloaded again at the end (after $stale) unless it was
	# there before.
	prov_unload="rmmod $prov 2>/dev/null"
	[ ! -d /sys/module/$prov ] || prov_unload=:
	at_exit "$prov_unload"
	fresh $stale
	check "modprobe $prov, which $stale needs" modprobe $prov
	mark
	check "modprobe $stale is refused (Invalid argument)" \
		refused "Invalid argument" modprobe "$stale"
	check "the log says: $stale: disagrees about version of symbol lkmdemo_symbols_add" \
		log_has "$stale: disagrees about version of symbol lkmdemo_symbols_add"
	check "$stale is not loaded" test ! -d /sys/module/$stale
	if sig_enforced; then
		# A module loaded without its CRCs checked is not the module
		# that was signed: it counts as unsigned.
		mark
		check "sig_enforce=Y: modprobe --force-modversion is refused ($ekeyrejected)" \
			refused "$ekeyrejected" modprobe --force-modversion "$stale"
		check "the log says of the forced load: Loading of unsigned module is rejected" \
			log_has "Loading of unsigned module is rejected"
		eval "$prov_unload"
		return
	fi
	was_forced=$(taint_bit 1)
	mark
	check "modprobe --force-modversion $stale loads it (CONFIG_MODULE_FORCE_LOAD)" \
		modprobe --force-modversion $stale
	expect_eq "the kernel is tainted F (bit 1)" 1 "$(taint_bit 1)"
	case $(cat /sys/module/$stale/taint 2>/dev/null) in
	*F*) ok "$stale's own taint has F" ;;
	*) not_ok "$stale's own taint has F"
	   echo "# /sys/module/$stale/taint: $(cat /sys/module/$stale/taint 2>/dev/null)" ;;
	esac
	if [ "$was_forced" = 1 ]; then
		skip_test "the log says: $stale: ...: kernel tainted." \
			"a module was forced before: the kernel says it once a boot"
	else
		check "the log says: $stale: ...: kernel tainted." \
			log_has "$stale: .*: kernel tainted\\."
	fi
	check "rmmod $stale" rmmod $stale
	eval "$prov_unload"
}

# signatures MODULE: MODULE's signature in modinfo; a copy of it without
# the signature loads and taints E, or is refused when signatures are
# enforced; the signed module loads either way.
signatures() {
	m=$1
	f=$(modinfo -n "$m")
	case $f in
	*.ko) ;;
	*)
		skip_test "module signatures of $m" \
			"$f is compressed: the signature is inside the compressed file"
		return
		;;
	esac
	check "modinfo: $m is signed (signer: $(modinfo -F signer "$m"))" \
		test -n "$(modinfo -F signer "$m")"
	check "modinfo: and its hash algorithm ($(modinfo -F sig_hashalgo "$m"))" \
		test -n "$(modinfo -F sig_hashalgo "$m")"
	if ! is_signed "$f"; then
		not_ok "$f ends with \"$sig_magic\""
		return
	fi
	unsign "$f" "$ksft_tmp/nosig.ko"
	expect_eq "a copy without the signature has no signer" "" \
		"$(modinfo -F signer "$ksft_tmp/nosig.ko")"
	fresh "$m"
	if sig_enforced; then
		mark
		check "sig_enforce=Y: the unsigned copy is refused ($ekeyrejected)" \
			refused "$ekeyrejected" insmod "$ksft_tmp/nosig.ko"
		check "the log says: Loading of unsigned module is rejected" \
			log_has "Loading of unsigned module is rejected"
	else
		said=0
		klog_has "module verification failed" && said=1
		mark
		check "sig_enforce=N: the unsigned copy loads (insmod)" \
			insmod "$ksft_tmp/nosig.ko"
		expect_eq "the kernel is tainted E (bit 13)" 1 "$(taint_bit 13)"
		case $(cat "/sys/module/$m/taint" 2>/dev/null) in
		*E*) ok "$m's own taint has E" ;;
		*) not_ok "$m's own taint has E" ;;
		esac
		if [ "$said" = 1 ]; then
			skip_test "the log says: module verification failed" \
				"an unsigned module was loaded before: the kernel says it once a boot"
		else
			why="module verification failed: signature and/or required key missing"
			check "the log says: $m: $why" log_has "$m: $why"
		fi
		check "rmmod $m, loaded unsigned" rmmod "$m"
	fi
	check "the signed $m loads (modprobe)" modprobe "$m"
	case $(cat "/sys/module/$m/taint" 2>/dev/null) in
	*E*) not_ok "the signed $m has no E in its taint" ;;
	*) ok "the signed $m has no E in its taint" ;;
	esac
	check "rmmod $m" rmmod "$m"
}

# dyndbg: hello.c's pr_debug() line, off until dynamic debug turns it on:
# lkmdemo_hello.dyndbg on the command line (built in); dyndbg= on the
# modprobe line and /proc/dynamic_debug/control for the module, which is
# lkmdemo_hello when it is one, or else lkmdemo_outoftree (the same file).
dyndbg() {
	ctl=/proc/dynamic_debug/control
	line="pr_debug() is compiled out unless DEBUG or dynamic debug is on"
	if is_builtin $intree && cmdline_values $intree | grep -q '^dyndbg='; then
		check "built in, $intree.dyndbg=+p on the command line: its pr_debug() is logged" \
			klog_has "$intree: $line"
		check "$ctl shows the call site on (=p)" \
			grep -q "\[$intree\]hello_init =p" $ctl
	elif is_builtin $intree; then
		check "built in, no dyndbg on the command line: its pr_debug() is not logged" \
			klog_lacks "$intree: pr_debug"
	else
		skip_test "built in, dyndbg on the command line turns pr_debug() on" \
			"$intree is not built in"
	fi
	if ! is_builtin $intree && modprobe -n $intree 2>/dev/null; then
		mod=$intree
	elif modprobe -n $ext 2>/dev/null; then
		mod=$ext
	else
		skip_test "modprobe $intree dyndbg=+p turns its pr_debug() on" \
			"neither $intree nor $ext is a loadable module here"
		return
	fi
	if cmdline_values $mod | grep -q '^dyndbg='; then
		skip_test "modprobe $mod dyndbg=+p turns its pr_debug() on" \
			"the command line sets $mod.dyndbg, which applies to every load"
		return
	fi
	fresh $mod
	mark
	check "modprobe $mod" modprobe $mod
	check "no dyndbg: its pr_debug() line is not in the log" \
		log_lacks "$mod: pr_debug"
	check "$ctl lists the call site, off (=_)" \
		grep -q "\[$mod\]hello_init =_ " $ctl
	echo "module $mod +p" >$ctl
	check "echo 'module $mod +p' >$ctl turns it on (=p)" \
		grep -q "\[$mod\]hello_init =p " $ctl
	rmmod $mod
	mark
	check "modprobe $mod dyndbg=+p" modprobe $mod dyndbg=+p
	check "its pr_debug() line is in the log" log_has "$mod: $line"
	check "at level 7, KERN_DEBUG (dmesg -r)" \
		sh -c "dmesg -r -s 1048576 | grep -q '^<7>.*$mod: pr_debug'"
	check "$ctl shows it on (=p)" grep -q "\[$mod\]hello_init =p " $ctl
	check "rmmod $mod" rmmod $mod
}

# as_nobody CMD...: CMD as user and group 65534, with no supplementary
# group (and so no capability).
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

# without_cap_sys_module CMD...: CMD as root, but with CAP_SYS_MODULE
# taken out of the bounding set: the program CMD runs does not get it.
# shellcheck disable=SC2317 # called through $who
without_cap_sys_module() {
	setpriv --inh-caps=-sys_module --bounding-set=-sys_module "$@"
}

# eperm [WHO] TOOL ARGS...: TOOL (run by WHO, a function above) is
# refused with EPERM, and /proc/modules is as it was.
# shellcheck disable=SC2317 # called through check
eperm() {
	refused "Operation not permitted" "$@"
}

# caller_name WHO: WHO (a function above) in words.
caller_name() {
	case $1 in
	as_nobody) echo "user 65534" ;;
	without_cap_sys_module) echo "root without CAP_SYS_MODULE" ;;
	esac
}

# loads_refused WHAT FILE [WHO]: WHO (a function above, or root) is
# refused finit_module() and init_module() of FILE with EPERM; WHAT
# begins each test's name.
loads_refused() {
	what=$1
	f=$2
	shift 2
	check "$what finit_module() is refused with EPERM (kmod's insmod)" \
		eperm "$@" insmod "$f"
	check "$what init_module() is refused with EPERM (busybox insmod)" \
		eperm "$@" busybox insmod "$f"
}

# who_may_load MODULE FILE: only a caller with CAP_SYS_MODULE loads FILE
# (MODULE) or unloads MODULE. kmod's insmod calls finit_module(); busybox's
# calls finit_module() and, when that fails, init_module(), whose errno
# it prints; rmmod calls delete_module().
who_may_load() {
	m=$1
	f=$2
	for who in as_nobody without_cap_sys_module; do
		caller=$(caller_name $who)
		loads_refused "$caller:" "$f" $who
		check "$caller: nothing was loaded" test ! -d "/sys/module/$m"
	done
	check "root loads $m (insmod)" insmod "$f"
	for who in as_nobody without_cap_sys_module; do
		caller=$(caller_name $who)
		check "$caller: delete_module() is refused with EPERM (rmmod)" \
			eperm $who rmmod "$m"
		check "$caller: $m is still loaded" test -d "/sys/module/$m"
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

# lines_zeros FILE: how many addresses FILE has, and how many of them are
# not zero.
lines_zeros() {
	echo "$(wc -l <"$1") $(nonzero <"$1" | wc -l)"
}

# kallsyms MODULE: MODULE (loaded) in /proc/kallsyms, as root and not.
kallsyms() {
	m=$1
	if [ ! -r /proc/kallsyms ]; then
		skip_test "/proc/kallsyms lists the symbols of $m" \
			"no /proc/kallsyms (CONFIG_KALLSYMS)"
		return
	fi
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
		as_nobody cat /proc/kallsyms | addrs "$m" >"$ksft_tmp/nobody.addrs"
		expect_eq "user 65534 reads the $n symbols, with zeros for their addresses" \
			"$n 0" "$(lines_zeros "$ksft_tmp/nobody.addrs")"
	fi
	at_exit "echo $restrict >/proc/sys/kernel/kptr_restrict"
	echo 2 >/proc/sys/kernel/kptr_restrict
	addrs "$m" </proc/kallsyms >"$ksft_tmp/root.addrs"
	expect_eq "kptr_restrict=2: root reads the $n symbols with zeros too" \
		"$n 0" "$(lines_zeros "$ksft_tmp/root.addrs")"
	echo "$restrict" >/proc/sys/kernel/kptr_restrict
}

# lock_modules MODULE FILE: MODULE (in FILE) loads; then, once
# kernel.modules_disabled is 1, neither a load nor an unload is allowed,
# and the sysctl does not go back to 0.
lock_modules() {
	m=$1
	[ ! -d "/sys/module/$m" ] || rmmod "$m"
	check "before: root loads $m" insmod "$2"
	check "echo 1 >/proc/sys/kernel/modules_disabled" \
		sh -c "echo 1 >/proc/sys/kernel/modules_disabled"
	loads_refused "then" "$2"
	check "then delete_module() is refused with EPERM (rmmod)" eperm rmmod "$m"
	check "$m is still loaded" test -d "/sys/module/$m"
	check "echo 0 >/proc/sys/kernel/modules_disabled fails" \
		sh -c "! echo 0 >/proc/sys/kernel/modules_disabled 2>/dev/null"
	expect_eq "kernel.modules_disabled stays 1" 1 \
		"$(cat /proc/sys/kernel/modules_disabled)"
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

if [ -n "${LKMDEMO_OTHER_RELEASE_KO:-}" ]; then
	other_release "$LKMDEMO_OTHER_RELEASE_KO"
else
	skip_test "a module built for another release is refused" \
		"no module of another release given (LKMDEMO_OTHER_RELEASE_KO)"
fi

if [ -e /sys/module/module/parameters/sig_enforce ]; then
	signatures lkmdemo_smallest_library
else
	skip_test "module signatures" "the kernel has no CONFIG_MODULE_SIG"
fi

# After the signatures: a forced load is unsigned too, and the kernel
# says "module verification failed" once a boot.
if modinfo -F vermagic $intree $ext 2>/dev/null | grep -q modversions; then
	modversions
else
	skip_test "symbol CRCs: modversions" "the kernel has no CONFIG_MODVERSIONS"
fi

if [ -e /proc/dynamic_debug/control ]; then
	phase "dynamic debug"
	dyndbg
	phase
else
	skip_test "dynamic debug" "no /proc/dynamic_debug/control (CONFIG_DYNAMIC_DEBUG)"
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
	fresh "$m"
	who_may_load "$m" "$f"
	kallsyms "$m"
	check "rmmod $m, loaded by root after the refusals" rmmod "$m"
fi

if [ "${LKMDEMO_LOCK_MODULES:-0}" = 1 ]; then
	if f=$(elf_file); then
		lock_modules "$(modinfo -F name "$f")" "$f"
	else
		skip_test "kernel.modules_disabled=1 refuses loads and unloads" \
			"neither $ext nor $intree is a loadable, uncompressed module here"
	fi
fi
finish
