#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build hello.c out of tree, as Documentation/misc-devices/lkmdemo/
# loading.rst tells a learner to: the file copied into a directory of its
# own with a two-line Kbuild, then make -C <the kernel's build directory>
# M=<that directory>, for the kernel build.sh built (cross-built for
# another architecture). Checks what the build left and the .ko's
# sections, then installs it beside the kernel's modules (make
# modules_install M=...), where initramfs.sh takes it for the guest's
# loading.sh.
# With CONFIG_MODVERSIONS (debug) it also builds lkmdemo_symbols_stale:
# symbols_consumer.c built against a copy of the provider whose
# lkmdemo_symbols_add() returns long, not int (another CRC), installed
# alone: the kernel refuses it beside the real provider. And it keeps a
# copy of the y kernel's lkmdemo_outoftree.ko, a module of another
# release, in modinst/other-release/ (initramfs.sh puts it in the guest).
#
#   outoftree.sh --config y|m|debug|mixed [--results FILE]
#
# The same hello.c, kernel build and script passed before: its results
# are replayed and the installed module kept.
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,/^[^#]/s/^# \{0,1\}//p' "$0"
}

config=
while [ $# -gt 0 ]; do
	case $1 in
	--config) config=${2:?--config needs a value}; shift 2 ;;
	--results) LKMDEMO_RESULTS=${2:?--results needs a file}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
check_config_name "$config"
: "${LKMDEMO_RESULTS:=$LKMDEMO_LOGS/outoftree-results.txt}"

tree=$(patched_tree)
out=$(build_dir "$config")
[ -f "$out/include/config/kernel.release" ] ||
	die "no kernel built in $out (run scripts/build.sh --config $config)"
grep -q '^CONFIG_MODULES=y' "$out/.config" ||
	die "$out is a kernel without CONFIG_MODULES: nothing can be loaded there"
release=$(cat "$out/include/config/kernel.release")
id=$(kernel_id)-$LKMDEMO_ARCH-$config
name=lkmdemo_outoftree
src=$tree/drivers/misc/lkmdemo/hello.c
dir=$LKMDEMO_CACHE/work/outoftree/$id
logf=$LKMDEMO_LOGS/outoftree-$id.log
what="$id: out of tree"

# What a learner runs: make in the kernel's build directory, M= their own.
cross=$(cross_prefix)
emake=(make -C "$out" M="$dir" ARCH="$(kernel_arch)" ${cross:+CROSS_COMPILE=$cross}
       CC="ccache ${cross}gcc" HOSTCC="ccache gcc")

# installed_ko: where modules_install put $name.ko, if it did.
installed_ko() {
	find "$out/modinst/lib/modules/$release" -name "$name.ko" 2>/dev/null | head -n 1
}

modversions=0
grep -q '^CONFIG_MODVERSIONS=y' "$out/.config" && modversions=1
other=
if [ "$modversions" = 1 ] && [ "$config" != y ]; then
	other=$LKMDEMO_CACHE/work/outoftree/$(kernel_id)-$LKMDEMO_ARCH-y/$name.ko
	if [ ! -f "$other" ]; then
		# A run of this configuration alone: loading.sh skips that part.
		log "no module of another release: $other is built with the y kernel (outoftree.sh --config y)"
		other=
	fi
fi
key=$( { sha1sum <"$src"; cat "$out/.build.stamp" 2>/dev/null || date +%s%N
	 printf '%s\n' "${emake[@]}"
	 [ "$modversions" = 0 ] || cat "$tree/drivers/misc/lkmdemo/"symbols*; } |
       inputs_key "$0" "$LKMDEMO_SCRIPTS/lib.sh" ${other:+"$other"})
installed=$(installed_ko)
[ -z "$other" ] || [ -f "$out/modinst/other-release/$name.ko" ] || installed=
if when=$(passed_before outoftree "$key") && [ -n "$installed" ] && [ -s "$dir/passed" ]; then
	log "$what: replayed (the same hello.c and kernel build passed on $when)"
	sed "s/\$/ (cached: passed $when)/" "$dir/passed" | while IFS= read -r l; do
		pass "$l"
	done
	exit 0
