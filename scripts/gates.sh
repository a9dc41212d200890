#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The static gates of the patched tree: kernel-doc, sparse, coccinelle,
# clang, the uapi headers, htmldocs and get_maintainer.
#
#   gates.sh [--quick] [--kernel mainline|6.12|6.1|DIR] [--patches DIR]
#            [--gates "kerneldoc sparse coccinelle clang uapi htmldocs maintainer"]
#            [--results FILE] [--packages]
#
# Runs on the tree of scripts/series.sh --apply; test.sh runs it after
# checkpatch and counts its results. A failing gate prints the file and
# line, the tool's own message and the command that reruns it alone. A
# gate whose inputs (the tree, the tool, the configuration and this
# script) passed before is a cached pass with the date. --quick runs
# kernel-doc and get_maintainer and counts the other gates as skipped
# unless they have a cached pass. --packages prints the Debian packages
# the gates install when they are missing, and exits.
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,18s/^# \{0,1\}//p' "$0"
}

# The Debian packages of each gate, besides those of a kernel build.
# ocaml-nox: the semantic patches with OCaml scripts need ocamlfind's
# compiler at run time (spatch says "No OCaml compiler found").
declare -A gate_pkgs=(
	[sparse]="sparse"
	[coccinelle]="coccinelle ocaml-nox"
	[clang]="clang lld llvm"
	[uapi]="g++"
	[htmldocs]="python3-sphinx python3-sphinx-rtd-theme"
)

all_gates="kerneldoc sparse coccinelle clang uapi htmldocs maintainer"
gates=$all_gates
quick=0
patches=
own_results=1
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1; shift ;;
	--kernel) LKMDEMO_KERNEL=${2:?--kernel needs a value}; shift 2 ;;
	--patches) patches=${2:?--patches needs a directory}; shift 2 ;;
	--gates) gates=${2:?--gates needs a list}; shift 2 ;;
	--results) LKMDEMO_RESULTS=${2:?--results needs a file}; own_results=0; shift 2 ;;
	--packages) echo "${BUILD_PKGS[*]} ${gate_pkgs[*]}"; exit 0 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
for g in $gates; do
	case " $all_gates " in
	*" $g "*) ;;
	*) die "unknown gate '$g' (known: $all_gates)" ;;
	esac
done
# The gates look at every module, whatever quick mode selected.
LKMDEMO_MODULES=
export LKMDEMO_KERNEL LKMDEMO_MODULES

if [ "$own_results" = 1 ]; then
	LKMDEMO_RESULTS=$LKMDEMO_LOGS/gates-results.txt
	: >"$LKMDEMO_RESULTS"
fi

tree=$(patched_tree)
[ -f "$tree/drivers/misc/lkmdemo/Kconfig" ] ||
	die "no patched tree at $tree (run scripts/series.sh --apply first)"
if [ -z "$patches" ]; then
	if is_mainline; then
		patches=$LKMDEMO_TOP/patches
	else
		patches=$LKMDEMO_CACHE/patches-$(kernel_id)
	fi
fi
S=$LKMDEMO_SCRIPTS
id=$(kernel_id)
glogs=$LKMDEMO_LOGS/gates
stamps=$LKMDEMO_CACHE/gates-clean
mkdir -p "$glogs" "$stamps"
lkdir=drivers/misc/lkmdemo
me="bash $S/gates.sh --kernel $LKMDEMO_KERNEL"

# gate_fail NAME LOG RERUN FINDINGS: record a failed gate and print what
# the tool said (file:line: message) and how to rerun it alone.
gate_fail() {
	local name=$1 logf=$2 rerun=$3 findings=$4
	{
		printf 'lkmdemo: gate %s failed:\n' "$name"
		printf '%s\n' "$findings" | head -n 20 | sed 's/^/  /'
		printf '  log: %s\n  rerun alone: %s\n' "$logf" "$rerun"
	} >&2
	fail "$name" "$(printf '%s\n' "$findings" | head -n 1)"
}

# gate_key NAME TEXT [code]: the cache key of one gate run: the tree
# (tree_key; with "code", for the gates that read only the C code, the
# tree but its documentation and selftests), this script and TEXT (tool
# versions, configuration).
# The tree's two keys, once: each is a git status of the whole tree.
declare -A tree_keys=([all]=$(tree_key "$tree") [code]=$(tree_key "$tree" code))
gate_key() {
	echo "$1-$( { echo "${tree_keys[${3:-all}]}"; cat "$S/gates.sh" "$S/lib.sh"; echo "$2"; } |
		sha1sum | cut -c1-16)"
}

