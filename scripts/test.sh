#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The lkmdemo test command: from a fresh machine to booted kernels.
#
#   test.sh                    the full run
#   test.sh [--quick] [--kernel mainline|6.12|6.1|DIR] [--arch x86_64|arm64|i386]
#           [--config "y m nomodules debug mixed"|none]
#           [--modules "hello params"]
#           [--combos] [--seed N] [--no-static] [--no-series]
#           [--gates "sparse clang"] [--fresh]
#
# Checks the series (up to date, reproducible, applies with git am, same
# tree as the copy-and-snippets route, checkpatch --strict, the static
# gates of gates.sh, every patch builds), builds the kernels of the
# configurations (default: y m), boots them in QEMU and counts the
# kselftest TAP and KUnit KTAP results and the log checks. Ends with
# "N passed, N failed, N skipped"; exits non-zero if anything failed.
#
# With no option but --seed (nor LKMDEMO_KERNEL, _ARCH, _CONFIGS or
# _MODULES in the environment) it is the full run, five legs and the
# Kconfig combinations in two lanes that run at the same time: mainline
# x86_64 in one, 6.12 in the other, then 6.1, mainline arm64, i386 and
# the combinations, each taken by the lane that is free first:
#   mainline (Debian's linux-source-$LKMDEMO_MAINLINE), x86_64: everything
#     above but the sparse and clang gates, the b4 round trip, configurations y
#     debug m nomodules (debug second: its boots are the longest, and its
#     loading.sh takes a module of the y kernel for one of another
#     release; it has symbol versions, forced loads, signed modules and
#     dynamic debug, and boots with module.sig_enforce=1 too, where
#     loading.sh ends with kernel.modules_disabled=1); its Kconfig
#     combinations (--combos) once it has ended, from its y build;
#   mainline, arm64: y and m (the series is the first leg's: it is
#     generated to know which base it has and applied, not counted again);
#   mainline, i386: y and m, as arm64: a 32-bit kernel, where a long is
#     32 bits (params.sh's values of the word size);
#   Linux 6.12, x86_64: the series for 6.12 (backport rules), its
#     checkpatch, the sparse and clang gates (mainline needs sparse with
#     __typeof_unqual__ and clang 17; Debian 12 has sparse 0.6.4 and
#     clang 14), y and m;
#   Linux 6.1, x86_64: the series for 6.1 and its checkpatch, y, m and
#     mixed (the options others depend on built in, the rest modules).
# Each leg logs to $LKMDEMO_CACHE/logs/KERNEL-ARCH/ (the combinations to
# mainline-x86_64-combos/), and its results are named "KERNEL/ARCH: ..."
# ("mainline/x86_64: combos: ..." for the combinations).
#
# --quick skips the per-patch builds, the reproducibility check and the
# gates that have no cached pass; with --config and --modules it tests
# one configuration and some modules.
# --combos also builds (vmlinux and modules, no boot) every LKMDEMO option
# m, every one y, each alone as m and as y (read off the first two where
# kbuild shows it may be) and 8 random assignments drawn with --seed
# (see scripts/combos.sh); --config none boots nothing.
# --no-static leaves out what does not depend on the kernel and the
# architecture, and the static gates: shellcheck, the reproducibility
# check, gates.sh and the per-patch builds (the full run does them once,
# on mainline for x86_64).
# --no-series applies the series without checking it (patches/ up to
# date, the copy-and-snippets route, checkpatch).
# --gates runs these gates of gates.sh in a leg that has --no-static.
# --fresh (LKMDEMO_FRESH=1) does every step again. Without it, a step
# whose inputs are the bytes of a run in which it passed is not run
# again and its pass says from when: shellcheck, the series' generation,
# reproducibility and git am, checkpatch, the per-patch builds, the
# gates, the b4 round trip, the kernels' builds, the initramfs, and the
# boots (a boot of the same kernel, initramfs and command line: its
# console and results are kept, and counted again by this run).
# What the user picked (in the environment, then on the command line):
# nothing is the full run. The run proper (see below) gets the parent's
# reading of the environment: lib.sh exports its defaults.
if [ -n "${LKMDEMO_RUN_CHILD:-}" ]; then
	picked=${LKMDEMO_RUN_PICKED:-}
else
	picked=${LKMDEMO_KERNEL:-}${LKMDEMO_ARCH:-}${LKMDEMO_CONFIGS:-}${LKMDEMO_MODULES:-}
fi
env_picked=$picked
run_args=("$@")
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,/^[^#]/s/^# \{0,1\}//p' "$0"
}

quick=0
static=1
series=1
extra_gates=
leg=0
combos=${LKMDEMO_COMBOS:-0}
seed=${LKMDEMO_SEED:-}
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help|--seed|--fresh) ;;
	*) picked="$picked $1" ;;
	esac
	case $1 in
	--quick) quick=1; shift ;;
	--kernel) LKMDEMO_KERNEL=${2:?--kernel needs a value}; shift 2 ;;
	--config) LKMDEMO_CONFIGS=${2:?--config needs a value}; shift 2 ;;
	--arch) LKMDEMO_ARCH=${2:?--arch needs a value}; shift 2 ;;
	--combos) combos=1; shift ;;
	--seed) seed=${2:?--seed needs a value}; shift 2 ;;
	--modules) LKMDEMO_MODULES=${2:?--modules needs a value}; shift 2 ;;
	--no-static) static=0; shift ;;
	--no-series) series=0; shift ;;
	--gates) extra_gates=${2:?--gates needs a list}; shift 2 ;;
	--leg) leg=1; shift ;;
	--fresh) LKMDEMO_FRESH=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
[ -n "$picked" ] && full=0 || full=1

