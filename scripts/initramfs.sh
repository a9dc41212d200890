#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the guest's initramfs for one configuration: busybox, the real kmod
# tools (modprobe, modinfo, depmod, ...) and util-linux's setpriv with
# their libraries, the modules of the build, the lkmdemo selftests of the
# patched tree and scripts/guest.
# For an x86_64 guest the tools are the host's; for arm64 and i386 they
# come from Debian's packages of that architecture, unpacked into the cache.
#
#   initramfs.sh [--config y|m|nomodules|debug|mixed]
. "$(dirname "$0")/lib.sh"

config=y
while [ $# -gt 0 ]; do
	case $1 in
	--config) config=${2:?--config needs a value}; shift 2 ;;
	-h|--help) sed -n '4,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument: $1" ;;
	esac
done
kernel_arch >/dev/null

# shellcheck disable=SC2046 # one word per package
need_pkgs kmod cpio binutils rsync make $(guest_cc_pkgs)

# fetch_debs DIR PKG...: Debian's packages PKG (for the guest's
# architecture) unpacked into DIR, once.
fetch_debs() {
	local dir=$1 p
	shift
	[ -f "$dir/.done" ] && return 0
	rm -rf "$dir" "$dir.debs"
	mkdir -p "$dir.debs"
	(
		# Lists older than a new foreign architecture lack its
		# packages; other lists may just be old.
		if [ -f "$LKMDEMO_CACHE/.apt-lists-stale" ] && apt_update; then
			rm -f "$LKMDEMO_CACHE/.apt-lists-stale"
		fi
		cd "$dir.debs"
		apt-get download "$@" ||
			{ apt_update; apt-get download "$@"; }
	) >"$LKMDEMO_LOGS/debs-download.log" 2>&1 ||
		die "cannot download Debian's $*; log: $LKMDEMO_LOGS/debs-download.log"
	for p in "$dir.debs"/*.deb; do
		dpkg-deb -x "$p" "$dir"
	done
	rm -rf "$dir.debs"
	touch "$dir/.done"
}

# Debian's busybox-static runs its own applets before anything on PATH
# (its modprobe, not kmod's), so the guest uses the dynamic busybox of
# Debian's "busybox" package, unpacked into the cache.
case $LKMDEMO_ARCH in
x86_64)
	userland=$LKMDEMO_CACHE/debs/busybox
	fetch_debs "$userland" busybox
	kmod=/bin/kmod
	setpriv=/usr/bin/setpriv
	;;
*)
	# The guest's busybox, kmod and what they link against, built for
	# its architecture; apt needs the foreign architecture for that.
	a=$LKMDEMO_ARCH
	need_foreign_arch "$a"
	userland=$LKMDEMO_CACHE/debs/$a
	fetch_debs "$userland" "busybox:$a" "kmod:$a" "libkmod2:$a" \
		"libc6:$a" "liblzma5:$a" "libssl3:$a" "libzstd1:$a"
	kmod=$userland/bin/kmod
	# setpriv (loading.sh runs commands as another user, or without a
	# capability) and its library, in a directory of their own.
	fetch_debs "$userland-setpriv" "util-linux:$a" "libcap-ng0:$a"
	setpriv=$userland-setpriv/usr/bin/setpriv
	;;
esac
busybox=$userland/bin/busybox
[ -x "$busybox" ] || die "no busybox in $userland"
out=$(build_dir "$config")
tree=$(patched_tree)
[ -f "$out/include/config/kernel.release" ] || die "no kernel built in $out (run scripts/build.sh --config $config)"
release=$(cat "$out/include/config/kernel.release")

# The same inputs (the modules, the tree's selftests, the guest scripts,
# the tools and libraries) make the same archive: keep it.
mods=$out/modinst
[ -d "$mods" ] || mods=$out/modules.builtin
[ -e "$mods" ] || mods=/dev/null
ikey=$( { echo "$release"; tree_key "$tree"; "$(guest_cc_prefix)gcc" --version
	  dpkg-query -W libc6 kmod; } |
	inputs_key "$0" "$LKMDEMO_SCRIPTS/lib.sh" "$LKMDEMO_SCRIPTS/guest" "$busybox" "$kmod" \
		"$setpriv" "$mods")
if [ "$LKMDEMO_FRESH" != 1 ] && [ -f "$out/initramfs.cpio" ] &&
   [ "$(cat "$out/initramfs.stamp" 2>/dev/null)" = "$ikey" ]; then
	log "initramfs: $out/initramfs.cpio, unchanged"
	exit 0
fi
rm -f "$out/initramfs.stamp"
root=$out/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,etc/modprobe.d,proc,sys,dev,tmp,lib,lib64} \
	"$root/sys/kernel/debug" "$root/lkmdemo/selftests"

cp "$busybox" "$root/bin/busybox"
# The applets: a foreign busybox may not run here, so ask the host's
# build of the same Debian package (same version, same configuration).
host_busybox=$LKMDEMO_CACHE/debs/busybox/bin/busybox
[ "$LKMDEMO_ARCH" = x86_64 ] || fetch_debs "$LKMDEMO_CACHE/debs/busybox" busybox
applets=$("$host_busybox" --list)
for applet in $applets; do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# kmod and setpriv (busybox's has no --reuid), and the libraries they
# and busybox link against, at the paths ld.so expects.
cp "$kmod" "$root/bin/kmod"
rm -f "$root/bin/setpriv"
cp "$setpriv" "$root/bin/setpriv"
for tool in modprobe modinfo depmod insmod rmmod lsmod; do
	rm -f "$root/bin/$tool" "$root/sbin/$tool"
	ln -s ../bin/kmod "$root/sbin/$tool"
done
if [ "$LKMDEMO_ARCH" = x86_64 ]; then
	libs=$(ldd /bin/kmod "$setpriv" "$busybox" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
					     $1 ~ /^\// && NF > 1 { print $1 }' | sort -u)
	for lib in $libs; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
else
	# No ldd for a foreign binary: follow the ELF interpreter and the
	# DT_NEEDED entries, looked up in the unpacked packages.
	interp=$(readelf -l "$kmod" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	mkdir -p "$root$(dirname "$interp")"
	cp -L "$userland$interp" "$root$interp"
	todo=("$kmod" "$setpriv" "$busybox")
	seen=
	while [ "${#todo[@]}" -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for need in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case " $seen " in *" $need "*) continue ;; esac
			seen="$seen $need"
			lib=$(find "$userland/lib" "$userland/usr/lib" "$userland-setpriv/lib" \
				   "$userland-setpriv/usr/lib" -name "$need" 2>/dev/null | head -n 1)
			[ -n "$lib" ] || die "$need (needed by $f) is not in $userland"
			dest=${lib#"$userland-setpriv"}
			dest=${dest#"$userland"}
			mkdir -p "$root$(dirname "$dest")"
			cp -L "$lib" "$root$dest"
			todo+=("$lib")
		done
	done
fi

if [ -d "$out/modinst/lib/modules/$release" ]; then
	mkdir -p "$root/lib/modules"
	cp -a "$out/modinst/lib/modules/$release" "$root/lib/modules/"
	rm -f "$root/lib/modules/$release/build" "$root/lib/modules/$release/source"
	depmod -b "$root" "$release"
	# A module built for another release (outoftree.sh), for loading.sh.
	if [ -d "$out/modinst/other-release" ]; then
		cp -a "$out/modinst/other-release" "$root/lkmdemo/"
	fi
elif [ -f "$out/modules.builtin" ]; then
	# No modules (CONFIG_MODULES=n): the list of what is built in still
	# tells the tests which modules they can expect.
	mkdir -p "$root/lib/modules/$release"
	cp "$out/modules.builtin" "$root/lib/modules/$release/"
fi

# The selftests as the kselftest framework installs them (make install
# of tools/testing/selftests with TARGETS=drivers/misc/lkmdemo): their
# files and kselftest-list.txt, which the guest runs in order. The C ones
# are compiled for the guest, in O= (the tree stays clean), against the
# uapi headers of this tree, which "make headers" installs in
# $out/usr/include.
ksi=$out/kselftest-install
rm -rf "$ksi"
klog=$LKMDEMO_LOGS/kselftest-install-$config.log
kcmd=(make -s -C "$tree/tools/testing/selftests" O="$out" ARCH="$(kernel_arch)"
      CROSS_COMPILE="$(guest_cc_prefix)" TARGETS=drivers/misc/lkmdemo
      INSTALL_PATH="$ksi" install)
{ kmake "$tree" "$out" headers && "${kcmd[@]}"; } >"$klog" 2>&1 ||
	die "the selftests' install failed: $(quoted "${kcmd[@]}"); log: $klog"
if grep -E '(warning|error):' "$klog"; then
	die "the selftests compile with warnings: $(quoted "${kcmd[@]}"); log: $klog"
fi
grep -q '^drivers/misc/lkmdemo:' "$ksi/kselftest-list.txt" ||
	die "the kselftest install lists no lkmdemo test: $ksi/kselftest-list.txt"
cp -a "$ksi/drivers/misc/lkmdemo/." "$root/lkmdemo/selftests/"
sed -n 's|^drivers/misc/lkmdemo:||p' "$ksi/kselftest-list.txt" >"$root/lkmdemo/selftests/list"
cp "$LKMDEMO_SCRIPTS/guest/init" "$root/init"
cp "$LKMDEMO_SCRIPTS/guest/demo.sh" "$root/lkmdemo/demo.sh"
mknod -m 600 "$root/dev/console" c 5 1

# The same files make the same bytes: one date, no inode numbers.
find "$root" -exec touch -h -d "$LKMDEMO_GIT_DATE" {} +
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) >"$out/initramfs.cpio"
echo "$ikey" >"$out/initramfs.stamp"
log "initramfs: $out/initramfs.cpio ($(du -h "$out/initramfs.cpio" | cut -f1))"