# cached NAME KEY: report a cached pass if KEY passed before.
cached() {
	[ "$LKMDEMO_FRESH" != 1 ] && [ -n "$2" ] && [ -f "$stamps/$2" ] || return 1
	pass "$1 (cached: tree $(git -C "$tree" rev-parse --short 'HEAD^{tree}') passed $(cat "$stamps/$2"))"
}

# passed NAME KEY: record a pass and remember it.
passed() {
	[ -z "$2" ] || date -u +%Y-%m-%dT%H:%MZ >"$stamps/$2"
	pass "$1"
}

# skipped_in_quick NAME KEY: in quick mode, a gate without a cached pass
# is skipped; true when the caller has nothing left to do.
skipped_in_quick() {
	cached "$1" "$2" && return 0
	if [ "$quick" = 1 ]; then
		skip "$1" "quick mode; run: $me --gates ${1%%:*}"
		return 0
	fi
	return 1
}

# lkfiles: every .c and .h of drivers/misc/lkmdemo, relative to the tree.
lkfiles() {
	(cd "$tree" && find "$lkdir" -name '*.[ch]' | LC_ALL=C sort)
}

# findings LOG: the lines of LOG that report something in a lkmdemo file.
findings() {
	grep -E "(^|/)$lkdir/[^ :]*:[0-9]+(:[0-9]+)?:? .*([Ww]arning|[Ee]rror|WARNING|ERROR)" "$1" || true
}

# --- kernel-doc: every .c and .h, -Wall where the tree's script has it ---
gate_kerneldoc() {
	local name="kernel-doc: $lkdir has no warning" logf=$glogs/kernel-doc.log
	local opts=(-none) files rc=0
	grep -q '"Wall"' "$tree/scripts/kernel-doc" && opts+=(-Wall)
	mapfile -t files < <(lkfiles)
	(cd "$tree" && scripts/kernel-doc "${opts[@]}" "${files[@]}") >"$logf" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ] && ! grep -qiE 'warning|error' "$logf"; then
		pass "$name (${#files[@]} files, kernel-doc ${opts[*]})"
	else
		gate_fail "$name" "$logf" \
			"(cd $tree && $(quoted scripts/kernel-doc "${opts[@]}" "${files[@]}"))" \
			"$(grep -iE 'warning|error' "$logf" || tail -n 5 "$logf")"
	fi
}

# --- sparse: make C=2 in a gcc build directory, =y and =m ---
gate_sparse() {
	local mode dir logf name key rc n nfiles kmake
	# shellcheck disable=SC2086 # one word per package
	need_pkgs "${BUILD_PKGS[@]}" ${gate_pkgs[sparse]}
	nfiles=$(lkfiles | grep -c '\.c$')
	for mode in y m; do
		name="sparse: make C=2 $lkdir/ (=$mode) reports nothing"
		key=$(gate_key "sparse-$mode" "$(sparse --version; gcc --version; arch_fragments "$tree" | xargs cat)" code)
		skipped_in_quick "$name" "$key" && continue
		dir=$LKMDEMO_CACHE/build/$id-$LKMDEMO_ARCH-sparse-$mode
		# =m starts from =y's prepared tree (seed_build_dir)
		[ "$mode" = y ] || [ -f "$dir/.config" ] ||
			seed_build_dir "${dir%-m}-y" "$dir"
		logf=$glogs/sparse-$mode.log
		kmake_cmd kmake "$tree" "$dir"
		log "gate sparse =$mode ..."
		rc=0
		{ configure_mode "$tree" "$dir" "$mode" &&
		  "${kmake[@]}" C=2 "$lkdir/"; } >"$logf" 2>&1 || rc=$?
		# C=2 checks every file, built or not: no CHECK line means
		# sparse did not run.
		n=$(grep -cE "^ +CHECK +.*$lkdir/" "$logf" || true)
		if [ "$rc" -ne 0 ]; then
			gate_fail "$name" "$logf" "$(quoted "${kmake[@]}" C=2 "$lkdir/")" \
				"$(findings "$logf"; tail -n 5 "$logf")"
		elif [ -n "$(findings "$logf")" ]; then
			gate_fail "$name" "$logf" "$(quoted "${kmake[@]}" C=2 "$lkdir/")" "$(findings "$logf")"
		elif [ "$n" -lt "$nfiles" ]; then
			gate_fail "$name" "$logf" "$(quoted "${kmake[@]}" C=2 "$lkdir/")" \
				"sparse checked $n files, $lkdir has $nfiles .c files"
		else
			passed "$name ($n files checked)" "$key"
		fi
	done
}