# An interrupted run stops all it started: builds, guests (timeout puts
# QEMU in a process group of its own, so a ^C to ours misses it) and
# legs. At the end of a run that ended normally nothing is left.
# kill_tree PID: TERM to PID and every process under it.
kill_tree() {
	local c
	for c in $(pgrep -P "$1" || true); do
		kill_tree "$c"
	done
	kill -TERM "$1" 2>/dev/null || true
}
stop_all() {
	local c
	for c in $(pgrep -P $$ || true); do
		kill_tree "$c"
	done
}
# The run proper is a child of this process, which only waits for it:
# bash runs a trap only once the command in the foreground has ended (a
# kernel build takes minutes), but a wait ends at once on a signal. So a
# TERM (the CI's time limit, kill) or a ^C stops every build and guest
# of the run within seconds, and the run says so.
# The run is a process group of its own (job control, set -m, gives a
# background job one), so that what make starts while it is being
# stopped, or what a killed step leaves behind, is stopped with it.
# QEMU is in a group of its own (timeout's): kill_tree finds it.
if [ -z "${LKMDEMO_RUN_CHILD:-}" ]; then
	# A background group may not read the terminal: sudo asks for its
	# password here, in the foreground, when the run may need it.
	if [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
		log "sudo: the run installs the Debian packages it lacks"
		sudo -v
	fi
	set -m
	LKMDEMO_RUN_CHILD=1 LKMDEMO_RUN_PICKED=$env_picked bash "$0" "${run_args[@]}" &
	run_pid=$!
	set +m
	# shellcheck disable=SC2317 # called by the traps
	interrupted() {
		log "interrupted ($1): stopping every build and guest of this run"
		# twice: a step that ended by the first may have begun another
		kill_tree "$run_pid"
		kill -TERM -- "-$run_pid" 2>/dev/null || true
		sleep 1
		kill_tree "$run_pid"
		kill -TERM -- "-$run_pid" 2>/dev/null || true
		wait "$run_pid" 2>/dev/null || true
		log "interrupted ($1): stopped; the run did not finish"
		exit 130
	}
	trap 'interrupted INT' INT
	trap 'interrupted TERM' TERM
	rc=0
	wait "$run_pid" || rc=$?
	exit "$rc"
fi
trap stop_all EXIT
trap 'exit 130' INT TERM

# One run at a time in a cache: two would delete each other's logs and
# share build directories. The legs of the full run are the one run.
if [ "$leg" = 0 ]; then
	mkdir -p "$LKMDEMO_CACHE"
	exec 9>>"$LKMDEMO_CACHE/run.lock"
	if ! flock -n 9; then
		die "another lkmdemo run ($(cat "$LKMDEMO_CACHE/run.pid" 2>/dev/null || echo "pid unknown")) is using $LKMDEMO_CACHE: wait for it to end, or give this one a cache of its own (LKMDEMO_CACHE=DIR)"
	fi
	echo "pid $$, started $(date -u +%Y-%m-%dT%H:%MZ)" >"$LKMDEMO_CACHE/run.pid"
fi

# The packages of a leg: a kernel build's, and for the series
# (checkpatch's spdxcheck needs python3-ply; python3-git) and shellcheck.
TEST_PKGS=("${BUILD_PKGS[@]}" python3-ply python3-git shellcheck coccinelle b4 rsync)

# replays FILE: how many boots of a results file ran, and how many were
# replayed.
replays() {
	local all rep
	all=$(grep -c ': the guest booted and finished' "$1" || true)
	rep=$(grep -c ': the guest booted and finished (replayed: ' "$1" || true)
	log "boots: $((all - rep)) run, $rep replayed (their inputs passed before; --fresh boots them again)"
}

# --- The full run: one leg per kernel and architecture ---
if [ "$full" = 1 ]; then
	# NAME KERNEL ARCH CONFIGURATIONS: the legs, and the Kconfig
	# combinations of mainline x86_64 as an item of their own (see the
	# lanes below).
	legs=(
		"mainline-x86_64 mainline x86_64 y debug m nomodules"
		"mainline-arm64 mainline arm64 y m"
		"mainline-i386 mainline i386 y m"
		"6.12-x86_64 6.12 x86_64 y m"
		"6.1-x86_64 6.1 x86_64 y m mixed"
		"mainline-x86_64-combos mainline x86_64 none"
	)
	all=$LKMDEMO_LOGS/test-results.txt
	LKMDEMO_RESULTS=$all
	: >"$all"
	# Every package of every leg in one apt-get run, before the first:
	# the guests' compilers too (initramfs.sh), or the last legs wait
	# for apt in the middle of the run.
	pkgs=("${TEST_PKGS[@]}")
	for l in "${legs[@]}"; do
		read -r _ k a _ <<<"$l"
		read -r -a apkgs <<<"$(LKMDEMO_ARCH=$a arch_pkgs) $(LKMDEMO_ARCH=$a guest_cc_pkgs)"
		[ "$k" = mainline ] || pkgs+=("linux-source-$k")
		pkgs+=("${apkgs[@]}")
		[ "$a" = x86_64 ] || need_foreign_arch "$a"
	done
	read -r -a gpkgs <<<"$("$LKMDEMO_SCRIPTS/gates.sh" --packages)"
	mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" "${gpkgs[@]}" | awk '!seen[$0]++')
	need_pkgs "${pkgs[@]}"
	# leg_label NAME KERNEL ARCH: a leg's name in the log, "KERNEL/ARCH"
	# ("mainline/x86_64 combos" for the combinations).
	leg_label() {
		case $1 in
		*-combos) echo "$2/$3 combos" ;;
		*) echo "$2/$3" ;;
		esac
	}
	# run_leg I: run leg I alone, its lines prefixed with its name; its
	# exit status and time go to files beside its results.
	run_leg() {
		local name k a cfgs label args dir t0 rc TIMEFORMAT='%0U %0S'
		local x86_rc=$LKMDEMO_CACHE/logs/mainline-x86_64/leg.rc
		read -r name k a cfgs <<<"${legs[$1]}"
		label=$(leg_label "$name" "$k" "$a")
		args=(--kernel "$k" --arch "$a" --config "$cfgs" --leg)
		case $name in
		mainline-x86_64) ;;
		*-combos)
			args+=(--combos ${seed:+--seed "$seed"} --no-static --no-series)
			# They start from that leg's y build (and find its
			# git am work tree at the series' commit): once it has
			# ended.
			[ -f "$x86_rc" ] ||
				log "leg $label waits for the leg mainline/x86_64 to end"
			while [ ! -f "$x86_rc" ]; do
				sleep 5
			done
			;;
		mainline-*) args+=(--no-static --no-series) ;;
		6.12-*) args+=(--no-static --gates "sparse clang") ;;
		*) args+=(--no-static) ;;
		esac
		dir=$LKMDEMO_CACHE/logs/$name
		mkdir -p "$dir"
		rm -f "$dir/leg.rc" "$dir/test-results-$(LKMDEMO_KERNEL=$k kernel_id)-$a.txt"
		t0=$(date +%s)
		log "leg $label starts"
		rc=0
		# the time keyword: the CPU seconds of the leg and all it ran
		{ time { LKMDEMO_LOGS=$dir bash "$0" "${args[@]}" 2>&1 |
			sed -u "s|^|[$label] |" || rc=${PIPESTATUS[0]}; }; } 2>"$dir/leg.cpu"
		echo "$rc $(($(date +%s) - t0)) $(cpu_seconds "$dir/leg.cpu")" >"$dir/leg.rc"
	}
	# Two lanes at the same time: mainline x86_64 (the longest) and
	# 6.12; then each lane whose leg ended takes the next of 6.1, mainline
	# arm64 and i386 (which apply the series the first leg checked, in
	# work trees of their own, onto the same patched tree: the same
	# commit, so no file changes), and last the Kconfig combinations,
	# which start from mainline x86_64's y build once that leg has
	# ended. A lane that takes the next item when it is free, rather
	# than a fixed list, does not leave a core idle while the other lane
	# runs its last legs; the combinations, two builds at a time and no
	# guest, are the item that keeps both cores busy at the end (as part
	# of the x86_64 leg they were its last 223 s, and i386 ran alone
	# after them for 358 s in a cold run of e69fc9a). The lanes share
	# the cache's ccache and stamps and nothing else; the cores that one
	# lane leaves idle (QEMU's TCG takes one per guest, configuring and
	# make's walk of the tree one each) go to the other lane's builds.
	order=(0 3 4 1 2 5)
	queue=$LKMDEMO_LOGS/legs.queue
	echo 2 >"$queue"
	# next_leg: the place in order of the next leg to run, taken under a
	# lock (the two lanes may ask at once).
	next_leg() {
		(
			flock 8
			read -r n <"$queue"
			echo $((n + 1)) >"$queue"
			echo "$n"
		) 8>>"$queue.lock"
	}
	lane_pids=()
	cpu_all=0
	run_t0=$(date +%s)
	for first in 0 1; do
		(
			n=$first
			while [ "$n" -lt "${#order[@]}" ]; do
				run_leg "${order[$n]}"
				n=$(next_leg)
			done
		) &
		lane_pids+=($!)
	done
	for p in "${lane_pids[@]}"; do
		wait "$p" || fail "full run: a lane of legs ran to its end (pid $p)" "see the output above"
	done
	for l in "${legs[@]}"; do
		read -r name k a _ <<<"$l"
		label=$(leg_label "$name" "$k" "$a")
		# its results' names: "KERNEL/ARCH: ..." (results_json reads
		# the kernel and the architecture off it), "mainline/x86_64:
		# combos: ..."
		prefix="${label/ /: }:"
		dir=$LKMDEMO_CACHE/logs/$name
		legres=$dir/test-results-$(LKMDEMO_KERNEL=$k kernel_id)-$a.txt
		read -r rc secs cpu <"$dir/leg.rc" 2>/dev/null || { rc=-1; secs=unknown; cpu=0; }
		cpu_all=$((cpu_all + cpu))
		if [ ! -s "$legres" ]; then
			fail "$label: the leg ran (exit $rc)" "see the output above"
			continue
		fi
		# A leg that stopped early (exit but no FAIL line) fails the run.
		if [ "$rc" -ne 0 ] && ! grep -q '^FAIL' "$legres"; then
			fail "$label: the leg ran to its end (exit $rc)" "see the output above"
		fi
		sed "s|^\([A-Z]*\) |\1 $prefix |" "$legres" >>"$all"
		log "leg $label took ${secs}s, CPU ${cpu}s:" \
			"$(grep -c '^PASS' "$legres" || true) pass," \
			"$(grep -c '^FAIL' "$legres" || true) fail," \
			"$(grep -c '^SKIP' "$legres" || true) skip"
	done
	log "the legs used ${cpu_all}s of CPU in $(($(date +%s) - run_t0))s ($(nproc) cores)"
	replays "$all"
	summarize "$all"
	exit
