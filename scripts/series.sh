#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate the patch series from the mirrors, check it, apply it.
#
#   series.sh [--kernel mainline|6.12|6.1|DIR] [--check] [--out DIR]
#   series.sh [--kernel ...] --apply [--shared] [--sparse]
#   series.sh --install KERNEL_TREE
#
# Default: regenerate patches/ (for Debian's mainline source; other
# kernels to --out, default $LKMDEMO_CACHE/patches-<kernel>). A kernel
# older than a rule of scripts/backport/ gets the mirrors as those
# Coccinelle rules rewrite them. --check: exit 1 when patches/ differs
# from what the mirrors give on the same base, 3 (and one line naming
# both) when this base is another tree of the mainline release than the
# one patches/ was made on. --apply: git am the series onto the base and
# check the result out in the build tree; with --shared, when another
# leg's git am of the same patches on the same base left its commit,
# that commit is checked out instead (no work tree of the leg's own);
# with --sparse, the leg's own work tree for git am has only the
# directories the series writes in (some hundred files instead of
# 70000), for a leg that builds no commit of the series but the last.
# --install: the copy-and-snippets
# route: copy the mirrors (backported for that tree's release) into
# KERNEL_TREE and apply the snippets (changes that tree). --key: print
# the hash of what a generation reads (the base commit, the mirrors and
# snippets, scripts/series/, the backport rules, these scripts).
#
# A generation whose inputs are those of the one already in its output
# directory, and a git am of the same patches onto the same base, are
# not done again (LKMDEMO_FRESH=1 does them again).
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,27s/^# \{0,1\}//p' "$0"
}

action=generate
outdir=
install_dir=
shared=0
sparse=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) LKMDEMO_KERNEL=${2:?--kernel needs a value}; shift 2 ;;
	--check) action=check; shift ;;
	--apply) action=apply; shift ;;
	--shared) shared=1; shift ;;
	--sparse) sparse=sparse; shift ;;
	--out) outdir=${2:?--out needs a value}; shift 2 ;;
	--install) action=install; install_dir=${2:?--install needs a tree}; shift 2 ;;
	--key) action=key; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done

manifest=$LKMDEMO_SCRIPTS/series/manifest
top=$LKMDEMO_TOP

# The mirrors the series is made from: the repository's own for
# mainline; for an older kernel, a copy under the cache rewritten by the
# backport rules that apply to it (stage_mirrors).
src=$top

# mirror PATH: where the mirrors keep kernel file PATH.
mirror() {
	case $1 in
	drivers/misc/lkmdemo/*) echo "$src/drivers-misc-lkmdemo/${1#drivers/misc/lkmdemo/}" ;;
	tools/testing/selftests/drivers/misc/lkmdemo/*)
		echo "$src/tools-testing-selftests-drivers-misc-lkmdemo/${1#tools/testing/selftests/drivers/misc/lkmdemo/}" ;;
	include/uapi/linux/*) echo "$src/include-uapi-linux/${1#include/uapi/linux/}" ;;
	Documentation/*) echo "$src/$1" ;;
	MAINTAINERS) echo "$top/MAINTAINERS.snippet" ;;
	*) die "manifest: no mirror for $1" ;;
	esac
}

# rule_release RULE: the release a backport rule's "Release:" line names.
rule_release() {
	sed -n 's|^// Release: *\([0-9][0-9.]*\) *$|\1|p' "$1"
}

# rules_for RELEASE: the backport rules that apply to a kernel of
# RELEASE (those whose change came in a later release), newest change
# first, so that each rule sees the code as the kernels after its change
# have it.
rules_for() {
	local r rel
	for r in "$LKMDEMO_SCRIPTS"/backport/*.cocci; do
		[ -f "$r" ] || continue
		rel=$(rule_release "$r")
		[ -n "$rel" ] || die "$r has no \"// Release: X.Y\" line"
		grep -q '^// Upstream: "' "$r" ||
			die "$r has no \"// Upstream: \\\"subject\\\"\" line"
		if [ "$(printf '%s\n%s\n' "$rel" "$1" | sort -V | tail -n 1)" != "$1" ]; then
			echo "$rel $r"
		fi
	done | sort -k1,1Vr | cut -d' ' -f2-
}

# stage_mirrors RELEASE: for a kernel older than a rule's release, copy
# the mirrors under the cache and let Coccinelle rewrite their C sources,
# rule by rule; the series is then made from the copy.
stage_mirrors() {
	local rel=$1 rules r out
	mapfile -t rules < <(rules_for "$rel")
	if [ "${#rules[@]}" -eq 0 ]; then
		log "series: Linux $rel, no backport rule applies"
		return 0
	fi
	need_pkgs coccinelle
	: >"$LKMDEMO_LOGS/backport-$rel.log"
	src=$LKMDEMO_CACHE/work/mirrors-$(work_id)
	rm -rf "$src"
	mkdir -p "$src"
	cp -a "$top/drivers-misc-lkmdemo" "$top/tools-testing-selftests-drivers-misc-lkmdemo" \
		"$top/include-uapi-linux" "$top/Documentation" "$src/"
	for r in "${rules[@]}"; do
		log "series: Linux $rel: backport rule ${r##*/}"
		# stdout has the diff of what the rule changed; spatch reports
		# a failed script ("EXN", a Python traceback) on stderr, and
		# may still exit 0
		out=$(cd "$src/drivers-misc-lkmdemo" &&
		      spatch --very-quiet --include-headers --in-place \
			--sp-file "$r" --dir . 2>&1 >>"$LKMDEMO_LOGS/backport-$rel.log") ||
			die "spatch failed with ${r##*/}: $out"
		if printf '%s\n' "$out" | grep -qE 'EXN|Traceback|[Ee]rror'; then
			die "spatch failed with ${r##*/}: $out"
		fi
	done
}

