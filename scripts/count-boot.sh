#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Count what one boot of the test guest reported, as PASS, FAIL and SKIP
# lines: each selftest's TAP lines against its plan, the KUnit suites of
# the kernel log (read by the tree's own tools/testing/kunit/kunit.py
# parse), the log's warnings and debug reports, and kmemleak's scan.
#
#   count-boot.sh --name NAME --config CONFIG [--results FILE] [--only "A.sh B.sh"]
#                 [--bench]
#
# Reads $LKMDEMO_LOGS/boot-NAME.results and boot-NAME.console (boot.sh
# writes them), CONFIG's .config and the initramfs's list of selftests;
# appends to FILE (default: $LKMDEMO_RESULTS). What went missing is a
# FAIL that names it: a selftest that never ran or never finished, a TAP
# plan that does not match the lines seen, a KUnit suite with fewer cases
# than it declares. --only: the boot was to run these selftests alone
# (lkmdemo.selftests= on its command line), and to load no KUnit module
# (built-in suites still run).
# --bench: the boot was to run the fifo benchmark (lkmdemo.bench): its
# figures become BENCH lines, and a boot without them fails.
. "$(dirname "$0")/lib.sh"

name=
config=
only=
bench=
while [ $# -gt 0 ]; do
	case $1 in
	--name) name=${2:?--name needs a value}; shift 2 ;;
	--config) config=${2:?--config needs a value}; shift 2 ;;
	--results) LKMDEMO_RESULTS=${2:?--results needs a file}; shift 2 ;;
	--only) only=${2:?--only needs a list of selftests}; shift 2 ;;
	--bench) bench=1; shift ;;
	-h|--help) sed -n '4,21s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument: $1" ;;
	esac
done
if [ -z "$name" ] || [ -z "$config" ]; then
	die "count-boot.sh needs --name and --config"
fi
res=$LKMDEMO_LOGS/boot-$name.results
con=$LKMDEMO_LOGS/boot-$name.console
out=$(build_dir "$config")
[ -f "$res" ] || die "no results file $res"

# What fails a boot when its console or kernel log has it: warnings,
# BUGs and oopses; reports of KASAN, UBSAN, lockdep, kmemleak (also when
# it scans on its own) and debugobjects; sleeping in atomic context.
BAD_LOG='WARNING:|BUG:|Oops|Call [Tt]race|kernel BUG|UBSAN:|KASAN:'
BAD_LOG+='|unreferenced object|suspected memory leak'
BAD_LOG+='|possible circular|possible recursive|inconsistent lock state'
BAD_LOG+='|lock held when returning|held lock freed|locking correctness validator'
BAD_LOG+='|suspicious RCU usage|DEBUG_LOCKS_WARN_ON|ODEBUG:'
BAD_LOG+='|sleeping function called from invalid context|INFO: task'

# --- kselftests: every TAP line of every script, against its plan ---
# The guest writes "# selftest: NAME" before a script, its TAP, then
# "# selftest: NAME exit=RC time=SECSs forks=N" (after "# selftest: NAME
# timeout=SECS" when it was killed).
# script_end: the checks of a script that ended.
script_end() {
	local rc=$1
	if [ -n "$timed_out" ]; then
		fail "$name: $script: timed out after ${timed_out}s (settings: timeout) after $seen tests" "see $res"
	elif [ "$rc" = 4 ] && [ "$plan" = 0 ]; then
		skip_in_boot "$script" "" "${reason:-exit 4}"
	elif [ -z "$plan" ]; then
		fail "$name: $script: stopped after $seen tests without a TAP plan (exit $rc)" "see $res"
	elif [ "$plan" != "$seen" ]; then
		fail "$name: $script: its plan is 1..$plan, $seen tests ran" "see $res"
	elif [ "$rc" != 0 ] && [ "$script_failed" = 0 ]; then
		fail "$name: $script: exited $rc without a failed test" "see $res"
	fi
	finished="$finished $script "
	script=
}