fi

export LKMDEMO_KERNEL LKMDEMO_CONFIGS LKMDEMO_MODULES LKMDEMO_ARCH
kernel_arch >/dev/null
[ "$LKMDEMO_CONFIGS" != none ] || LKMDEMO_CONFIGS=
for config in $LKMDEMO_CONFIGS; do
	check_config_name "$config"
done

S=$LKMDEMO_SCRIPTS
# One file per kernel and architecture, so that two runs can share a cache.
LKMDEMO_RESULTS=$LKMDEMO_LOGS/test-results-$(kernel_id)-$LKMDEMO_ARCH.txt
results=$LKMDEMO_RESULTS
: >"$results"

# shellcheck disable=SC2046 # one word per package
need_pkgs "${TEST_PKGS[@]}" $(arch_pkgs)

# The result files of the jobs that run in the background, added to the
# results in this order once all have ended.
counted=()
# The background jobs: what each does, by pid; each one's status is
# collected at the end, and one that failed is a FAIL. The status goes to
# a file when the job ends: a full run starts more processes than there
# are pids (32768), and bash forgets a job's status when a new child of
# the shell gets its pid, so "wait PID" at the end said 127 ("not a child
# of this shell") for a boot that had passed.
declare -A bg_what=() bg_rc=()
bg_n=0
# bg WHAT CMD...: run CMD in the background, its status to a file.
bg() {
	local what=$1 f
	shift
	bg_n=$((bg_n + 1))
	f=$LKMDEMO_LOGS/bg-$$-$bg_n.rc
	rm -f "$f" "$f.cpu"
	# Its time and CPU seconds (all it ran) go to the log when it ends,
	# as a stage's do: where a run's CPU goes is then measured.
	( trap 'echo $? >"$f"' EXIT
	  t0=$(date +%s) TIMEFORMAT='%0U %0S' rc=0
	  { time "$@" 2>&3; } 3>&2 2>"$f.cpu" || rc=$?
	  log "$what done in $(($(date +%s) - t0))s, CPU $(cpu_seconds "$f.cpu")s"
	  rm -f "$f.cpu"
	  exit "$rc" ) &
	bg_what[$!]=$what
	bg_rc[$!]=$f
}

# Debian's python3 runs checkpatch's helpers (spdxcheck needs python3-ply).
export PATH=/usr/bin:$PATH

if [ "$static" = 1 ]; then
	name="shellcheck: scripts, guest scripts and selftests are clean"
	key=$(shellcheck --version | inputs_key "$S" "$LKMDEMO_TOP/tools-testing-selftests-drivers-misc-lkmdemo" \
		"$LKMDEMO_TOP/.ci/run")
	if when=$(passed_before shellcheck "$key"); then
		pass "$name (the same files passed on $when)"
	else
		rc=0
		{
			(cd "$S" && shellcheck -x ./*.sh) &&
			shellcheck -s sh "$S"/guest/* &&
			(cd "$LKMDEMO_TOP/tools-testing-selftests-drivers-misc-lkmdemo" &&
			 shellcheck -x -s sh ./*.sh) &&
			shellcheck "$LKMDEMO_TOP/.ci/run"
		} >"$LKMDEMO_LOGS/shellcheck.log" 2>&1 || rc=1
		[ "$rc" != 0 ] || mark_passed shellcheck "$key"
		result $rc "$name" "log: $LKMDEMO_LOGS/shellcheck.log"
	fi
fi

stage "kernel source" "$LKMDEMO_LOGS/kernel-source.log" "$S/kernel-source.sh"
repo=$(base_repo)

# series_core DIR: what of a series does not depend on its base: each
# patch's message and the diffs of the files it adds (a diff of a file
# of the base, its context and blob ids, and the commit ids and the
# cover letter's base lines are left out).
series_core() {
	local p
	for p in "$1"/0*.patch; do
		echo "=== ${p##*/}"
		awk '
		/^From [0-9a-f]+ Mon Sep 17 00:00:00 2001$/ { next }
		/^base-commit: / || /^This series is made on / { next }
		/^diff --git / { hdr = $0; pending = 1; keep = 0; next }
		pending { pending = 0; keep = /^new file mode/; if (keep) print hdr }
		/^-- *$/ { keep = 1 }
		hdr && !keep { next }
		{ print }' "$p"
	done
}