# The manifest's lines of one kind.
patches() {
	awk '$1 == "patch" {print $2}' "$manifest"
}

# entries PATCH KIND: the paths of the "file" or "hook" lines of one patch.
entries() {
	awk -v p="$1" -v k="$2" '$1 == "patch" {cur = $2} cur == p && $1 == k {print $2}' "$manifest"
}

# growing: the files that later patches add lines to.
growing() {
	awk '$1 == "grow" {print $2}' "$manifest" | sort -u
}

# grow_texts PATH PATCHES: the lines that PATCHES (space-separated) add
# to PATH, blanks squeezed.
grow_texts() {
	awk -v path="$1" -v pl=" $2 " '
	$1 == "patch" { cur = $2 }
	$1 == "grow" && $2 == path && index(pl, " " cur " ") {
		$1 = ""; $2 = ""; sub(/^ +/, ""); print
	}' "$manifest"
}

# check_manifest: every patch has its message and its files, every grow
# line names a file an earlier patch added and matches exactly one line
# of its mirror.
check_manifest() {
	local p path f all n added=" "
	for p in $(patches); do
		[ -f "$LKMDEMO_SCRIPTS/series/$p.msg" ] || die "no commit message series/$p.msg"
		while read -r path; do
			case $added in
			*" $path "*) ;;
			*) die "manifest: patch $p grows $path, which no earlier patch adds" ;;
			esac
		done < <(awk -v p="$p" '$1 == "patch" {cur = $2}
			cur == p && $1 == "grow" {print $2}' "$manifest" | sort -u)
		for path in $(entries "$p" file); do
			f=$(mirror "$path")
			[ -f "$f" ] || die "manifest: $path: no file $f"
			added="$added$path "
		done
		for path in $(entries "$p" hook); do
			added="$added$path "
		done
	done
	all=$(patches | tr '\n' ' ')
	for path in $(growing); do
		f=$(mirror "$path")
		grow_texts "$path" "$all" | awk -v file="$path" '
		function squeeze(s) { gsub(/[ \t]+/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); return s }
		FILENAME == ARGV[1] { want[$0] = 0; order[++n] = $0; next }
		{ l = squeeze($0); if (l in want) want[l]++ }
		END {
			for (i = 1; i <= n; i++) if (want[order[i]] != 1) {
				printf "manifest: \"grow %s %s\" matches %d lines of the file, not 1\n", \
					file, order[i], want[order[i]]
				bad = 1
			}
			exit bad
		}' - "$f" >&2 || die "manifest: see above"
	done
}