# --- coccinelle: make coccicheck MODE=report M=drivers/misc/lkmdemo ---
gate_coccinelle() {
	local name="coccinelle: coccicheck M=$lkdir reports nothing"
	local logf=$glogs/coccicheck.log key rc=0 ran skipped nomode total rep
	# shellcheck disable=SC2086 # one word per package
	need_pkgs make ${gate_pkgs[coccinelle]}
	key=$(gate_key coccinelle "$(spatch --version | head -n 1; ocamlfind ocamlopt -version 2>&1)" code)
	skipped_in_quick "$name" "$key" && return 0
	local cmd=(make -C "$tree" coccicheck MODE=report M="$lkdir" J="$LKMDEMO_JOBS")
	log "gate coccinelle ..."
	"${cmd[@]}" >"$logf" 2>&1 || rc=$?
	# coccicheck echoes the spatch command of every semantic patch it
	# applies: all of them must have run, except those it skipped for
	# needing a newer spatch or (mainline) for having no report mode,
	# and at least one.
	total=$(find "$tree/scripts/coccinelle" -name '*.cocci' | wc -l)
	ran=$(grep -c -- '--cocci-file ' "$logf" || true)
	skipped=$(grep -c '^Skipping coccinelle SmPL patch' "$logf" || true)
	nomode=$(grep -c "^warning: Skipping .* as it does not match mode 'report'" "$logf" || true)
	# A report is "file:line:col-col: message".
	rep=$(grep -E '^[^ ]+:[0-9]+:[0-9]+-[0-9]+: ' "$logf" || true)
	if [ "$rc" -ne 0 ] || grep -q 'coccicheck failed\|No OCaml compiler' "$logf"; then
		gate_fail "$name" "$logf" "$(quoted "${cmd[@]}")" \
			"$(echo "$rep"; grep -B 3 'coccicheck failed\|No OCaml' "$logf" | grep -v -- '--cocci-file'; tail -n 3 "$logf")"
	elif [ -n "$rep" ]; then
		gate_fail "$name" "$logf" "$(quoted "${cmd[@]}")" "$rep"
	elif [ "$ran" -eq 0 ] || [ $((ran + skipped + nomode)) -ne "$total" ]; then
		gate_fail "$name" "$logf" "$(quoted "${cmd[@]}")" \
			"coccicheck applied $ran and skipped $((skipped + nomode)) of the $total semantic patches"
	else
		passed "$name ($ran semantic patches applied, $skipped need a newer spatch, $nomode have no report mode)" "$key"
	fi
}