# --- The series ---
# patches/ is made on Debian's mainline source. A tree of that release
# is checked against it byte for byte when it is the same base; when the
# base is another (a newer Debian upload, a tree of the user's), the run
# says so and checks the series made for the base it has. Any other
# kernel gets a series of its own, made by the backport rules.
first=
if [ "$(base_release)" = "$LKMDEMO_MAINLINE" ] && [ "$series" = 0 ] &&
   [ "$(sed -n 's/^base-commit: //p' "$LKMDEMO_TOP/patches/0000-cover-letter.patch" 2>/dev/null)" = \
     "$(git -C "$repo" rev-parse lkmdemo-base)" ]; then
	# --no-series (the full run's other mainline legs): the series is
	# not under test here, and patches/ is made on this base. Checking
	# it against the mirrors (a generation, some 25 CPU seconds) is the
	# first leg's.
	patches=$LKMDEMO_TOP/patches
	log "series: patches/ is made on this base; not checked against the mirrors here (--no-series)"
elif [ "$(base_release)" = "$LKMDEMO_MAINLINE" ]; then
	rc=0
	"$S/series.sh" --check >"$LKMDEMO_LOGS/series-check.log" 2>&1 || rc=$?
	patches=$LKMDEMO_TOP/patches
	first=$LKMDEMO_CACHE/work/series-check-$(work_id)
	case $rc in
	0) [ "$series" = 0 ] || pass "series: patches/ matches the mirrors" ;;
	3)
		grep 'the base changed' "$LKMDEMO_LOGS/series-check.log" >&2 || true
		[ "$series" = 0 ] || skip "series: patches/ matches the mirrors byte for byte" \
			"the base is not the one patches/ was made on (see the line above)"
		patches=$LKMDEMO_CACHE/patches-$(work_id)
		rm -rf "$patches"
		cp -a "$first" "$patches"
		# What does not depend on the base must still be patches/':
		# the messages and every file a patch adds.
		if [ "$series" = 1 ]; then
			rc=0
			diff <(series_core "$LKMDEMO_TOP/patches") <(series_core "$patches") \
				>"$LKMDEMO_LOGS/series-core.diff" 2>&1 || rc=1
			result $rc "series: patches/ has the messages and the added files of the series made for this base" \
				"difference: $LKMDEMO_LOGS/series-core.diff; run scripts/series.sh"
		fi
		;;
	*)
		if [ "$series" = 1 ]; then
			fail "series: patches/ matches the mirrors" \
				"$(tail -n 1 "$LKMDEMO_LOGS/series-check.log")"
		else
			tail -n 5 "$LKMDEMO_LOGS/series-check.log" >&2
			die "the series check stopped; log: $LKMDEMO_LOGS/series-check.log"
		fi
		;;
	esac
else
	patches=$LKMDEMO_CACHE/patches-$(kernel_id)
	stage "generate the series for $(kernel_id)" "$LKMDEMO_LOGS/series.log" \
		"$S/series.sh" --out "$patches"
	first=$patches
fi
# Reproducible: one more generation gives the same bytes as the first
# (the check's, or the one above).
if [ "$quick" = 0 ] && [ "$static" = 1 ]; then
	name="series: regenerating gives identical bytes"
	key=$("$S/series.sh" --key 2>>"$LKMDEMO_LOGS/series-regen.log")
	if when=$(passed_before series-regen "$key"); then
		pass "$name (the same inputs regenerated identically on $when)"
	else
		rc=0
		LKMDEMO_FRESH=1 "$S/series.sh" --out "$LKMDEMO_CACHE/work/regen-$(work_id)" \
			>"$LKMDEMO_LOGS/series-regen.log" 2>&1 || rc=1
		diff -r "$first" "$LKMDEMO_CACHE/work/regen-$(work_id)" \
			>>"$LKMDEMO_LOGS/series-regen.log" 2>&1 || rc=1
		[ "$rc" != 0 ] || mark_passed series-regen "$key"
		result $rc "$name" "log: $LKMDEMO_LOGS/series-regen.log"
	fi
fi

# A leg that builds each commit of the series (the static checks, not
# --quick) reads them in a whole work tree of its own. The others build
# the last commit alone, in the build tree, and apply the series in a
# sparse work tree (a checkout of 70000 files fewer); those that do not
# check the series either take the commit another leg's git am made,
# when there is one.
apply_args=(--out "$patches" --apply)
each_commit=0
if [ "$static" = 1 ] && [ "$quick" = 0 ]; then
	each_commit=1
else
	apply_args+=(--sparse)
	[ "$series" = 1 ] || apply_args+=(--shared)
fi
stage "git am the series" "$LKMDEMO_LOGS/series-apply.log" \
	"$S/series.sh" "${apply_args[@]}"
pass "series: applies with git am onto lkmdemo-base"
tree=$(patched_tree)
am=$LKMDEMO_CACHE/work/am-$(work_id)

# Every file whole in the patch that adds it: no later patch changes a
# file that an earlier one added, but for the growing files that the
# manifest names ("grow" lines: Kconfig, Makefile, index.rst, ...).
if [ "$series" = 1 ]; then
	rc=0
	growing=" $(awk '$1 == "grow" {print $2}' "$S/series/manifest" | sort -u | tr '\n' ' ') "
	hooks=" $(awk '$1 == "hook" {print $2}' "$S/series/manifest" | sort -u | tr '\n' ' ') "
	# seen: the files an earlier patch added or changed
	seen=" "
	: >"$LKMDEMO_LOGS/series-whole.log"
	for c in $(git -C "$am" rev-list --reverse lkmdemo-base..HEAD); do
		subject=$(git -C "$am" log -1 --format=%s "$c")
		now=
		while read -r st path; do
			why=
			case $seen in
			*" $path "*)
				case $growing in
				*" $path "*) ;;
				*) why="changes $path, which an earlier patch added or changed" ;;
				esac ;;
			*)
				case $st$hooks in
				A*) ;;
				*" $path "*) ;;
				*) why="changes $path, a file of the base that the manifest does not hook" ;;
				esac ;;
			esac
			if [ -n "$why" ]; then
				echo "$subject: $why" >>"$LKMDEMO_LOGS/series-whole.log"
				rc=1
			fi
			now="$now$path "
		done < <(git -C "$am" diff-tree --no-commit-id -r --name-status "$c")
		seen="$seen$now"
	done
	[ "$rc" = 0 ] || cat "$LKMDEMO_LOGS/series-whole.log" >&2
	result $rc "series: each file is whole in the patch that adds it (only the manifest's growing files grow)" \
		"log: $LKMDEMO_LOGS/series-whole.log"
