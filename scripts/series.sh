#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate the patch series from the mirrors, check it, apply it.
#
#   series.sh [--kernel 6.12|6.1|DIR] [--check] [--out DIR]
#   series.sh [--kernel ...] --apply
#   series.sh --install KERNEL_TREE
#
# Default: regenerate patches/ (for 6.12; other kernels to --out, default
# $LKMDEMO_CACHE/patches-<kernel>). --check: exit non-zero when patches/
# differs from what the mirrors give. --apply: git am the series onto the
# base and check the result out in the build tree. --install: the
# copy-and-snippets route: copy the mirrors into KERNEL_TREE and apply the
# snippets (changes that tree).
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,16s/^# \{0,1\}//p' "$0"
}

action=generate
outdir=
install_dir=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) LKMDEMO_KERNEL=${2:?--kernel needs a value}; shift 2 ;;
	--check) action=check; shift ;;
	--apply) action=apply; shift ;;
	--out) outdir=${2:?--out needs a value}; shift 2 ;;
	--install) action=install; install_dir=${2:?--install needs a tree}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done

manifest=$LKMDEMO_SCRIPTS/series/manifest
top=$LKMDEMO_TOP

# mirror PATH: where the repository keeps kernel file PATH.
mirror() {
	case $1 in
	drivers/misc/lkmdemo/*) echo "$top/drivers-misc-lkmdemo/${1#drivers/misc/lkmdemo/}" ;;
	tools/testing/selftests/drivers/misc/lkmdemo/*)
		echo "$top/tools-testing-selftests-drivers-misc-lkmdemo/${1#tools/testing/selftests/drivers/misc/lkmdemo/}" ;;
	Documentation/*) echo "$top/$1" ;;
	*) die "manifest: no mirror for $1" ;;
	esac
}

patches() {
	awk '$1 == "patch" {print $2}' "$manifest"
}

# entries PATCH KIND: the "file" or "hook" lines of one patch.
entries() {
	awk -v p="$1" -v k="$2" '$1 == "patch" {cur = $2} cur == p && $1 == k {print $2}' "$manifest"
}

# filter_owned KIND LATER: print stdin without what the patches in LATER
# (a space-separated list) add. KIND "kconfig" judges whole entries by
# their first line, anything else judges line by line.
filter_owned() {
	awk -v kind="$1" -v later="$2" '
	BEGIN {
		n = split(later, names, " ")
		re = ""
		for (i = 1; i <= n; i++)
			re = re (re ? "|" : "") names[i]
		re = "(^|[^a-z])(" re ")([^a-z]|$)"
	}
	function owned(s) { return n && tolower(s) ~ re }
	kind == "kconfig" {
		if ($0 ~ /^(menuconfig|config|if|endif|menu|endmenu|comment|source|choice|endchoice)([ \t]|$)/)
			skip = owned($0)
		if (!skip)
			print
		next
	}
	# Line by line, one blank line stands for any run of them, and none
	# ends the file: a withheld block leaves no gap behind.
	owned($0) { next }
	/^$/ { blank = 1; next }
	{ if (blank && printed) print ""; blank = 0; printed = 1; print }'
}

# lay_state TREE N: write into TREE the files of the first N patches.
lay_state() {
	local tree=$1 n=$2 i=0 p later="" path src
	for p in $(patches); do
		i=$((i + 1))
		[ "$i" -gt "$n" ] && [ "$p" != core ] && later="$later $p"
	done
	i=0
	for p in $(patches); do
		i=$((i + 1))
		[ "$i" -le "$n" ] || break
		for path in $(entries "$p" file); do
			src=$(mirror "$path")
			[ -f "$src" ] || die "manifest: $path: no file $src"
			mkdir -p "$tree/$(dirname "$path")"
			case $path in
			*/Kconfig) filter_owned kconfig "$later" <"$src" >"$tree/$path" ;;
			*) filter_owned lines "$later" <"$src" >"$tree/$path" ;;
			esac
			chmod --reference="$src" "$tree/$path"
		done
		for path in $(entries "$p" hook); do
			apply_hook "$tree" "$path" "$later"
		done
	done
}