# filter_grown PATH LATER: print the mirror of PATH, a growing file,
# without the lines that the patches in LATER add. In a Kconfig file a
# line that starts an entry takes the whole entry with it. Elsewhere one
# blank line stands for any run of them, and none ends the file: a
# withheld block leaves no gap behind.
filter_grown() {
	grow_texts "$1" "$2" | awk -v kconfig="$([ "${1##*/}" = Kconfig ] && echo 1)" '
	function squeeze(s) { gsub(/[ \t]+/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); return s }
	FILENAME == ARGV[1] { held[$0] = 1; next }
	kconfig {
		if ($0 ~ /^(menuconfig|config|if|endif|menu|endmenu|comment|source|choice|endchoice)([ \t]|$)/)
			skip = (squeeze($0) in held)
		if (!skip)
			print
		next
	}
	squeeze($0) in held { next }
	/^$/ { blank = 1; next }
	{ if (blank && printed) print ""; blank = 0; printed = 1; print }' - "$(mirror "$1")"
}

# lay_state TREE N: write into TREE the files of the first N patches:
# each whole, but a growing file without what the later patches add.
lay_state() {
	local tree=$1 n=$2 i=0 p later="" path grown
	grown=" $(growing | tr '\n' ' ') "
	for p in $(patches); do
		i=$((i + 1))
		[ "$i" -gt "$n" ] && later="$later $p"
	done
	i=0
	for p in $(patches); do
		i=$((i + 1))
		[ "$i" -le "$n" ] || break
		for path in $(entries "$p" file); do
			mkdir -p "$tree/$(dirname "$path")"
			case $grown in
			*" $path "*) filter_grown "$path" "$later" >"$tree/$path" ;;
			*) cp "$(mirror "$path")" "$tree/$path" ;;
			esac
			chmod --reference="$(mirror "$path")" "$tree/$path"
		done
		for path in $(entries "$p" hook); do
			apply_hook "$tree" "$path" "$later"
		done
	done
}

# apply_hook TREE PATH LATER: add lkmdemo to one kernel file of TREE,
# restored from the base first so that this can run again, without what
# the patches of LATER add to it.
apply_hook() {
	git -C "$1" show "lkmdemo-base:$2" >"$1/$2" 2>/dev/null ||
		die "the base tree has no $2"
	hook_file "$2" "$1/$2" "$3"
}

# hook_file PATH FILE [LATER]: add lkmdemo to FILE, the kernel's PATH.
hook_file() {
	local path=$1 f=$2 later=${3:-}
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
		LC_ALL=C awk 'function emit() { if (!done) { print "   lkmdemo/index"; done = 1 } }
		     /^\.\. toctree::/ { intoc = 1 }
		     intoc && /^   [a-z0-9]/ && $1 > "lkmdemo/index" { emit() }
		     intoc && /^[^ ]/ && !/^\.\. toctree::/ { emit(); intoc = 0 }
		     { print } END { if (intoc) emit() }' "$f" >"$f.new" ;;
	tools/testing/selftests/Makefile)
		# a TARGETS line, before the first one that sorts after it
		LC_ALL=C awk 'function emit() { if (!done) { print "TARGETS += drivers/misc/lkmdemo"; done = 1 } }
		     /^TARGETS \+= / && $3 > "drivers/misc/lkmdemo" { emit() }
		     /^TARGETS \+= / { seen = 1 }
		     seen && !/^TARGETS \+= / { emit() }
		     { print }' "$f" >"$f.new" ;;
	MAINTAINERS)
		# Where the entries out of order around it are fewest: the
		# file is sorted by title, but not everywhere (6.12 and 7.3
		# have "ARM/LPC32XX SOC SUPPORT" just before "LPC32XX DMAMUX
		# SUPPORT"), so the first title that sorts after ours is not
		# enough. The entries follow the "Maintainers List" line.
		filter_grown MAINTAINERS "$later" >"$f.snip"
		LC_ALL=C awk -v snip="$f.snip" '
			BEGIN { getline title < snip; close(snip) }
			/^Maintainers List/ { list = 1 }
			{ line[NR] = $0 }
			# a title: after a blank line, followed by a "X:<tab>" line
			list && prev ~ /^[A-Z0-9]/ && prev2 == "" && /^[A-Z]:\t/ {
				at[++n] = NR - 1; t[n] = prev
			}
			{ prev2 = prev }
			{ prev = $0 }
			END {
				# cost of inserting before entry k: titles before it
				# that sort after ours, plus titles from k on that
				# sort before ours
				after = 0; before = 0
				for (i = 1; i <= n; i++) if (t[i] < title) before++
				best = -1
				for (k = 1; k <= n + 1; k++) {
					cost = after + before
					if (best < 0 || cost < best) { best = cost; pos = k }
					if (k <= n) { if (t[k] > title) after++; else if (t[k] < title) before-- }
				}
				where = pos <= n ? at[pos] : NR + 1
				for (i = 1; i <= NR; i++) {
					if (i == where) {
						while ((getline s < snip) > 0) print s
						print ""
					}
					print line[i]
				}
				if (where > NR) {
					print ""
					while ((getline s < snip) > 0) print s
				}
			}' "$f" >"$f.new"
		rm -f "$f.snip" ;;
	Documentation/userspace-api/ioctl/ioctl-number.rst)
		# the ioctl code of lkmdemo_chardev, in the table's order
		# (by code; those after 0xBB are all written 0xNN) and its
		# columns
		LC_ALL=C awk -v row="$(printf '%-4s  %-5s  %-57s %s' 0xBB all \
			uapi/linux/lkmdemo_chardev.h 'lkmdemo_chardev (drivers/misc/lkmdemo)')" '
			!done && /^0[xX][0-9A-Fa-f][0-9A-Fa-f] / && toupper(substr($0, 3, 2)) > "BB" {
				print row; done = 1
			}
			{ print }
			END { if (!done) exit 1 }' "$f" >"$f.new" ||
			die "$path: no ioctl code after 0xBB to put lkmdemo_chardev before" ;;
	*) die "manifest: no hook for $path" ;;
	esac
	mv "$f.new" "$f"
}