# expected_skip SCRIPT REASON: does scripts/expected-skips expect this
# skip in this configuration? In quick mode (LKMDEMO_MODULES), a
# selftest of a module that is not built also skips: a shell test says
# "lkmdemo_X is neither built in nor loadable", a C test names the
# option it misses ("(CONFIG_LKMDEMO_X)").
expected_skip() {
	local cfgs file why w named=0
	# quick mode: expected when it names a module, and none of those it
	# names was picked with --modules
	if [ -n "$LKMDEMO_MODULES" ]; then
		for w in ${2//[()]/ }; do
			case $w in
			CONFIG_LKMDEMO_*) w=${w#CONFIG_} ;;
			lkmdemo_*)
				[[ $2 == *"neither built in nor loadable"* ]] || continue
				w=LKMDEMO_${w#lkmdemo_}
				w=${w^^}
				;;
			*) continue ;;
			esac
			named=1
			! module_selected "$w" || return 1
		done
		[ "$named" = 0 ] || return 0
	fi
	while IFS=$'\t' read -r cfgs file why; do
		case $cfgs in '#'*|'') continue ;; esac
		if [[ " $cfgs " == *" $config "* ]] && [ "$file" = "$1" ] &&
		   [[ $2 =~ ^($why)$ ]]; then
			return 0
		fi
	done <"$LKMDEMO_SCRIPTS/expected-skips"
	return 1
}

# skip_in_boot SCRIPT DESCRIPTION REASON: a skip that the boot expects,
# or a FAIL that says it is not. No DESCRIPTION: the whole script.
skip_in_boot() {
	if expected_skip "$1" "$3"; then
		skip "$name: $1${2:+: $2}" "$3"
	else
		fail "$name: $1${2:+: $2}: skipped ($3), which scripts/expected-skips does not expect in a $config boot" "see $res"
	fi
}

script=
finished=" "
started=" "
# the name of each test of the script, and its number
declare -A named=()
while IFS= read -r line; do
	case $line in
	"# selftest: "*" timeout="*)
		timed_out=${line##*timeout=} ;;
	"# selftest: "*" exit="*)
		rc=${line##*exit=}
		[ -n "$script" ] && script_end "${rc%% *}" ;;
	"# selftest: "*)
		# a script that began while another had not ended
		[ -z "$script" ] ||
			fail "$name: $script: did not finish (the next one began)" "see $res"
		script=${line#\# selftest: }
		started="$started$script "
		script_failed=0; reason=; plan=; k=0; seen=0; timed_out=
		named=() ;;
	"# lkmdemo guest: done"|"# dmesg begin")
		[ -z "$script" ] ||
			fail "$name: $script: did not finish (the boot ended in it)" "see $res"
		script= ;;
	esac
	[ -n "$script" ] || continue
	case $line in
	"1..0 # SKIP "*) reason=${line#1..0 # SKIP }; plan=0 ;;
	1..[0-9]*) plan=${line#1..}; plan=${plan%% *} ;;
	"ok "*|"not ok "*)
		k=$((k + 1))
		seen=$((seen + 1))
		n=${line#ok }
		n=${n#not ok }
		n=${n%% *}
		# once per gap: the count goes on from the number seen
		if [ "$n" != "$k" ]; then
			fail "$name: $script: test $k is numbered $n" "see $res"
			case $n in ''|*[!0-9]*) ;; *) k=$n ;; esac
		fi
		# the test's name: after "ok N " or "not ok N ", before a skip's
		# " # SKIP"
		d=${line#not }
		d=${d#ok * }
		d=${d%% # SKIP*}
		# A name the script gave before: the results would hold two
		# tests under one name, and which of them failed is lost.
		# (" $d": a key that is never empty)
		if [ -n "${named[" $d"]:-}" ]; then
			fail "$name: $script: test $k has the name of test ${named[" $d"]}: $d" "see $res"
		else
			named[" $d"]=$k
		fi
		case $line in
		"ok "*"# SKIP"*)
			why=${line#*# SKIP}
			why=${why# }
			skip_in_boot "$script" "$d" "${why:-no reason given}" ;;
		"ok "*) pass "$name: $script: $d" ;;
		*)
			script_failed=1
			fail "$name: $script: $d" "see $res" ;;
		esac ;;
	esac
done < <(tr -d '\r' <"$res")
[ -z "$script" ] ||
	fail "$name: $script: did not finish (its results end in it)" "see $res"
# Every selftest of the initramfs (or of --only) ran.
list=$out/initramfs/lkmdemo/selftests/list
if [ -f "$list" ]; then
	if [ -n "$only" ]; then
		read -r -a want <<<"$only"
	else
		mapfile -t want <"$list"
	fi
	for t in "${want[@]}"; do
		case $started in
		*" $t "*) ;;
		*) fail "$name: $t: never ran (the boot ended before it)" "see $res" ;;
		esac
	done