# apply_hook TREE PATH LATER: add lkmdemo to one kernel file of TREE,
# restored from the base first so that this can run again.
apply_hook() {
	git -C "$1" show "lkmdemo-base:$2" >"$1/$2" 2>/dev/null ||
		die "the base tree has no $2"
	hook_file "$2" "$1/$2" "$3"
}

# hook_file PATH FILE LATER: add lkmdemo to FILE, the kernel's PATH.
hook_file() {
	local path=$1 f=$2 later=$3
	case $path in
	drivers/misc/Kconfig)
		# before the last endmenu: the end of the "Misc devices" menu
		awk -v snip="$top/Kconfig.snippet" '
			{ line[NR] = $0 } /^endmenu/ { last = NR }
			END { for (i = 1; i <= NR; i++) {
				if (i == last) while ((getline s < snip) > 0) print s
				print line[i] } }' "$f" >"$f.new" ;;
	drivers/misc/Makefile)
		cat "$f" "$top/Makefile.snippet" >"$f.new" ;;
	Documentation/misc-devices/index.rst)
		# into the toctree, in alphabetical order
		awk 'function emit() { if (!done) { print "   lkmdemo/index"; done = 1 } }
		     /^\.\. toctree::/ { intoc = 1 }
		     intoc && /^   [a-z0-9]/ && $1 > "lkmdemo/index" { emit() }
		     intoc && /^[^ ]/ && !/^\.\. toctree::/ { emit(); intoc = 0 }
		     { print } END { if (intoc) emit() }' "$f" >"$f.new" ;;
	MAINTAINERS)
		# before the first entry whose title sorts after ours
		filter_owned lines "$later" <"$top/MAINTAINERS.snippet" >"$f.snip"
		awk -v snip="$f.snip" '
			BEGIN { getline title < snip; close(snip) }
			/^[A-Z0-9].*/ && prev == "" && started && !done && $0 > title {
				while ((getline s < snip) > 0) print s
				print ""
				done = 1
			}
			/^3C59X NETWORK DRIVER/ { started = 1 }
			{ print; prev = $0 }' "$f" >"$f.new"
		rm -f "$f.snip" ;;
	*) die "manifest: no hook for $path" ;;
	esac
	mv "$f.new" "$f"
}

# worktree DIR [sparse]: a detached work tree of the base repository at
# DIR; sparse: only the directories the series writes in are checked out,
# with a sparse index (some hundred files instead of 70000), enough to
# commit the series and format it.
worktree() {
	local repo
	repo=$(base_repo)
	if [ ! -e "$1/.git" ]; then
		rm -rf "$1"
		mkdir -p "$(dirname "$1")"
		git -C "$repo" worktree prune
		git -C "$repo" worktree add -q --detach ${2:+--no-checkout} "$1" lkmdemo-base
	fi
	if [ "${2:-}" = sparse ]; then
		awk '$1 == "file" || $1 == "hook" {
			d = $2; if (sub(/\/[^\/]*$/, "", d)) print d }' "$manifest" |
			sort -u | git -C "$1" sparse-checkout set --cone --sparse-index --stdin
	fi
}