# worktree DIR [sparse]: a detached work tree of the base repository at
# DIR; sparse: only the directories the series writes in are checked out,
# with a sparse index (some hundred files instead of 70000), enough to
# commit the series and format it. Without it, a work tree left sparse
# is made whole again.
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
	elif [ "$(git -C "$1" config --get core.sparseCheckout)" = true ]; then
		git -C "$1" sparse-checkout disable
	fi
}

# base_line: the cover letter's line that says which tree the series is
# made on.
base_line() {
	local origin
	origin=$(git -C "$(base_repo)" config lkmdemo.origin || true)
	echo "This series is made on Linux $(git -C "$(base_repo)" show lkmdemo-base:Makefile |
		awk '$1 == "VERSION" {v = $3} $1 == "PATCHLEVEL" {p = $3}
		     $1 == "SUBLEVEL" {s = $3} $1 == "EXTRAVERSION" {e = $3}
		     END {print v "." p "." s e}')${origin:+, as in $origin}."
}

# patches_id DIR: the bytes of the patches in DIR.
patches_id() {
	find "$1" -maxdepth 1 -name '*.patch' -print0 | LC_ALL=C sort -z |
		xargs -0 -r cat | sha1sum | cut -c1-40
}

# generate OUTDIR: commit every patch on the base and format the series.
generate() {
	local out=$1 work n i=0 p branch made
	# The inputs key of what OUT holds and the bytes it held then, kept
	# in the cache (OUT may be the repository's patches/): patches put
	# back or changed by hand since are made again.
	made=$LKMDEMO_CACHE/work/made-$(printf '%s' "$out" | sha1sum | cut -c1-16)
	if [ "$LKMDEMO_FRESH" != 1 ] && [ -d "$out" ] &&
	   [ "$(cat "$made" 2>/dev/null)" = "$key $(patches_id "$out")" ]; then
		log "series: $out was made from the same inputs on $(date -u -r "$made" +%Y-%m-%dT%H:%MZ)"
		return 0
	fi
	mkdir -p "$LKMDEMO_CACHE/work"
	rm -f "$made"
	stage_mirrors "$release"
	check_manifest
	work=$LKMDEMO_CACHE/work/series-$(work_id)
	worktree "$work" sparse
	lkmdemo_git -C "$work" checkout -q -f --detach lkmdemo-base
	lkmdemo_git -C "$work" clean -q -f -d -x
	n=$(patches | wc -l)
	for p in $(patches); do
		i=$((i + 1))
		lay_state "$work" "$i"
		lkmdemo_git -C "$work" add -f -A .
		lkmdemo_git -C "$work" commit -q -s -F "$LKMDEMO_SCRIPTS/series/$p.msg"
	done
	# a branch per work tree: a branch checked out in one work tree
	# cannot be moved from another
	branch=lkmdemo-series-$(work_id)
	lkmdemo_git -C "$work" branch -f "$branch" HEAD
	lkmdemo_git -C "$work" config "branch.$branch.description" \
		"$(cat "$LKMDEMO_SCRIPTS/series/cover.msg"; echo; base_line)"
	lkmdemo_git -C "$work" checkout -q "$branch"
	rm -rf "$out"
	mkdir -p "$out"
	lkmdemo_git -C "$work" format-patch -q --cover-letter \
		--cover-from-description=subject --base=lkmdemo-base \
		--no-signature --numbered --full-index -o "$out" "lkmdemo-base..$branch"
	[ "$(find "$out" -name '*.patch' | wc -l)" -eq $((n + 1)) ] ||
		die "format-patch did not write $((n + 1)) patches to $out"
	echo "$key $(patches_id "$out")" >"$made"
}