else
	fail "$name: the list of selftests ($list) is there"
fi

# --- KUnit: each KTAP document of the kernel log, by kunit.py parse ---
# A module kernel's log has several: the boot's (1..0 when no suite is
# built in), then one per test module loaded. kunit.py reads only the
# first document of its input, so each is handed to it alone.
dmesg=$res.dmesg
tr -d '\r' <"$res" | sed -n '/^# dmesg begin/,/^# dmesg end/p' |
	sed 's/^\[[ 0-9.]*\] //' >"$dmesg"
rm -f "$dmesg".ktap-*
# A document starts at a "KTAP version" (or "TAP version") line in the
# first column. Linux 6.1 prints a loaded module's suite with no header
# of its own (an indented "KTAP version", and "ok 1 SUITE" in the first
# column): when the document before it is complete (all of its plan
# seen), such a suite starts one, given the header it lacks. 6.1 numbers
# those suites across modules ("ok 2 lkmdemo_debugfs" for the second
# module loaded): in a document of one suite it is test 1.
awk -v base="$dmesg.ktap-" '
/^(K)?TAP version [0-9]+/ { n++; plan = -1; seen = 0; done = 0; alone = 0 }
/^ +KTAP version [0-9]+/ && (!n || done) {
	n++; plan = 1; seen = 0; done = 0; alone = 1
	print "KTAP version 1" > (base n); print "1..1" > (base n)
}
!n { next }
alone && /^(not )?ok [0-9]+ / { sub(/ok [0-9]+ /, "ok 1 ") }
{ print > (base n) }
/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; if (plan == 0) done = 1 }
/^(not )?ok [0-9]+/ { seen++; if (plan >= 0 && seen >= plan) done = 1 }' "$dmesg"
kunit=$(patched_tree)/tools/testing/kunit/kunit.py
suites=0
for doc in "$dmesg".ktap-*; do
	[ -f "$doc" ] || continue
	[ -f "$kunit" ] || { fail "$name: KUnit: $kunit is there"; break; }
	python3 "$kunit" parse --json="$doc.json" "$doc" >"$doc.log" 2>&1 || true
	if [ ! -s "$doc.json" ]; then
		fail "$name: KUnit: kunit.py parse read ${doc##*/}" "see $doc.log"
		continue
	fi
	# One line per case of every lkmdemo suite; a suite whose
	# document kunit.py found errors in (fewer cases than its plan, a
	# crash) fails with its error lines.
	# shellcheck disable=SC2016 # Python, not shell
	python3 -c '
import json, sys
doc, log, boot = sys.argv[1:4]
errors = [l.split("] ", 1)[-1].strip() for l in open(log)
	  if "[ERROR]" in l or "Expected" in l and "tests" in l]
def walk(group):
	for g in group.get("sub_groups", []):
		if g["name"].startswith("lkmdemo"):
			yield g
		yield from walk(g)
status = {"PASS": "PASS", "SKIP": "SKIP"}
n = 0
for s in walk(json.load(open(doc))):
	n += 1
	for c in s.get("test_cases", []):
		print(status.get(c["status"], "FAIL"), "%s: KUnit %s: %s%s" % (boot, s["name"],
		      c["name"] or "a case that is missing",
		      "" if c["status"] in status else " (" + c["status"] + ")"))
	# kunit.py of Linux 6.1 writes no "misc" counts: its error lines
	# stand for every suite of the document then.
	errs = s["misc"].get("errors", 0) if "misc" in s else len(errors)
	if errs or not s.get("test_cases"):
		print("FAIL %s: KUnit %s: its KTAP is whole: %s" % (boot, s["name"],
		      "; ".join(errors) or "no case"))