# --- clang: LLVM=1 W=1, =y and =m; modpost and modinfo for =m ---
gate_clang() {
	local mode dir logf name key rc kmake targets bad ko desc nko n nfiles kos
	# Every make of this gate, the configuration's too, is clang's.
	local KMAKE_LLVM=1
	# shellcheck disable=SC2086 # one word per package
	need_pkgs "${BUILD_PKGS[@]}" ${gate_pkgs[clang]}
	nfiles=$(lkfiles | grep -c '\.c$')
	for mode in y m; do
		name="clang: LLVM=1 W=1 $lkdir (=$mode) has no warning"
		[ "$mode" = m ] && name="$name, every module has a MODULE_DESCRIPTION"
		key=$(gate_key "clang-$mode" "$(clang --version; ld.lld --version; arch_fragments "$tree" | xargs cat)" code)
		skipped_in_quick "$name" "$key" && continue
		dir=$LKMDEMO_CACHE/build/$id-$LKMDEMO_ARCH-clang-$mode
		[ "$mode" = y ] || [ -f "$dir/.config" ] ||
			seed_build_dir "${dir%-m}-y" "$dir"
		logf=$glogs/clang-$mode.log
		kmake_cmd kmake "$tree" "$dir"
		# =m: the modules are then made as single targets (make
		# DIR/NAME.ko, one per .mod file the directory's build left),
		# which runs modpost on them alone: modpost (W=1, Linux 6.10 and
		# later) warns about a missing MODULE_DESCRIPTION(), and the
		# rest of the kernel is not compiled ("make modules" would
		# compile all of it). There is no vmlinux here to resolve the
		# modules' symbols against (the gcc kernels of build.sh have
		# one): KBUILD_MODPOST_WARN turns the unresolved symbols into
		# warnings, which are not findings.
		targets=("$lkdir/")
		log "gate clang =$mode ..."
		# Objects that are up to date would not repeat their warnings:
		# compile every lkmdemo file again (ccache replays them).
		rm -rf "${dir:?}/$lkdir"
		rc=0
		{ configure_mode "$tree" "$dir" "$mode" &&
		  "${kmake[@]}" W=1 "${targets[@]}"; } >"$logf" 2>&1 || rc=$?
		if [ "$mode" = m ] && [ "$rc" -eq 0 ]; then
			mapfile -t kos < <(cd "$dir" && find "$lkdir" -name '*.mod' |
					   sed 's/\.mod$/.ko/' | LC_ALL=C sort)
			targets=(KBUILD_MODPOST_WARN=1 "${kos[@]}")
			if [ "${#kos[@]}" -eq 0 ]; then
				echo "no .mod file under $dir/$lkdir: no module to make" >>"$logf"
				rc=1
			else
				"${kmake[@]}" W=1 "${targets[@]}" >>"$logf" 2>&1 || rc=$?
			fi
		fi
		bad=$(findings "$logf"
		      grep -E 'missing MODULE_DESCRIPTION|modpost: .*lkmdemo' "$logf" |
			grep -v '\] undefined!$' || true)
		n=$(grep -cE "^ +CC( \[M\])? +$lkdir/.*\.o$" "$logf" || true)
		[ "$rc" -ne 0 ] || [ "$n" -ge "$nfiles" ] ||
			bad="$bad${bad:+$'\n'}clang compiled $n objects, $lkdir has $nfiles .c files"
		if [ "$mode" = m ] && [ "$rc" -eq 0 ]; then
			# Older modpost says nothing: ask every module itself.
			nko=0
			while read -r ko; do
				nko=$((nko + 1))
				desc=$(modinfo -F description "$ko" 2>&1) || desc=
				[ -n "$desc" ] ||
					bad="$bad${bad:+$'\n'}$ko: modinfo -F description is empty"
			done < <(find "$dir/$lkdir" -name '*.ko' | LC_ALL=C sort)
			[ "$nko" -gt 0 ] || bad="$bad${bad:+$'\n'}no .ko under $dir/$lkdir"
		fi
		if [ "$rc" -ne 0 ]; then
			gate_fail "$name" "$logf" "$(quoted "${kmake[@]}" W=1 "${targets[@]}")" \
				"$(echo "$bad"; tail -n 5 "$logf")"
		elif [ -n "$bad" ]; then
			gate_fail "$name" "$logf" "$(quoted "${kmake[@]}" W=1 "${targets[@]}")" "$bad"
		else
			passed "$name" "$key"
		fi
	done
}

