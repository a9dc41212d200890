#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the guest's initramfs for one configuration: busybox, the real kmod
# tools (modprobe, modinfo, depmod, ...) with their libraries, the modules
# of the build, the lkmdemo selftests of the patched tree and scripts/guest.
#
#   initramfs.sh [--config y|m]
. "$(dirname "$0")/lib.sh"

config=y
while [ $# -gt 0 ]; do
	case $1 in
	--config) config=${2:?--config needs a value}; shift 2 ;;
	-h|--help) sed -n '4,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument: $1" ;;
	esac
done
[ "$LKMDEMO_ARCH" = x86_64 ] ||
	die "the initramfs is only made for x86_64 guests so far"

need_pkgs kmod cpio

# Debian's busybox-static runs its own applets before anything on PATH
# (its modprobe, not kmod's), so the guest uses the dynamic busybox of
# Debian's "busybox" package, unpacked into the cache.
busybox=$LKMDEMO_CACHE/debs/busybox/bin/busybox
if [ ! -x "$busybox" ]; then
	mkdir -p "$LKMDEMO_CACHE/debs"
	(cd "$LKMDEMO_CACHE/debs" && { apt-get download busybox ||
		{ apt-get update && apt-get download busybox; }; }) \
		>"$LKMDEMO_LOGS/busybox-download.log" 2>&1 ||
		die "cannot download Debian's busybox package; log: $LKMDEMO_LOGS/busybox-download.log"
	dpkg-deb -x "$(find "$LKMDEMO_CACHE/debs" -name 'busybox_*.deb' | sort | tail -n 1)" \
		"$LKMDEMO_CACHE/debs/busybox"
fi
out=$(build_dir "$config")
tree=$(patched_tree)
[ -f "$out/include/config/kernel.release" ] || die "no kernel built in $out (run scripts/build.sh --config $config)"
release=$(cat "$out/include/config/kernel.release")
root=$out/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,etc/modprobe.d,proc,sys,dev,tmp,lib,lib64} \
	"$root/sys/kernel/debug" "$root/lkmdemo/selftests"

cp "$busybox" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# kmod, and the libraries kmod and busybox link against, at the paths ld.so expects.
cp /bin/kmod "$root/bin/kmod"
for tool in modprobe modinfo depmod insmod rmmod lsmod; do
	rm -f "$root/bin/$tool" "$root/sbin/$tool"
	ln -s ../bin/kmod "$root/sbin/$tool"
done
for lib in $(ldd /bin/kmod "$busybox" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
					      $1 ~ /^\// && NF > 1 { print $1 }' | sort -u); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done

if [ -d "$out/modinst/lib/modules/$release" ]; then
	mkdir -p "$root/lib/modules"
	cp -a "$out/modinst/lib/modules/$release" "$root/lib/modules/"
	rm -f "$root/lib/modules/$release/build" "$root/lib/modules/$release/source"
	depmod -b "$root" "$release"
fi

cp -a "$tree/tools/testing/selftests/drivers/misc/lkmdemo/." "$root/lkmdemo/selftests/"
cp "$LKMDEMO_SCRIPTS/guest/init" "$root/init"
cp "$LKMDEMO_SCRIPTS/guest/demo.sh" "$root/lkmdemo/demo.sh"
mknod -m 600 "$root/dev/console" c 5 1

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out/initramfs.cpio"
log "initramfs: $out/initramfs.cpio ($(du -h "$out/initramfs.cpio" | cut -f1))"
