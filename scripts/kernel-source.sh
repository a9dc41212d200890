#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Obtain a kernel tree and commit it, untouched, as the base of the series:
# a git repository under the cache whose tag lkmdemo-base is the same
# commit on every machine (fixed identity and date).
#
#   kernel-source.sh [--kernel mainline|6.12|6.1|DIR]
#
# mainline is Debian's linux-source-$LKMDEMO_MAINLINE (lib.sh), the newest
# upload in unstable or experimental: its .deb alone is downloaded with a
# private apt configuration under the cache and unpacked there; nothing
# of those suites is installed or even known to the machine's apt.
# 6.12 and 6.1 come from Debian 12's linux-source-* packages (installed
# when missing). When Debian's version is not the one the cached base was
# made from, the base is made again. A DIR is copied, never changed: a
# git work tree at its HEAD, anything else as it is on disk.
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

# The mainline source: a private apt (its own sources, lists and cache
# under $LKMDEMO_CACHE/apt) that knows unstable and experimental and is
# only ever asked to download linux-source-$LKMDEMO_MAINLINE.
mapt_dir=$LKMDEMO_CACHE/apt
mapt() {
	local cmd=$1
	shift
	"$cmd" -o Dir::Etc::SourceList="$mapt_dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts=/dev/null \
		-o Dir::State::Lists="$mapt_dir/lists" \
		-o Dir::Cache="$mapt_dir/cache" \
		-o APT::Architectures::=amd64 -o APT::Sandbox::User=root "$@"
}

# mainline_version: the newest upload of linux-source-$LKMDEMO_MAINLINE in
# unstable and experimental. The package lists are read again when they
# were read more than an hour ago (the stamp file says when), so that the
# legs of one run see the same upload. When the lists cannot be read and
# a base was made before, that base is used, with a line saying so. When
# the release is gone from Debian, one line says so and names the change
# to make.
mainline_version() {
	local pkg=linux-source-$LKMDEMO_MAINLINE v newer
	mkdir -p "$mapt_dir/lists/partial" "$mapt_dir/cache/archives/partial"
	cat >"$mapt_dir/sources.list" <<-EOF
	deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian unstable main
	deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian experimental main
	EOF
	if [ -z "$(find "$mapt_dir/lists.stamp" -mmin -60 2>/dev/null)" ]; then
		if mapt apt-get -q update >"$LKMDEMO_LOGS/apt-mainline.log" 2>&1; then
			touch "$mapt_dir/lists.stamp"
		elif git -C "$(base_repo)" config lkmdemo.origin >/dev/null 2>&1; then
			log "kernel source: cannot read Debian's package lists (log: $LKMDEMO_LOGS/apt-mainline.log); keeping the base made before"
			git -C "$(base_repo)" config lkmdemo.origin | sed 's/.* //'
			return 0
		else
			die "cannot read Debian's unstable and experimental package lists; log: $LKMDEMO_LOGS/apt-mainline.log"
		fi
	fi
	v=
	for x in $(mapt apt-cache madison "$pkg" 2>/dev/null | awk -F' *[|] *' '{print $2}'); do
		if [ -z "$v" ] || dpkg --compare-versions "$x" gt "$v"; then
			v=$x
		fi
	done
	if [ -z "$v" ]; then
		newer=$(mapt apt-cache pkgnames linux-source- 2>/dev/null |
			sed -n 's/^linux-source-\([0-9][0-9.]*\)$/\1/p' | sort -V | tail -n 1)
		die "$pkg is no longer in Debian's unstable or experimental${newer:+ (they have linux-source-$newer)}: set LKMDEMO_MAINLINE=${newer:-the new release} in scripts/lib.sh and run scripts/series.sh to make patches/ for it"
	fi
	echo "$v"
}

# wanted_origin: where the base of the selected kernel comes from, as its
# commit message says it ("Debian PACKAGE VERSION"); empty for a DIR.
wanted_origin() {
	local pkg v
	case $(kernel_id) in
	"$LKMDEMO_MAINLINE")
		v=$(mainline_version) || exit 1
		echo "Debian linux-source-$LKMDEMO_MAINLINE $v" ;;
	6.12|6.1)
		pkg=linux-source-$LKMDEMO_KERNEL
		need_pkgs "$pkg"
		echo "Debian $pkg $(dpkg-query -W -f='${Version}' "$pkg")" ;;
	esac
}

repo=$(base_repo)
origin=$(wanted_origin) || exit 1
if git -C "$repo" rev-parse -q --verify lkmdemo-base >/dev/null 2>&1; then
	have=$(git -C "$repo" config lkmdemo.origin || true)
	if [ -z "$origin" ] || [ "$have" = "$origin" ]; then
		log "kernel source: $repo (lkmdemo-base $(git -C "$repo" rev-parse --short lkmdemo-base), ${have:-$LKMDEMO_KERNEL})"
		exit 0
	fi
	log "kernel source: Debian has moved from ${have#Debian } to ${origin#Debian }: making the base again"
fi

need_pkgs git xz-utils
rm -rf "$repo" "$repo.tmp"
mkdir -p "$repo.tmp"

case $(kernel_id) in
"$LKMDEMO_MAINLINE")
	pkg=linux-source-$LKMDEMO_MAINLINE
	v=${origin##* }
	rm -f "$mapt_dir"/*.deb
	log "downloading $pkg $v (the .deb alone, not installed)"
	(cd "$mapt_dir" && mapt apt-get -q download "$pkg=$v") \
		>"$LKMDEMO_LOGS/apt-mainline-download.log" 2>&1 ||
		die "cannot download $pkg $v; log: $LKMDEMO_LOGS/apt-mainline-download.log"
	log "extracting $pkg $v"
	dpkg-deb --fsys-tarfile "$mapt_dir"/"${pkg}"_*.deb |
		tar -xO "./usr/src/$pkg.tar.xz" | tar -xJ -C "$repo.tmp" --strip-components=1
	rm -f "$mapt_dir"/*.deb
	;;
6.12|6.1)
	pkg=linux-source-$LKMDEMO_KERNEL
	tarball=/usr/src/$pkg.tar.xz
	[ -f "$tarball" ] || die "$pkg is installed but $tarball is missing"
	log "extracting $tarball"
	tar -xJf "$tarball" -C "$repo.tmp" --strip-components=1
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
git -C "$repo.tmp" config lkmdemo.origin "$origin"
mv "$repo.tmp" "$repo"
log "kernel source: $repo (lkmdemo-base $(git -C "$repo" rev-parse --short lkmdemo-base))"
