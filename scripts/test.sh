#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The lkmdemo test command: from a fresh machine to booted kernels.
#
#   test.sh [--quick] [--kernel 6.12|6.1|DIR] [--config "y m"]
#           [--modules "hello params"]
#
# Checks the series (up to date, reproducible, applies with git am, same
# tree as the copy-and-snippets route, checkpatch --strict, the static
# gates of gates.sh, every patch builds), builds the y and m kernels,
# boots them in QEMU and counts the kselftest TAP and KUnit KTAP results
# and the log checks. Ends with "N passed, N failed, N skipped"; exits
# non-zero if anything failed.
#
# --quick skips the per-patch builds, the reproducibility check and the
# gates that have no cached pass; with --config and --modules it tests
# one configuration and some modules.
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,18s/^# \{0,1\}//p' "$0"
}

quick=0
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1; shift ;;
	--kernel) LKMDEMO_KERNEL=${2:?--kernel needs a value}; shift 2 ;;
	--config) LKMDEMO_CONFIGS=${2:?--config needs a value}; shift 2 ;;
	--modules) LKMDEMO_MODULES=${2:?--modules needs a value}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
export LKMDEMO_KERNEL LKMDEMO_CONFIGS LKMDEMO_MODULES

S=$LKMDEMO_SCRIPTS
LKMDEMO_RESULTS=$LKMDEMO_LOGS/test-results.txt
results=$LKMDEMO_RESULTS
: >"$results"

need_pkgs "${BUILD_PKGS[@]}" qemu-system-x86 python3-ply python3-git shellcheck
# Debian's python3 runs checkpatch's helpers (spdxcheck needs python3-ply).
export PATH=/usr/bin:$PATH