# series_key: what a generation reads, hashed.
series_key() {
	{ git -C "$(base_repo)" rev-parse lkmdemo-base; echo "$release $(work_id)"; base_line; } |
		inputs_key "$LKMDEMO_SCRIPTS/series.sh" "$LKMDEMO_SCRIPTS/lib.sh" \
			"$LKMDEMO_SCRIPTS/series" "$LKMDEMO_SCRIPTS/backport" \
			"$top/drivers-misc-lkmdemo" "$top/tools-testing-selftests-drivers-misc-lkmdemo" \
			"$top/include-uapi-linux" "$top/Documentation" "$top"/*.snippet
}

# default_out: patches/ for Debian's mainline source, a directory of the
# cache for any other kernel.
default_out() {
	if is_mainline; then
		echo "$top/patches"
	else
		echo "$LKMDEMO_CACHE/patches-$(kernel_id)"
	fi
}

"$LKMDEMO_SCRIPTS/kernel-source.sh" --kernel "$LKMDEMO_KERNEL"
case $action in
generate|check|apply|key)
	release=$(base_release) || die "cannot read the version of the base tree"
	key=$(series_key) ;;
esac
case $action in
key)
	echo "$key"
	;;
generate)
	[ -n "$outdir" ] || outdir=$(default_out)
	generate "$outdir"
	log "series: $(find "$outdir" -name '*.patch' | wc -l) patches in $outdir"
	;;
check)
	# patches/ is made on a mainline base: a tree of that release is
	# checked against it byte for byte when it is the same base, and
	# only said to differ when it is not (exit 3; the series made for
	# this base is in the cache then).
	[ -n "$outdir" ] || outdir=$top/patches
	[ "$release" = "$LKMDEMO_MAINLINE" ] ||
		die "--check compares with patches/, made on Linux $LKMDEMO_MAINLINE; this base is Linux $release"
	tmp=$LKMDEMO_CACHE/work/series-check-$(work_id)
	generate "$tmp"
	cover=$outdir/0000-cover-letter.patch
	made=$(sed -n 's/^base-commit: //p' "$cover" 2>/dev/null || true)
	[ -n "$made" ] || die "$cover is missing or has no base-commit: line: run scripts/series.sh"
	have=$(git -C "$(base_repo)" rev-parse lkmdemo-base)
	if [ "$made" != "$have" ]; then
		printf 'lkmdemo: series: the base changed: patches/ was made on "%s", this base is "%s"; checking the series made for this base instead\n' \
			"$(sed -n 's/^This series is made on \(.*\)\.$/\1/p' "$cover" 2>/dev/null || echo "${made:-nothing}")" \
			"$(base_line | sed 's/^This series is made on \(.*\)\.$/\1/')" >&2
		exit 3
	fi
	if ! diff -ru "$outdir" "$tmp" >"$LKMDEMO_LOGS/series-check.diff"; then
		die "patches/ is stale: run scripts/series.sh; difference: $LKMDEMO_LOGS/series-check.diff"
	fi
	log "series: $outdir is up to date"
	;;
apply)
	[ -n "$outdir" ] || outdir=$(default_out)
	# One per leg, not per kernel: a leg's per-patch builds check out
	# each commit of the series in it, while another leg of the same
	# kernel may be applying or reading (a shared one made patch 6's
	# build fail in a cold run, its tree reset under it).
	am=$LKMDEMO_CACHE/work/am-$(work_id)
	list=$(find "$outdir" -name '0*.patch' ! -name '0000-*' | LC_ALL=C sort)
	# The same patches on the same base (the commits' dates are
	# fixed) give the same commit: when the work tree is at it, clean,
	# there is nothing to apply.
	# shellcheck disable=SC2086 # one argument per patch
	akey=$(git -C "$(base_repo)" rev-parse lkmdemo-base | inputs_key $list)
	# --shared: the commit of another leg's am.applied with this key
	# (a leg without per-patch builds needs no work tree of its own:
	# its checkout of 70000 files and git am took some 20 CPU s).
	head=
	if [ "$shared" = 1 ] && [ "$LKMDEMO_FRESH" != 1 ]; then
		head=$(cat "$LKMDEMO_CACHE/work/am-$(kernel_id)"-*.applied 2>/dev/null |
		       awk -v k="$akey" '$1 == k { print $2; exit }')
		git -C "$(base_repo)" cat-file -e "${head:-none}^{commit}" 2>/dev/null || head=
	fi
	if [ -n "$head" ]; then
		log "series: another leg's git am of these patches made $head; no work tree of this leg's own (--shared)"
	else
		worktree "$am" ${sparse:+"$sparse"}
		if [ "$LKMDEMO_FRESH" = 1 ] || [ "$(cat "$am.applied" 2>/dev/null)" != \
		     "$akey $(git -C "$am" rev-parse HEAD)" ] ||
		   [ -n "$(git -C "$am" status --porcelain)" ]; then
			rm -f "$am.applied"
			lkmdemo_git -C "$am" am --abort >/dev/null 2>&1 || true
			lkmdemo_git -C "$am" checkout -q -f --detach lkmdemo-base
			lkmdemo_git -C "$am" clean -q -f -d -x
			# shellcheck disable=SC2086 # one argument per patch
			lkmdemo_git -C "$am" am -q $list >"$LKMDEMO_LOGS/git-am.log" 2>&1 ||
				die "the series in $outdir does not apply with git am onto lkmdemo-base; log: $LKMDEMO_LOGS/git-am.log"
			echo "$akey $(git -C "$am" rev-parse HEAD)" >"$am.applied"
		else
			log "series: $am is at the commit these patches make on lkmdemo-base"
		fi
		head=$(git -C "$am" rev-parse HEAD)
	fi
	tree=$(patched_tree)
	worktree "$tree"
	# Two legs of one kernel (x86_64 and arm64) share the tree: the
	# same commit is left alone.
	if [ "$(git -C "$tree" rev-parse HEAD)" != "$head" ] ||
	   [ -n "$(git -C "$tree" status --porcelain)" ]; then
		git -C "$tree" checkout -q -f --detach "$head"
	fi
	log "series applied: $tree at $(git -C "$tree" rev-parse --short HEAD)"
	;;
install)
	[ -f "$install_dir/drivers/misc/Kconfig" ] ||
		die "$install_dir is not a kernel tree (no drivers/misc/Kconfig)"
	grep -q 'lkmdemo' "$install_dir/drivers/misc/Makefile" &&
		die "$install_dir already has lkmdemo in drivers/misc/Makefile"
	# the mirrors as the backport rules make them for that tree's release
	release=$(awk '$1 == "VERSION" {v = $3} $1 == "PATCHLEVEL" {p = $3}
		       END {if (v != "" && p != "") print v "." p}' "$install_dir/Makefile" 2>/dev/null) ||
		true
	[ -n "$release" ] || die "$install_dir/Makefile does not say the kernel's VERSION and PATCHLEVEL"
	stage_mirrors "$release"
	cp -r "$src/drivers-misc-lkmdemo" "$install_dir/drivers/misc/lkmdemo"
	mkdir -p "$install_dir/tools/testing/selftests/drivers/misc"
	cp -r "$src/tools-testing-selftests-drivers-misc-lkmdemo" \
		"$install_dir/tools/testing/selftests/drivers/misc/lkmdemo"
	cp -r "$src/Documentation/." "$install_dir/Documentation/"
	mkdir -p "$install_dir/include/uapi/linux"
	cp "$src/include-uapi-linux/"*.h "$install_dir/include/uapi/linux/"
	hook_file drivers/misc/Kconfig "$install_dir/drivers/misc/Kconfig"
	hook_file drivers/misc/Makefile "$install_dir/drivers/misc/Makefile"
	log "installed lkmdemo for Linux $release into $install_dir (Kconfig and Makefile snippets added)"
	;;
esac