fi

# The mail path: the series kept as b4 prep keeps one, written as mail
# with To and Cc from get_maintainer.pl, and taken back with b4. In the
# background, as checkpatch and the gates: the first kernel's build need
# not wait for them (b4 took three minutes of the cold run).
if [ "$series" = 1 ] && [ "$static" = 1 ] && is_mainline; then
	b4_res=$LKMDEMO_LOGS/b4.counted
	: >"$b4_res"
	counted+=("$b4_res")
	run_b4() {
		"$S/b4.sh" --kernel "$LKMDEMO_KERNEL" --patches "$patches" --results "$b4_res" ||
			LKMDEMO_RESULTS=$b4_res fail "b4: scripts/b4.sh ran to its end" \
				"rerun: bash $S/b4.sh --kernel $LKMDEMO_KERNEL --patches $patches"
	}
	bg "the b4 round trip" run_b4
fi

# The copy-and-snippets route must give the same files.
if [ "$series" = 1 ]; then
	copy=$LKMDEMO_CACHE/work/copy-$(work_id)
	rm -rf "$copy"
	mkdir -p "$copy/drivers/misc"
	git -C "$repo" archive lkmdemo-base Makefile drivers/misc | tar -x -C "$copy"
	mkdir -p "$copy/tools/testing/selftests/drivers/misc" "$copy/Documentation"
	rc=0
	"$S/series.sh" --install "$copy" >"$LKMDEMO_LOGS/copy-route.log" 2>&1 || rc=1
	for d in drivers/misc tools/testing/selftests/drivers/misc/lkmdemo \
		 Documentation/misc-devices/lkmdemo; do
		diff -r "$tree/$d" "$copy/$d" >>"$LKMDEMO_LOGS/copy-route.log" 2>&1 || rc=1
	done
	for h in "$LKMDEMO_TOP"/include-uapi-linux/*.h; do
		d=include/uapi/linux/${h##*/}
		diff "$tree/$d" "$copy/$d" >>"$LKMDEMO_LOGS/copy-route.log" 2>&1 || rc=1
	done
	result $rc "series: the copy-and-snippets route gives the same tree" \
		"log: $LKMDEMO_LOGS/copy-route.log"
fi

