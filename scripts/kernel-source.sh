#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Obtain a kernel tree and commit it, untouched, as the base of the series:
# a git repository under the cache whose tag lkmdemo-base is the same
# commit on every machine (fixed identity and date).
#
#   kernel-source.sh [--kernel 6.12|6.1|DIR]
#
# 6.12 and 6.1 come from Debian's linux-source-* packages (installed when
# missing). A DIR is copied, never changed: a git work tree at its HEAD,
# anything else as it is on disk.
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,13s/^# \{0,1\}//p' "$0"
}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) LKMDEMO_KERNEL=${2:?--kernel needs a value}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done

is_kernel_tree() {
	[ -f "$1/Makefile" ] && [ -f "$1/Kconfig" ] &&
		[ -f "$1/scripts/kconfig/merge_config.sh" ] &&
		grep -q '^VERSION = ' "$1/Makefile"
}

repo=$(base_repo)
if git -C "$repo" rev-parse -q --verify lkmdemo-base >/dev/null 2>&1; then
	log "kernel source: $repo (lkmdemo-base $(git -C "$repo" rev-parse --short lkmdemo-base))"
	exit 0
fi

need_pkgs git xz-utils
rm -rf "$repo" "$repo.tmp"
mkdir -p "$repo.tmp"

case $LKMDEMO_KERNEL in
6.12|6.1)
	pkg=linux-source-$LKMDEMO_KERNEL
	need_pkgs "$pkg"
	tarball=/usr/src/$pkg.tar.xz
	[ -f "$tarball" ] || die "$pkg is installed but $tarball is missing"
	log "extracting $tarball"
	tar -xJf "$tarball" -C "$repo.tmp" --strip-components=1
	origin="Debian $pkg $(dpkg-query -W -f='${Version}' "$pkg")"
	;;
*)
	src=$LKMDEMO_KERNEL
	is_kernel_tree "$src" ||
		die "$src is not a kernel tree (no top Makefile with VERSION, Kconfig and scripts/kconfig)"
	if git -C "$src" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		log "exporting $src at $(git -C "$src" rev-parse --short HEAD)"
		git -C "$src" archive HEAD | tar -x -C "$repo.tmp"
		origin="$src at $(git -C "$src" rev-parse HEAD)"
	else
		log "copying $src"
		cp -a "$src/." "$repo.tmp/"
		origin="$src"
	fi
	;;
esac

is_kernel_tree "$repo.tmp" || die "$repo.tmp does not look like a kernel tree"
version=$(make -s -C "$repo.tmp" kernelversion 2>/dev/null) ||
	die "cannot read the kernel version of $repo.tmp"

# Debian's .gitignore ends with a packaging rule that ignores every
# top-level path, so add with -f: the base is exactly the extracted files.
log "committing Linux $version as the base"
git init -q -b lkmdemo-base-branch "$repo.tmp"
# The base commit leaves some 70000 loose objects, which would make the
# next git command pack them all in the background, minutes of CPU taken
# from the kernel builds; the repository lives in the cache, loose.
git -C "$repo.tmp" config gc.auto 0
lkmdemo_git -C "$repo.tmp" add -f -A .
lkmdemo_git -C "$repo.tmp" commit -q -m "Linux $version" -m "Pristine tree from $origin."
lkmdemo_git -C "$repo.tmp" tag lkmdemo-base
mv "$repo.tmp" "$repo"
log "kernel source: $repo (lkmdemo-base $(git -C "$repo" rev-parse --short lkmdemo-base))"