fi

rm -rf "$dir"
mkdir -p "$dir"
cp "$src" "$dir/hello.c"
printf '%s\n' "obj-m := $name.o" "$name-y := hello.o" >"$dir/Kbuild"
: >"$dir/passed"
ok() {
	pass "$1"
	echo "$1" >>"$dir/passed"
}
bad=0
no() {
	fail "$1" "${2:-}"
	bad=1
}

rc=0
"${emake[@]}" W=1 >"$logf" 2>&1 || rc=$?
desc="$what: make -C <build dir> M=<dir> W=1 builds $name.ko from hello.c and a two-line Kbuild, without a warning"
if [ "$rc" -ne 0 ] || [ ! -f "$dir/$name.ko" ]; then
	no "$desc" "exit $rc; log: $logf; rerun: $(quoted "${emake[@]}") W=1"
	exit 0
elif grep -qiE 'warning:|error:' "$logf"; then
	no "$desc" "$(grep -iE 'warning:|error:' "$logf"); log: $logf"
else
	ok "$desc"
fi

# What the build leaves: the object of each source and the module's
# object, the generated .mod.c (and its object) and .mod, the .ko, and
# the lists a later build reads (Module.symvers, modules.order).
absent=
for f in hello.o "$name.o" "$name.mod" "$name.mod.c" "$name.mod.o" "$name.ko" \
	 Module.symvers modules.order; do
	[ -e "$dir/$f" ] || absent="$absent $f"
done
if [ -z "$absent" ]; then
	ok "$what: the build left $name.mod.c, .mod, .ko, Module.symvers and modules.order"
else
	no "$what: the build left $name.mod.c, .mod, .ko, Module.symvers and modules.order" \
		"missing in $dir:$absent"
fi
# modules.order names the module (its .o, or its .ko before Linux 6.2).
if grep -qE "(^|/)$name\.k?o\$" "$dir/modules.order"; then
	ok "$what: modules.order names $name"
else
	no "$what: modules.order names $name" "$dir/modules.order: $(cat "$dir/modules.order")"
fi

# The sections a loader reads: .modinfo (the tags), this_module (struct
# module), __versions (the CRCs, with CONFIG_MODVERSIONS only).
secs=$(readelf -S -W "$dir/$name.ko" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\).*/\1/p')
want=(.modinfo .gnu.linkonce.this_module)
absent=
for s in "${want[@]}"; do
	grep -qx -- "$s" <<<"$secs" || absent="$absent $s"
done
if grep -q '^CONFIG_MODVERSIONS=y' "$out/.config"; then
	grep -qx __versions <<<"$secs" || absent="$absent __versions"
	vers="and __versions (CONFIG_MODVERSIONS)"
else
	grep -qx __versions <<<"$secs" && absent="$absent (a __versions section without CONFIG_MODVERSIONS)"
	vers="and no __versions (no CONFIG_MODVERSIONS)"
fi
if [ -z "$absent" ]; then
	ok "$what: readelf -S: $name.ko has ${want[*]} $vers"
else
	no "$what: readelf -S: $name.ko has ${want[*]} $vers" "missing:$absent"
fi

# modinfo: no intree tag (modpost gives it to in-tree modules only), and
# the version magic of the kernel it was built against.
tags=$(modinfo "$dir/$name.ko")
if grep -q '^intree:' <<<"$tags"; then
	no "$what: modinfo shows no intree tag" "$tags"
else
	ok "$what: modinfo shows no intree tag"
fi
vm=$(modinfo -F vermagic "$dir/$name.ko")
if [ "${vm%% *}" = "$release" ]; then
	ok "$what: modinfo: vermagic starts with the kernel's release ($release)"
else
	no "$what: modinfo: vermagic starts with the kernel's release ($release)" "vermagic: $vm"
fi