print("SUITES", n)
' "$doc.json" "$doc.log" "$name" >"$doc.counted"
	suites=$((suites + $(sed -n 's/^SUITES //p' "$doc.counted")))
	grep -v '^SUITES ' "$doc.counted" >>"$LKMDEMO_RESULTS" || true
	while read -r line; do
		log "$line"
	done < <(grep '^FAIL ' "$doc.counted" || true)
done
# Built-in suites run at every boot; modules only when the guest loads
# them, which a boot with --only does not.
if [ "$suites" = 0 ] &&
   { grep -q '^CONFIG_LKMDEMO_.*_KUNIT_TEST=y' "$out/.config" ||
     { [ -z "$only" ] && grep -q '^CONFIG_LKMDEMO_.*_KUNIT_TEST=m' "$out/.config"; }; }; then
	fail "$name: KUnit: no lkmdemo suite ran"
fi

# --- The whole log: no warning, bug, oops or trace, and nothing that
# KASAN, UBSAN, lockdep, kmemleak or debugobjects reported ---
# The one trace that is not a warning: when creating a cache fails, the
# slab allocator says so and calls dump_stack(). failslab.sh makes
# lkmdemo_slab's caches fail on purpose; the "Call Trace:" line of such
# a dump, when it follows the message with nothing but the dump's own
# header lines between, is left out; the rest of it is still read.
# scan_log FILE: FILE's lines, "FILE:" before each, without those.
scan_log() {
	awk -v f="$1" '{ sub(/\r$/, "") }
	dump && /(^|\] )Call Trace:$/ { dump = 0; injected++; next }
	dump && !/(^|\] )(CPU: |Tainted: |Hardware name: )/ { dump = 0 }
	/kmem_cache_create[a-z_]*\(lkmdemo_[a-z_0-9]*\) failed with error -[0-9]+$/ {
		dump = 1
	}
	{ print f ":" $0 }
	END { print injected + 0 >"/dev/stderr" }' "$1"
}
injected=$(scan_log "$con" 2>&1 >/dev/null)
[ "$injected" = 0 ] && injected= ||
	injected=" ($injected traces of a cache that failslab.sh failed left out)"
if ! grep -q '^# dmesg begin' "$res"; then
	fail "$name: the guest printed its kernel log after the tests" "see $res"
elif grep -q '^Linux version ' "$dmesg"; then
	pass "$name: the kernel log read after the tests still starts at the boot"
else
	fail "$name: the kernel log read after the tests lost its start: it outgrew the log buffer (log_buf_len) or what dmesg -s reads" "see $res"
fi
bad=$({ scan_log "$con"; scan_log "$dmesg"; } 2>/dev/null |
	grep -E "$BAD_LOG" | head -n 3 || true)
if [ -z "$bad" ]; then
	pass "$name: no WARN, BUG, oops, call trace or debug report in the log$injected"
else
	fail "$name: the log has a warning: $bad" "see $con"
fi

# --- kmemleak, when the kernel has it: the guest's scan after the tests ---
if grep -q '^# kmemleak begin' "$res"; then
	bad=$(sed -n '/^# kmemleak begin/,/^# kmemleak end/p' "$res" |
		grep -c 'unreferenced object' || true)
	if [ "$bad" = 0 ]; then
		pass "$name: kmemleak: no unreferenced object after the tests"
	else
		fail "$name: kmemleak: $bad unreferenced objects after the tests" "see $res"
	fi
elif grep -q '^CONFIG_DEBUG_KMEMLEAK=y' "$out/.config"; then
	fail "$name: kmemleak: the guest did not scan"
fi

# --- The fifo benchmark: figures, not tests, but they must be there ---
if [ -n "$bench" ]; then
	# The guest's block, read once: begin, the figures, end exit=RC.
	block=$(tr -d '\r' <"$res" | sed -n '/^# bench: begin$/,/^# bench: end/s/^# bench: //p')
	end=$(sed -n 's/^end exit=//p' <<<"$block")
	if [ "$end" = 0 ]; then
		pass "$name: the fifo benchmark ran and printed its figures"
		grep -v '^begin$\|^end exit=' <<<"$block" | sed "s|^|BENCH $name: |" >>"$LKMDEMO_RESULTS"
	else
		[ -n "$end" ] || end="none: it never ended"
		fail "$name: the fifo benchmark ran and printed its figures (exit $end)" "see $res"
	fi
fi