rc=0
{
	(cd "$S" && shellcheck -x ./*.sh) &&
	shellcheck -s sh "$S"/guest/* &&
	(cd "$LKMDEMO_TOP/tools-testing-selftests-drivers-misc-lkmdemo" &&
	 shellcheck -x -s sh ./*.sh) &&
	shellcheck "$LKMDEMO_TOP/.ci/run"
} >"$LKMDEMO_LOGS/shellcheck.log" 2>&1 || rc=1
result $rc "shellcheck: scripts, guest scripts and selftests are clean" \
	"log: $LKMDEMO_LOGS/shellcheck.log"

stage "kernel source" "$LKMDEMO_LOGS/kernel-source.log" "$S/kernel-source.sh"
repo=$(base_repo)

# --- The series ---
if [ "$(kernel_id)" = 6.12 ]; then
	rc=0
	"$S/series.sh" --check >"$LKMDEMO_LOGS/series-check.log" 2>&1 || rc=$?
	result $rc "series: patches/ matches the mirrors" \
		"$(tail -n 1 "$LKMDEMO_LOGS/series-check.log")"
	patches=$LKMDEMO_TOP/patches
else
	patches=$LKMDEMO_CACHE/patches-$(kernel_id)
	stage "generate the series for $(kernel_id)" "$LKMDEMO_LOGS/series.log" \
		"$S/series.sh" --out "$patches"
fi
if [ "$quick" = 0 ]; then
	rc=0
	for i in 1 2; do
		"$S/series.sh" --out "$LKMDEMO_CACHE/work/regen-$i" \
			>"$LKMDEMO_LOGS/series-regen.log" 2>&1 || rc=1
	done
	diff -r "$LKMDEMO_CACHE/work/regen-1" "$LKMDEMO_CACHE/work/regen-2" \
		>>"$LKMDEMO_LOGS/series-regen.log" 2>&1 || rc=1
	result $rc "series: regenerating twice gives identical bytes" \
		"log: $LKMDEMO_LOGS/series-regen.log"
fi

stage "git am the series" "$LKMDEMO_LOGS/series-apply.log" \
	"$S/series.sh" --out "$patches" --apply
pass "series: applies with git am onto lkmdemo-base"
tree=$(patched_tree)
am=$LKMDEMO_CACHE/work/am-$(kernel_id)

# The copy-and-snippets route must give the same files.
copy=$LKMDEMO_CACHE/work/copy-$(kernel_id)
rm -rf "$copy"
mkdir -p "$copy/drivers/misc"
git -C "$repo" archive lkmdemo-base drivers/misc | tar -x -C "$copy"
mkdir -p "$copy/tools/testing/selftests/drivers/misc" "$copy/Documentation"
rc=0
"$S/series.sh" --install "$copy" >"$LKMDEMO_LOGS/copy-route.log" 2>&1 || rc=1
for d in drivers/misc tools/testing/selftests/drivers/misc/lkmdemo \
	 Documentation/misc-devices/lkmdemo; do
	diff -r "$tree/$d" "$copy/$d" >>"$LKMDEMO_LOGS/copy-route.log" 2>&1 || rc=1
done
result $rc "series: the copy-and-snippets route gives the same tree" \
	"log: $LKMDEMO_LOGS/copy-route.log"

for p in "$patches"/0*.patch; do
	name=$(basename "$p")
	[ "${name#0000-}" = "$name" ] || continue
	out=$(cd "$tree" && scripts/checkpatch.pl --strict "$p" 2>&1) || true
	total=$(echo "$out" | sed -n 's/^total: //p')
	if [ -n "$total" ] &&
	   [ "$total" = "0 errors, 0 warnings, 0 checks, ${total#*checks, }" ] &&
	   ! echo "$out" | grep -q Traceback; then
		pass "checkpatch --strict: $name"
	else
		echo "$out" >&2
		fail "checkpatch --strict: $name" \
			"rerun: (cd $tree && scripts/checkpatch.pl --strict $p)"
	fi
done

# The static gates on the patched tree: kernel-doc, sparse, coccinelle,
# clang W=1, htmldocs, get_maintainer (quick mode: the cheap ones).
gates_args=(--kernel "$LKMDEMO_KERNEL" --patches "$patches" --results "$results")
[ "$quick" = 0 ] || gates_args+=(--quick)
"$S/gates.sh" "${gates_args[@]}" ||
	fail "gates: scripts/gates.sh ran to its end" \
		"rerun: bash $S/gates.sh --kernel $LKMDEMO_KERNEL"

# Every patch builds on its own: drivers/misc/lkmdemo of each prefix of
# the series, all options y and then all m, in one build directory.
if [ "$quick" = 0 ]; then
	bisect=$LKMDEMO_CACHE/build/$(kernel_id)-$LKMDEMO_ARCH-bisect
	mkdir -p "$bisect"
	bmake=(make -C "$am" O="$bisect" ARCH="$(kernel_arch)" -j"$LKMDEMO_JOBS"
	       CC="ccache gcc" HOSTCC="ccache gcc")
	head=$(git -C "$am" rev-parse HEAD)
	n=$(git -C "$am" rev-list --count lkmdemo-base..HEAD)
	stamps=$LKMDEMO_CACHE/bisect-clean
	mkdir -p "$stamps"
	for i in $(seq 1 "$n"); do
		commit=$(git -C "$am" rev-parse "$head~$((n - i))")
		for mode in y m; do
			blog=$LKMDEMO_LOGS/bisect-$i-$mode.log
			desc="patch $i/$n builds on its own (=$mode, W=1, no warning)"
			# The same tree with the same compiler and fragment was
			# built without a warning before: say so instead of
			# building it again.
			key=$(git -C "$am" rev-parse "$commit^{tree}")-$mode-$(
				{ gcc --version; cat "$S/configs/$LKMDEMO_ARCH.config"; } |
				sha1sum | cut -c1-12)
			if [ -f "$stamps/$key" ]; then
				pass "$desc (cached: tree ${key%%-*} built clean $(cat "$stamps/$key"))"
				continue
			fi
			git -C "$am" checkout -q --detach "$commit"
			rc=0
			(
				[ -f "$bisect/.config" ] || "${bmake[@]}" tinyconfig
				lkmdemo_fragment "$mode" "$am" >"$bisect/lkmdemo.config"
				"$am/scripts/kconfig/merge_config.sh" -m -O "$bisect" \
					"$bisect/.config" "$S/configs/$LKMDEMO_ARCH.config" \
					"$bisect/lkmdemo.config"
				"${bmake[@]}" olddefconfig
				"${bmake[@]}" W=1 drivers/misc/lkmdemo/
			) >"$blog" 2>&1 || rc=$?
			if [ $rc -eq 0 ] && grep -q 'warning:' "$blog"; then
				rc=1
			fi
			[ $rc -eq 0 ] && date -u +%Y-%m-%dT%H:%MZ >"$stamps/$key"
			result $rc "$desc" "log: $blog"
		done
	done
	git -C "$am" checkout -q --detach "$head"
	log "per-patch builds done"
fi

# --- Kernels and boots ---

# count_boot NAME CONFIG: count what one boot reported.
count_boot() {
	local name=$1 res=$LKMDEMO_LOGS/boot-$1.results
	local con=$LKMDEMO_LOGS/boot-$1.console script line
	# kselftests: every TAP line of every script
	script=
	while IFS= read -r line; do
		case $line in
		"# selftest: "*" exit="*)
			local rc=${line##*exit=}
			if [ "$rc" = 4 ]; then
				skip "$name: ${script}" "skipped"
			elif [ "$rc" != 0 ] && [ "$script_failed" = 0 ]; then
				fail "$name: $script exited $rc without a failed test"
			fi
			script= ;;
		"# selftest: "*) script=${line#\# selftest: }; script_failed=0 ;;
		"ok "*"# SKIP"*)
			[ -n "$script" ] && skip "$name: $script: ${line#ok * }" ;;
		"ok "*) [ -n "$script" ] && pass "$name: $script: ${line#ok * }" ;;
		"not ok "*)
			[ -n "$script" ] || continue
			script_failed=1
			fail "$name: $script: ${line#not ok * }" "see $res" ;;
		esac
	done < <(tr -d '\r' <"$res")
	# KUnit: the cases of every suite, as KTAP in the kernel log
	tr -d '\r' <"$res" | sed -n '/^# dmesg begin/,/^# dmesg end/p' |
		sed 's/^\[[ 0-9.]*\] //' >"$res.dmesg"
	local suites
	suites=$(grep -cE '^ *# Subtest: lkmdemo' "$res.dmesg" || true)
	if [ "$suites" = 0 ] && grep -q 'KUNIT_TEST=[ym]' "$(build_dir "$2")/.config"; then
		fail "$name: KUnit: no lkmdemo suite ran"
	fi
	# A suite's cases are at the indentation of its "# Subtest:" line;
	# its own result line is less indented.
	awk -v boot="$name" '
	match($0, /^ *# Subtest: lkmdemo/) {
		suite = $NF; ind = index($0, "#") - 1; next
	}
	suite {
		i = match($0, /[^ ]/) - 1
		if (i < ind && /^ *(not )?ok [0-9]+ /) { suite = ""; next }
		if (i != ind || !/^ *(not )?ok [0-9]+ /) next
		st = /^ *ok/ ? "PASS" : "FAIL"
		if (/# SKIP/) st = "SKIP"
		sub(/^ *(not )?ok [0-9]+ /, "")
		print st, boot ": KUnit " suite ": " $0
	}' "$res.dmesg" >>"$results"
	# the whole log: no warning, bug, oops or trace
	local bad
	bad=$(grep -E 'WARNING:|BUG:|Oops|Call Trace|kernel BUG|UBSAN:|KASAN:|unreferenced object|possible circular|INFO: task' \
		"$con" "$res.dmesg" | head -n 3 || true)
	if [ -z "$bad" ]; then
		pass "$name: no WARN, BUG, oops or call trace in the log"
	else
		fail "$name: the log has a warning: $bad" "see $con"
	fi
}

# The =y boots: one per set of values on the command line (params.sh knows
# each set).
# Each selftest that checks built-in values names its module (mod=) and
# its sets of values (GOOD="..." and BAD="..."); the y kernel boots once
# with no values, once with every GOOD set and once with every BAD set.
selftests=$tree/tools/testing/selftests/drivers/misc/lkmdemo
# boot_set NAME: the NAME sets of all selftests, as kernel parameters.
boot_set() {
	local f mod w out=
	for f in "$selftests"/*.sh; do
		mod=$(sed -n 's/^mod=//p' "$f")
		[ -n "$mod" ] || continue
		# shellcheck disable=SC2013 # the values are words
		for w in $(awk -v name="$1" '
			index($0, name "=\"") == 1 { on = 1; sub(/^[^"]*"/, "") }
			on { end = sub(/"$/, ""); print; if (end) exit }' "$f"); do
			out="$out $mod.$w"
		done
	done
	echo "${out# }"
}
GOOD=$(boot_set GOOD)
BAD=$(boot_set BAD)

for config in $LKMDEMO_CONFIGS; do
	"$S/build.sh" --config "$config"
	stage "initramfs $config" "$LKMDEMO_LOGS/initramfs-$config.log" \
		"$S/initramfs.sh" --config "$config"
	id=$(kernel_id)-$LKMDEMO_ARCH-$config
	case $config in
	y)
		boots=(defaults good bad)
		;;
	*)
		boots=(modprobe)
		;;
	esac
	for b in "${boots[@]}"; do
		case $b in
		good) append=$GOOD ;;
		bad) append=$BAD ;;
		*) append= ;;
		esac
		rc=0
		"$S/boot.sh" --config "$config" --name "$id-$b" --append "$append" || rc=$?
		if [ $rc -ne 0 ]; then
			fail "$id-$b: the guest booted and finished"
			continue
		fi
		pass "$id-$b: the guest booted and finished"
		count_boot "$id-$b" "$config"
	done
done

# --- Summary ---
grep '^FAIL' "$results" >&2 || true
np=$(grep -c '^PASS' "$results" || true)
nf=$(grep -c '^FAIL' "$results" || true)
ns=$(grep -c '^SKIP' "$results" || true)
log "all results: $results"
echo "$np passed, $nf failed, $ns skipped"
[ "$nf" -eq 0 ]