# --- uapi: each lkmdemo uapi header compiles alone, as C and as C++ ---
# as the kernel's own header test (usr/include/Makefile) compiles them:
# C90 and C++98, each header alone, from "make headers"
gate_uapi() {
	local name="uapi: each lkmdemo uapi header compiles alone in user space, as C90 and as C++98"
	local logf=$glogs/uapi.log key rc=0 dir h n=0 bad=
	# shellcheck disable=SC2086 # one word per package
	need_pkgs "${BUILD_PKGS[@]}" ${gate_pkgs[uapi]}
	key=$(gate_key uapi "$(gcc --version; g++ --version)")
	skipped_in_quick "$name" "$key" && return 0
	dir=$LKMDEMO_CACHE/build/$id-$LKMDEMO_ARCH-uapi
	log "gate uapi ..."
	{ kmake "$tree" "$dir" headers || rc=$?
	  for h in $(cd "$tree" && git ls-files 'include/uapi/*lkmdemo*.h'); do
		n=$((n + 1))
		h=$dir/usr/include/${h#include/uapi/}
		echo "$h"
		gcc -std=c90 -Wall -Werror -fsyntax-only -I"$dir/usr/include" -x c "$h" || rc=$?
		g++ -std=c++98 -Wall -Werror -fsyntax-only -I"$dir/usr/include" -x c++ "$h" || rc=$?
	  done; } >"$logf" 2>&1
	[ "$n" -gt 0 ] || bad="the series has no uapi header (include/uapi/*lkmdemo*.h)"
	if [ "$rc" -ne 0 ] || [ -n "$bad" ]; then
		gate_fail "$name" "$logf" "make -C $tree O=$dir headers; gcc -std=c90 / g++ -std=c++98 -fsyntax-only on each" \
			"$(echo "$bad"; grep -E 'error|warning' "$logf" | head -n 20)"
	else
		passed "$name ($n headers)" "$key"
	fi
}

# --- htmldocs: make SPHINXDIRS=misc-devices htmldocs ---
gate_htmldocs() {
	local name="htmldocs: misc-devices builds without a warning on lkmdemo and links its pages"
	local logf=$glogs/htmldocs.log key rc=0 dir out bad='' page
	# shellcheck disable=SC2086 # one word per package
	need_pkgs make perl ${gate_pkgs[htmldocs]}
	key=$(gate_key htmldocs "$(sphinx-build --version 2>&1; dpkg-query -W python3-sphinx-rtd-theme 2>&1)")
	skipped_in_quick "$name" "$key" && return 0
	dir=$LKMDEMO_CACHE/build/$id-docs
	out=$dir/Documentation/output/misc-devices
	local cmd=(make -C "$tree" O="$dir" SPHINXDIRS=misc-devices htmldocs)
	log "gate htmldocs ..."
	# Sphinx rereads only changed pages and would not repeat their
	# warnings: start from nothing.
	rm -rf "$dir/Documentation/output"
	"${cmd[@]}" >"$logf" 2>&1 || rc=$?
	bad=$(grep -iE 'lkmdemo.*(WARNING|ERROR|SEVERE|CRITICAL)' "$logf" || true)
	# Every page is built and reachable: misc-devices/index links the
	# lkmdemo index, which links every other page.
	if [ "$rc" -eq 0 ]; then
		grep -q 'href="lkmdemo/index.html"' "$out/index.html" 2>/dev/null ||
			bad="$bad${bad:+$'\n'}$out/index.html: no link to lkmdemo/index.html"
		for page in "$tree"/Documentation/misc-devices/lkmdemo/*.rst; do
			page=$(basename "$page" .rst)
			[ "$page" = index ] && continue
			grep -q "href=\"$page.html" "$out/lkmdemo/index.html" 2>/dev/null ||
				bad="$bad${bad:+$'\n'}$out/lkmdemo/index.html: no link to $page.html (Documentation/misc-devices/lkmdemo/$page.rst)"
		done
	fi
	if [ "$rc" -ne 0 ]; then
		gate_fail "$name" "$logf" "$(quoted "${cmd[@]}")" "$(echo "$bad"; tail -n 5 "$logf")"
	elif [ -n "$bad" ]; then
		gate_fail "$name" "$logf" "$(quoted "${cmd[@]}")" "$bad"
	else
		passed "$name" "$key"
	fi
}

# --- get_maintainer: every patch names the lkmdemo MAINTAINERS entry ---
gate_maintainer() {
	local entry who p out n=0 name key
	entry=$(head -n 1 "$LKMDEMO_TOP/MAINTAINERS.snippet")
	who=$(sed -n 's/^M:\t//p' "$LKMDEMO_TOP/MAINTAINERS.snippet" | head -n 1)
	for p in "$patches"/0*.patch; do
		[ -f "$p" ] || continue
		case $(basename "$p") in 0000-*) continue ;; esac
		n=$((n + 1))
		name="get_maintainer: $(basename "$p") names $entry"
		key=$(gate_key maintainer "$(cat "$p")")
		cached "$name" "$key" && continue
		out=$(cd "$tree" && scripts/get_maintainer.pl --no-git-fallback "$p" 2>&1) || true
		if echo "$out" | grep -qF "$who (maintainer:$entry)"; then
			passed "$name" "$key"
		else
			gate_fail "$name" "-" \
				"(cd $tree && scripts/get_maintainer.pl --no-git-fallback $p)" \
				"$p: no \"$who (maintainer:$entry)\" in:"$'\n'"$out"
		fi
	done
	[ "$n" -gt 0 ] || gate_fail "get_maintainer: the series names $entry" "-" \
		"ls $patches" "$patches: no patch"
}

for g in $gates; do
	start=$(date +%s)
	"gate_$g"
	log "gate $g done in $(($(date +%s) - start))s"
done

if [ "$own_results" = 1 ]; then
	summarize "$LKMDEMO_RESULTS"
fi