# Installed beside the kernel's modules: lib/modules/RELEASE/updates
# (extra before Linux 6.5), which depmod searches too.
rc=0
"${emake[@]}" INSTALL_MOD_PATH="$out/modinst" INSTALL_MOD_STRIP=1 DEPMOD=true \
	modules_install >>"$logf" 2>&1 || rc=$?
installed=$(installed_ko)
if [ "$rc" -eq 0 ] && [ -n "$installed" ]; then
	ok "$what: make M=<dir> modules_install puts it in ${installed#"$out/modinst/"}"
else
	no "$what: make M=<dir> modules_install installs $name.ko" "exit $rc; log: $logf"
fi
# The stale consumer: symbols_consumer.c built against a provider whose
# lkmdemo_symbols_add() changed its type, so its __versions holds a CRC
# that the kernel's provider does not have.
theirs=
[ "$modversions" = 0 ] ||
	theirs=$(awk '$2 == "lkmdemo_symbols_add" { print $1 }' "$out/Module.symvers")
desc="$what: lkmdemo_symbols_stale, built against a changed lkmdemo_symbols_add(), has a CRC for it the kernel's provider does not"
if [ "$modversions" = 1 ] && [ -z "$theirs" ]; then
	# Quick mode without the symbols modules (--modules).
	skip "$desc" "the kernel has no lkmdemo_symbols_add (lkmdemo_symbols_provider is neither built in nor loadable)"
elif [ "$modversions" = 1 ]; then
	sdir=$dir-stale
	rm -rf "$sdir"
	mkdir -p "$sdir"
	cp "$tree/drivers/misc/lkmdemo/"{symbols.h,symbols_provider.c,symbols_consumer.c} "$sdir/"
	sed -i 's/^int lkmdemo_symbols_add(/long lkmdemo_symbols_add(/' \
		"$sdir/symbols.h" "$sdir/symbols_provider.c"
	printf '%s\n' "obj-m := lkmdemo_symbols_changed.o lkmdemo_symbols_stale.o" \
		"lkmdemo_symbols_changed-y := symbols_provider.o" \
		"lkmdemo_symbols_stale-y := symbols_consumer.o" >"$sdir/Kbuild"
	smake=(make -C "$out" M="$sdir" "${emake[@]:4}")
	rc=0
	"${smake[@]}" >>"$logf" 2>&1 || rc=$?
	mine=
	[ "$rc" -ne 0 ] ||
		mine=$(modprobe --dump-modversions "$sdir/lkmdemo_symbols_stale.ko" 2>/dev/null |
		       awk '$2 == "lkmdemo_symbols_add" { print $1 }') || true
	if [ "$rc" -ne 0 ]; then
		no "$desc" "exit $rc; log: $logf"
	elif [ -z "$mine" ] || [ -z "$theirs" ] || [ $((mine)) -eq $((theirs)) ]; then
		no "$desc" "its CRC: '$mine', Module.symvers: '$theirs'"
	else
		ok "$desc ($mine, not $theirs)"
		# Installed (and signed) as the learner's module is; the
		# changed provider is not: the kernel's is the one it meets.
		rc=0
		"${smake[@]}" INSTALL_MOD_PATH="$out/modinst" INSTALL_MOD_STRIP=1 DEPMOD=true \
			modules_install >>"$logf" 2>&1 || rc=$?
		find "$out/modinst/lib/modules/$release" -name lkmdemo_symbols_changed.ko -delete
		if [ "$rc" -ne 0 ] ||
		   [ -z "$(find "$out/modinst/lib/modules/$release" -name lkmdemo_symbols_stale.ko)" ]; then
			no "$what: make M=<dir> modules_install installs lkmdemo_symbols_stale.ko" "exit $rc; log: $logf"
		fi
	fi
fi
if [ -n "$other" ]; then
	rm -rf "$out/modinst/other-release"
	mkdir -p "$out/modinst/other-release"
	cp "$other" "$out/modinst/other-release/"
fi
[ "$bad" = 1 ] || mark_passed outoftree "$key"
log "$what: $name.ko built and installed ($(du -h "$dir/$name.ko" | cut -f1))"