# split_checkpatch DIR LIST: checkpatch's output for the patches in
# LIST (one a line, in its order) on stdin, each patch's part in
# DIR/NAME.log. The first patch's part starts at the first line (a
# checkpatch of one file prints no name); the next starts at the line
# of dashes above its name.
split_checkpatch() {
	awk -v dir="$1" '
		function log_of(p) { sub(/.*\//, "", p); return dir "/" p ".log" }
		NR == FNR { list[$0] = 1; if (FNR == 1) out = log_of($0); next }
		held != "" {
			if ($0 in list && length($0) == length(held)) {
				close(out); out = log_of($0)
			}
			print held >out; held = ""
		}
		/^-+$/ { held = $0; next }
		{ print >out }
		END { if (held != "") print held >out }
	' "$2" -
}

# checkpatch --strict on every patch but the cover letter, in
# LKMDEMO_JOBS checkpatch processes, each patch's report in a log of its
# own; counted in the series' order. A patch that passed before, byte
# for byte, with the same base tree (and so the same checkpatch) and
# this script, is a cached pass.
# In the background, with results of its own.
# run_checkpatch FILE: those checks, their results in FILE.
run_checkpatch() {
	local cplogs cpstamps cpbase p name key out total
	LKMDEMO_RESULTS=$1
	cplogs=$LKMDEMO_LOGS/checkpatch
	cpstamps=$LKMDEMO_CACHE/checkpatch-clean
	rm -rf "$cplogs"
	mkdir -p "$cplogs" "$cpstamps"
	cpbase=$( { git -C "$repo" rev-parse lkmdemo-base; cat "$0"; } | sha1sum | cut -c1-12)
	find "$patches" -name '0*.patch' ! -name '0000-*' | LC_ALL=C sort >"$cplogs/all"
	: >"$cplogs/todo"
	declare -A cpkey=()
	while read -r p; do
		cpkey[$p]=$cpbase-$(sha1sum <"$p" | cut -c1-16)
		[ "$LKMDEMO_FRESH" != 1 ] && [ -f "$cpstamps/${cpkey[$p]}" ] ||
			echo "$p" >>"$cplogs/todo"
	done <"$cplogs/all"
	# One checkpatch for each LKMDEMO_JOBS-th of the patches, not one a
	# patch: it asks get_maintainer.pl (some 0.2 CPU s) for the status
	# of every file a patch touches, once a run, and most patches touch
	# MAINTAINERS, the Kconfig and the Makefile. Given several files, it
	# starts the report of each with its name between two lines of
	# dashes; split_checkpatch cuts the output there into a log a patch.
	split -n "r/$LKMDEMO_JOBS" "$cplogs/todo" "$cplogs/todo."
	for p in "$cplogs"/todo.*; do
		[ -s "$p" ] || continue
		# shellcheck disable=SC2094 # both only read the list
		(cd "$tree" && xargs scripts/checkpatch.pl --strict <"$p" 2>&1 |
			split_checkpatch "$cplogs" "$p") &
	done
	wait
	while read -r p; do
		name=$(basename "$p")
		key=${cpkey[$p]}
		if [ "$LKMDEMO_FRESH" != 1 ] && [ -f "$cpstamps/$key" ]; then
			pass "checkpatch --strict: $name (cached: the same bytes passed $(cat "$cpstamps/$key"))"
			continue
		fi
		out=$(cat "$cplogs/$name.log" 2>/dev/null || true)
		total=$(echo "$out" | sed -n 's/^total: //p')
		if [ -n "$total" ] &&
		   [ "$total" = "0 errors, 0 warnings, 0 checks, ${total#*checks, }" ] &&
		   ! echo "$out" | grep -q Traceback; then
			date -u +%Y-%m-%dT%H:%MZ >"$cpstamps/$key"
			pass "checkpatch --strict: $name"
		else
			echo "$out" >&2
			fail "checkpatch --strict: $name" \
				"rerun: (cd $tree && scripts/checkpatch.pl --strict $p)"
		fi
	done <"$cplogs/all"
	[ -s "$cplogs/all" ] || fail "checkpatch --strict: $patches has patches"
}
if [ "$series" = 1 ]; then
	cp_res=$LKMDEMO_LOGS/checkpatch.counted
	: >"$cp_res"
	counted+=("$cp_res")
	bg "checkpatch" run_checkpatch "$cp_res"
fi

# The static gates on the patched tree: kernel-doc, sparse, coccinelle,
# clang W=1, htmldocs, get_maintainer (quick mode: the cheap ones).
# They run in the background, with results of their own, while the
# per-patch builds and the kernels build.
# Mainline needs clang 17 or newer and a sparse that knows
# __typeof_unqual__; Debian 12 has clang 14 and sparse 0.6.4. The sparse
# and clang gates run on 6.12 and its series instead (--gates).
gates_list=$extra_gates
if [ "$static" = 1 ] && [ "$(base_release)" = "$LKMDEMO_MAINLINE" ]; then
	gates_list="kerneldoc coccinelle htmldocs maintainer"
elif [ "$static" = 1 ]; then
	gates_list="kerneldoc sparse coccinelle clang htmldocs maintainer"
fi
if [ -n "$gates_list" ]; then
	gates_res=$LKMDEMO_LOGS/gates.counted
	: >"$gates_res"
	counted+=("$gates_res")
	gates_args=(--kernel "$LKMDEMO_KERNEL" --patches "$patches" --results "$gates_res"
		    --gates "$gates_list")
	[ "$quick" = 0 ] || gates_args+=(--quick)
	run_gates() {
		"$S/gates.sh" "${gates_args[@]}" ||
			LKMDEMO_RESULTS=$gates_res fail "gates: scripts/gates.sh ran to its end" \
				"rerun: bash $S/gates.sh --kernel $LKMDEMO_KERNEL"
	}
	bg "the static gates" run_gates
fi

# Every patch builds on its own: drivers/misc/lkmdemo of each prefix of
# the series, all options y and all m, each mode in a build directory of
# its own, the two at the same time (configuring and make's walk of the
# tree use one core each). The series of another kernel (--no-static,
# not --no-series): its last patch, the whole series, the same way.
# per_patch_builds FILE: those builds, their results in FILE. A build
# directory that was never configured starts as a copy of the kernel's
# build of the same mode when there is one (seed_build_dir), so that
# it does not prepare the whole tree again.
per_patch_builds() {
	local head n stamps cc_key from_patch i commit tree_id pids mode key p src
	LKMDEMO_RESULTS=$1
	head=$(git -C "$am" rev-parse HEAD)
	n=$(git -C "$am" rev-list --count lkmdemo-base..HEAD)
	stamps=$LKMDEMO_CACHE/bisect-clean
	mkdir -p "$stamps"
	cc_key=$( { "$(cross_prefix)gcc" --version; arch_fragments "$tree" | xargs cat; } |
		  sha1sum | cut -c1-12)

	# The sources: the work tree of git am, at each commit in turn; the
	# build tree when the last commit alone is built (the work tree
	# is sparse then).
	src=$am
	[ "$each_commit" = 1 ] || src=$tree

	# bisect_build I MODE KEY: build patch I's tree as MODE, record it.
	bisect_build() {
		local i=$1 mode=$2 key=$3 rc=0 dir
		local blog=$LKMDEMO_LOGS/bisect-$i-$mode.log
		dir=$(build_dir "bisect-$mode")
		# made again from a seed when it was built from other sources
		if [ -f "$dir/.config" ] &&
		   [ "$(readlink -f "$dir/source")" != "$(readlink -f "$src")" ]; then
			rm -rf "$dir"
		fi
		[ -f "$dir/.config" ] ||
			seed_build_dir "$(build_dir "$mode")" "$dir" "$tree" "$src"
		# The configuration has a log of its own: Kconfig's notes (6.1
		# says "warning: override: KERNEL_GZIP changes choice state"
		# for the fragment's choice) are not the code's warnings.
		configure_mode "$src" "$dir" "$mode" >"$blog.config" 2>&1 || rc=$?
		if [ $rc -ne 0 ]; then
			blog=$blog.config
		else
			kmake "$src" "$dir" W=1 drivers/misc/lkmdemo/ >"$blog" 2>&1 || rc=$?
			if [ $rc -eq 0 ] && grep -q 'warning:' "$blog"; then
				rc=1
			fi
		fi
		[ $rc -eq 0 ] && date -u +%Y-%m-%dT%H:%MZ >"$stamps/$key"
		result $rc "patch $i/$n builds on its own (=$mode, W=1, no warning)" \
			"log: $blog"
	}

	from_patch=1
	[ "$each_commit" = 1 ] || from_patch=$n
	for i in $(seq "$from_patch" "$n"); do
		commit=$(git -C "$am" rev-parse "$head~$((n - i))")
		tree_id=$(build_tree_id "$am" "$commit")
		pids=()
		for mode in y m; do
			# The same tree (but its documentation and selftests)
			# with the same compiler and fragment was built without
			# a warning before: say so instead of building it again.
			key=$tree_id-$mode-$cc_key
			if [ "$LKMDEMO_FRESH" != 1 ] && [ -f "$stamps/$key" ]; then
				pass "patch $i/$n builds on its own (=$mode, W=1, no warning) (cached: tree $tree_id built clean $(cat "$stamps/$key"))"
				continue
			fi
			[ "${#pids[@]}" -gt 0 ] ||
				git -C "$am" checkout -q --detach "$commit"
			bisect_build "$i" "$mode" "$key" &
			pids+=($!)
		done
		for p in "${pids[@]}"; do
			wait "$p" || fail "patch $i/$n: its build ran to its end"
		done
	done
	git -C "$am" checkout -q --detach "$head"
	log "per-patch builds done"
}
# They run after the kernels of both modes are built, when the leg
# builds both, in the background; or here.
per_patch=0
if [ "$quick" = 0 ] && { [ "$static" = 1 ] || [ "$series" = 1 ]; }; then
	per_patch=1
	pp_res=$LKMDEMO_LOGS/per-patch.counted
	: >"$pp_res"
	counted+=("$pp_res")
	# later: after the build of the last of y and m
	pp_after=
	for config in $LKMDEMO_CONFIGS; do
		case $config in y|m) pp_after=$config ;; esac
	done
	if [ -n "$pp_after" ]; then
		per_patch=later
	else
		(per_patch_builds "$pp_res")
	fi
fi

# --- Kernels and boots ---

# count_boot NAME CONFIG APPEND: count what one boot reported
# (count-boot.sh), with the selftests that APPEND's lkmdemo.selftests=
# gave it alone.
count_boot() {
	local only
	only=$(tr ' ' '\n' <<<"$3" | sed -n 's/^lkmdemo\.selftests=//p' | tr , ' ')
	local bench=
	[[ " $3 " != *" lkmdemo.bench "* ]] || bench=--bench
	"$S/count-boot.sh" --name "$1" --config "$2" --results "$LKMDEMO_RESULTS" \
		${only:+--only "$only"} $bench ||
		fail "$1: count-boot.sh ran to its end" \
			"rerun: bash $S/count-boot.sh --name $1 --config $2${only:+ --only \"$only\"}"
}

# The =y boots: one per set of values on the command line (params.sh knows
# each set).
# Each selftest that checks built-in values names its module (mod=) and
# its sets of values (GOOD="..." and BAD="...", and those of the
# kernel's word size, GOOD_32="..." or GOOD_64="..." and so on); the y
# kernel boots once with no values and every selftest, once with every
# GOOD set and the selftests that have one, and once with every BAD set
# likewise. A shell test has them as variables, a C test as lines of its
# first comment (" * mod=...").
selftests=$tree/tools/testing/selftests/drivers/misc/lkmdemo
# sets_text FILE: where FILE names its sets: a shell test whole, a C
# test's first comment without its " * ".
sets_text() {
	case $1 in
	*.c) sed -n '/^ \*\//q; s/^ \* //p' "$1" ;;
	*) cat "$1" ;;
	esac
}
# boot_set NAME: the NAME sets of all selftests, as kernel parameters.
boot_set() {
	local f text mod w set out=
	for f in "$selftests"/*.sh "$selftests"/*.c; do
		text=$(sets_text "$f")
		mod=$(sed -n 's/^mod=//p' <<<"$text")
		[ -n "$mod" ] || continue
		for set in "$1" "$1_$(long_bits)"; do
			# shellcheck disable=SC2013 # the values are words
			for w in $(awk -v name="$set" '
				index($0, name "=\"") == 1 { on = 1; sub(/^[^"]*"/, "") }
				on { end = sub(/"$/, ""); print; if (end) exit }' <<<"$text"); do
				out="$out $mod.$w"
			done
		done
	done
	echo "${out# }"
}
GOOD=$(boot_set GOOD)
BAD=$(boot_set BAD)
# set_tests NAME: the selftests that have NAME sets, in the order the
# kselftest runner and the guest take them (the Makefile's
# TEST_GEN_PROGS, then its TEST_PROGS), comma-separated as the guest's
# lkmdemo.selftests= takes them. The good and bad boots run these alone:
# the values on their command line are these tests' modules', and every
# other selftest would do in them what it did in the boot with no
# values, on the same kernel.
set_tests() {
	local t f out=
	for t in $(sed -n 's/^TEST_GEN_PROGS += //p' "$selftests/Makefile") \
		 $(sed -n 's/^TEST_PROGS += //p' "$selftests/Makefile"); do
		f=$selftests/$t
		[ -f "$f" ] || f=$f.c
		grep -qE "^$1(_$(long_bits))?=\"" <<<"$(sets_text "$f")" || continue
		out="$out,$t"
	done
	echo "${out#,}"
}
GOOD_TESTS=$(set_tests GOOD)
BAD_TESTS=$(set_tests BAD)

# boot_key CONFIG APPEND: the inputs of one boot: the kernel image, the
# initramfs (the guest's scripts, the selftests, the modules), the
# command line, boot.sh (QEMU's machine and options) and QEMU itself.
boot_key() {
	{ echo "$LKMDEMO_ARCH $1 $2"; "$(qemu_system)" --version; } |
		inputs_key "$(kernel_image "$1")" "$(build_dir "$1")/initramfs.cpio" \
			"$S/boot.sh" "$S/lib.sh"
}

# boot_purpose CONFIG BOOT FILE: a boot that is there for one thing must
# have shown it: the selftests adapt to the kernel they find, so a boot
# whose command line lost what it was for would pass without it.
boot_purpose() {
	local wants=() want id
	id=$(kernel_id)-$LKMDEMO_ARCH-$1-$2
	case $1-$2 in
	debug-modprobe) wants=("loading.sh: sig_enforce=N: the unsigned copy loads") ;;
	debug-enforce)
		wants=("loading.sh: sig_enforce=Y: the unsigned copy is refused"
		       "loading.sh: kernel.modules_disabled stays 1")
		;;
	*) return 0 ;;
	esac
	for want in "${wants[@]}"; do
		if grep -qF "PASS $id: $want" "$3"; then
			pass "$id: the boot showed what it is for ($want)"
		else
			fail "$id: the boot showed what it is for ($want)" "see $LKMDEMO_LOGS/boot-$id.results"
		fi
	done
	# lkmdemo_hello.dyndbg=+p: its pr_debug() line (KERN_DEBUG, 7) is in
	# the kernel log that dmesg reads, and not on the console, which
	# prints only what is below its log level (7 unless set otherwise).
	local what="lkmdemo_hello's pr_debug() line is in dmesg, not on the console (level 7)"
	local line="lkmdemo_hello: pr_debug() is compiled out"
	if grep -qF "$line" "$LKMDEMO_LOGS/boot-$id.results" &&
	   ! grep -qF "$line" "$LKMDEMO_LOGS/boot-$id.console"; then
		pass "$id: $what"
	else
		fail "$id: $what" "see $LKMDEMO_LOGS/boot-$id.results and .console"
	fi
}

# boot_one CONFIG BOOT APPEND FILE: boot CONFIG's kernel once and count
# what the guest reported into FILE. A boot whose inputs are those of
# one that passed before is not run again: its console and results are
# that boot's, counted again (the counting is this run's).
boot_one() {
	local config=$1 b=$2 append=$3 id key when kept
	id=$(kernel_id)-$LKMDEMO_ARCH-$config-$b
	LKMDEMO_RESULTS=$4
	key=$(boot_key "$config" "$append")
	kept=$LKMDEMO_CACHE/boots/$key
	if when=$(passed_before boot "$key") && [ -s "$kept/console" ] && [ -s "$kept/results" ]; then
		cp "$kept/console" "$LKMDEMO_LOGS/boot-$id.console"
		cp "$kept/results" "$LKMDEMO_LOGS/boot-$id.results"
		log "boot $id: replayed: the same kernel, initramfs and command line booted on $when (--fresh boots it again)"
		pass "$id: the guest booted and finished (replayed: booted on $when)"
		count_boot "$id" "$config" "$append"
		boot_purpose "$config" "$b" "$4"
		return 0
	fi
	if ! "$S/boot.sh" --config "$config" --name "$id" --append "$append"; then
		fail "$id: the guest booted and finished"
		# What it reported before it stopped is counted: the selftests
		# that never finished or never ran fail by name.
		[ ! -s "$LKMDEMO_LOGS/boot-$id.results" ] || count_boot "$id" "$config" "$append"
		boot_purpose "$config" "$b" "$4"
		return 0
	fi
	pass "$id: the guest booted and finished"
	count_boot "$id" "$config" "$append"
	boot_purpose "$config" "$b" "$4"
	# Only a boot with nothing failed is kept for a replay.
	if ! grep -q '^FAIL' "$4"; then
		rm -rf "$kept"
		mkdir -p "$kept"
		cp "$LKMDEMO_LOGS/boot-$id.console" "$kept/console"
		cp "$LKMDEMO_LOGS/boot-$id.results" "$kept/results"
		mark_passed boot "$key"
	fi
}

# The boots run in the background, LKMDEMO_BOOTS at a time (QEMU's TCG
# uses one core), while the next kernel builds; their counts are added
# in order once all have ended.
boot_pids=()
running_boots() {
	local p n=0
	# running: it has written no status, and its pid is alive
	for p in "${boot_pids[@]}"; do
		[ -f "${bg_rc[$p]}" ] || ! kill -0 "$p" 2>/dev/null || n=$((n + 1))
	done
	echo "$n"
}
for config in $LKMDEMO_CONFIGS; do
	# m is y with the LKMDEMO options as modules (mixed: some of them),
	# nomodules is y without CONFIG_MODULES (which some 180 of 760
	# objects do not depend on): a first build of each starts from a
	# copy of the y build.
	from=()
	case $config in
	m|nomodules|mixed) from=(--from "$(build_dir y)") ;;
	esac
	# A kernel that did not configure or build (a fragment line that
	# did not apply, a compiler error) fails, and its boots with it;
	# the other configurations go on.
	kid=$(kernel_id)-$LKMDEMO_ARCH-$config
	if ! "$S/build.sh" --config "$config" "${from[@]}"; then
		fail "$kid: the kernel configured and built" \
			"log: $LKMDEMO_LOGS/build-$kid.log (configure: .log.config); rerun: LKMDEMO_KERNEL=$LKMDEMO_KERNEL LKMDEMO_ARCH=$LKMDEMO_ARCH bash $S/build.sh --config $config ${from[*]}"
		continue
	fi
	if [ "$per_patch" = later ] && [ "$config" = "$pp_after" ]; then
		bg "the per-patch builds" per_patch_builds "$pp_res"
		per_patch=1
	fi
	# hello.c built out of tree against this kernel, installed with its
	# modules for the guest's loading.sh.
	if grep -q '^CONFIG_MODULES=y' "$(build_dir "$config")/.config"; then
		"$S/outoftree.sh" --config "$config" --results "$LKMDEMO_RESULTS" ||
			fail "$kid: scripts/outoftree.sh ran to its end" \
				"rerun: LKMDEMO_KERNEL=$LKMDEMO_KERNEL LKMDEMO_ARCH=$LKMDEMO_ARCH bash $S/outoftree.sh --config $config"
	fi
	if ! (stage "initramfs $config" "$LKMDEMO_LOGS/initramfs-$config.log" \
		"$S/initramfs.sh" --config "$config"); then
		fail "$kid: the initramfs was made" \
			"log: $LKMDEMO_LOGS/initramfs-$config.log; rerun: LKMDEMO_KERNEL=$LKMDEMO_KERNEL LKMDEMO_ARCH=$LKMDEMO_ARCH bash $S/initramfs.sh --config $config"
		continue
	fi
	case $config in
	y|nomodules)
		boots=(defaults good bad)
		;;
	debug)
		# Every selftest, with built-in lkmdemo_hello's pr_debug() on
		# at boot: unsigned modules load (and taint E); then loading.sh
		# alone, where they are refused, and which ends with
		# kernel.modules_disabled=1.
		boots=(modprobe enforce)
		;;
	*)
		boots=(modprobe)
		;;
	esac
	for b in "${boots[@]}"; do
		case $b in
		good) append="lkmdemo.selftests=$GOOD_TESTS $GOOD" ;;
		bad) append="lkmdemo.selftests=$BAD_TESTS $BAD" ;;
		*) append= ;;
		esac
		# The m boot of a kernel with lkmdemo_fifo also measures it
		# against pipe(2) (figures, not tests).
		if [ "$config" = m ] &&
		   grep -q '^CONFIG_LKMDEMO_FIFO=m' "$(build_dir m)/.config"; then
			append="lkmdemo.bench"
		fi
		if [ "$config" = debug ]; then
			append="lkmdemo_hello.dyndbg=+p"
			case $b in
			enforce) append="lkmdemo.selftests=loading.sh lkmdemo.lock_modules module.sig_enforce=1 $append" ;;
			esac
		fi
		while [ "$(running_boots)" -ge "$LKMDEMO_BOOTS" ]; do
			sleep 2
		done
		f=$LKMDEMO_LOGS/boot-$(kernel_id)-$LKMDEMO_ARCH-$config-$b.counted
		: >"$f"
		counted+=("$f")
		bg "the boot $(kernel_id)-$LKMDEMO_ARCH-$config-$b and its count" \
			boot_one "$config" "$b" "$append" "$f"
		boot_pids+=($!)
	done
done
# The kernel they were to follow failed: the per-patch builds run now.
if [ "$per_patch" = later ]; then
	(per_patch_builds "$pp_res")
fi

# --- Kconfig combinations, in lanes that start from the y build ---
if [ "$combos" = 1 ]; then
	combos_args=(--results "$results" ${seed:+--seed "$seed"} --from "$(build_dir y)")
	# combos.sh records each combination; it fails only when it stopped.
	t0=$(date +%s) TIMEFORMAT='%0U %0S'
	{ time "$S/combos.sh" "${combos_args[@]}" 2>&3; } 3>&2 \
		2>"$LKMDEMO_LOGS/combos.cpu" ||
		fail "Kconfig combinations: scripts/combos.sh ran to its end" \
			"rerun: bash $S/combos.sh ${combos_args[*]}"
	log "Kconfig combinations done in $(($(date +%s) - t0))s, CPU $(cpu_seconds "$LKMDEMO_LOGS/combos.cpu")s"
fi

# Wait for the boots, the gates and the per-patch builds; add their
# counts, and a FAIL for each that did not end well.
for p in "${!bg_what[@]}"; do
	wait "$p" 2>/dev/null || true	# its status is in its file
	rc=$(cat "${bg_rc[$p]}" 2>/dev/null) || rc="unknown: it left no status"
	rm -f "${bg_rc[$p]}"
	[ "$rc" = 0 ] || fail "${bg_what[$p]} ran to its end (exit $rc)"
done
for f in "${counted[@]}"; do
	cat "$f" >>"$results"
done

# --- Summary ---
if [ "$leg" = 1 ]; then
	# The full run counts; a leg only says whether it failed.
	grep -q '^FAIL' "$results" && exit 1
	exit 0
fi
replays "$results"
summarize "$results"