# generate OUTDIR: commit every patch on the base and format the series.
generate() {
	local out=$1 work n i=0 p
	work=$LKMDEMO_CACHE/work/series-$(kernel_id)
	worktree "$work" sparse
	lkmdemo_git -C "$work" checkout -q -f --detach lkmdemo-base
	lkmdemo_git -C "$work" clean -q -f -d -x
	n=$(patches | wc -l)
	for p in $(patches); do
		i=$((i + 1))
		[ -f "$LKMDEMO_SCRIPTS/series/$p.msg" ] || die "no commit message series/$p.msg"
		lay_state "$work" "$i"
		lkmdemo_git -C "$work" add -f -A .
		lkmdemo_git -C "$work" commit -q -s -F "$LKMDEMO_SCRIPTS/series/$p.msg"
	done
	lkmdemo_git -C "$work" branch -f lkmdemo-series HEAD
	lkmdemo_git -C "$work" config branch.lkmdemo-series.description \
		"$(cat "$LKMDEMO_SCRIPTS/series/cover.msg")"
	lkmdemo_git -C "$work" checkout -q lkmdemo-series
	rm -rf "$out"
	mkdir -p "$out"
	lkmdemo_git -C "$work" format-patch -q --cover-letter \
		--cover-from-description=subject --base=lkmdemo-base \
		--no-signature --numbered --full-index -o "$out" "lkmdemo-base..lkmdemo-series"
	[ "$(find "$out" -name '*.patch' | wc -l)" -eq $((n + 1)) ] ||
		die "format-patch did not write $((n + 1)) patches to $out"
}

default_out() {
	if [ "$(kernel_id)" = 6.12 ]; then
		echo "$top/patches"
	else
		echo "$LKMDEMO_CACHE/patches-$(kernel_id)"
	fi
}

"$LKMDEMO_SCRIPTS/kernel-source.sh" --kernel "$LKMDEMO_KERNEL"
case $action in
generate)
	[ -n "$outdir" ] || outdir=$(default_out)
	generate "$outdir"
	log "series: $(find "$outdir" -name '*.patch' | wc -l) patches in $outdir"
	;;
check)
	tmp=$LKMDEMO_CACHE/work/series-check
	generate "$tmp"
	if ! diff -ru "${outdir:-$(default_out)}" "$tmp" >"$LKMDEMO_LOGS/series-check.diff"; then
		die "patches/ is stale: run scripts/series.sh; difference: $LKMDEMO_LOGS/series-check.diff"
	fi
	log "series: $(default_out) is up to date"
	;;
apply)
	[ -n "$outdir" ] || outdir=$(default_out)
	am=$LKMDEMO_CACHE/work/am-$(kernel_id)
	worktree "$am"
	lkmdemo_git -C "$am" am --abort >/dev/null 2>&1 || true
	lkmdemo_git -C "$am" checkout -q -f --detach lkmdemo-base
	lkmdemo_git -C "$am" clean -q -f -d -x
	find "$outdir" -name '0*.patch' ! -name '0000-*' | LC_ALL=C sort >"$am.list"
	# shellcheck disable=SC2046 # one argument per patch
	lkmdemo_git -C "$am" am -q $(cat "$am.list") >"$LKMDEMO_LOGS/git-am.log" 2>&1 ||
		die "the series in $outdir does not apply with git am onto lkmdemo-base; log: $LKMDEMO_LOGS/git-am.log"
	tree=$(patched_tree)
	worktree "$tree"
	git -C "$tree" checkout -q -f --detach "$(git -C "$am" rev-parse HEAD)"
	log "series applied: $tree at $(git -C "$tree" rev-parse --short HEAD)"
	;;
install)
	[ -f "$install_dir/drivers/misc/Kconfig" ] ||
		die "$install_dir is not a kernel tree (no drivers/misc/Kconfig)"
	grep -q 'lkmdemo' "$install_dir/drivers/misc/Makefile" &&
		die "$install_dir already has lkmdemo in drivers/misc/Makefile"
	cp -r "$top/drivers-misc-lkmdemo" "$install_dir/drivers/misc/lkmdemo"
	mkdir -p "$install_dir/tools/testing/selftests/drivers/misc"
	cp -r "$top/tools-testing-selftests-drivers-misc-lkmdemo" \
		"$install_dir/tools/testing/selftests/drivers/misc/lkmdemo"
	cp -r "$top/Documentation/." "$install_dir/Documentation/"
	hook_file drivers/misc/Kconfig "$install_dir/drivers/misc/Kconfig" ""
	hook_file drivers/misc/Makefile "$install_dir/drivers/misc/Makefile" ""
	log "installed lkmdemo into $install_dir (Kconfig and Makefile snippets added)"
	;;
esac
