# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What every lkmdemo script shares: the knobs and their defaults, the
# cache layout, logging with stage times, and failing with one clear line.
# Source it; do not run it.

set -euo pipefail

# --- Knobs (environment variables; flags of the scripts override them) ---
: "${LKMDEMO_CACHE:=${HOME}/.cache/lkmdemo}"	# everything generated
: "${LKMDEMO_KERNEL:=mainline}"		# mainline, 6.12, 6.1 or a kernel tree
: "${LKMDEMO_CONFIGS:=y m}"			# y m nomodules debug
: "${LKMDEMO_ARCH:=x86_64}"			# guest architecture
: "${LKMDEMO_JOBS:=$(nproc)}"			# make -j
: "${LKMDEMO_BOOT_TIMEOUT:=120}"		# seconds of silence, and 3 selftest timeouts, before a guest is hung
: "${LKMDEMO_BOOTS:=$(nproc)}"			# guests booting at the same time
: "${LKMDEMO_MODULES:=}"			# quick mode: only these modules

# The mainline release series the series is made for, taken from Debian's
# unstable or experimental suite as linux-source-$LKMDEMO_MAINLINE (its
# newest upload). Moving to the next release is this one line.
LKMDEMO_MAINLINE=7.3

LKMDEMO_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this
LKMDEMO_SCRIPTS=$LKMDEMO_TOP/scripts
: "${LKMDEMO_LOGS:=$LKMDEMO_CACHE/logs}"		# logs and results
export LKMDEMO_CACHE LKMDEMO_LOGS LKMDEMO_KERNEL LKMDEMO_CONFIGS LKMDEMO_ARCH \
	LKMDEMO_JOBS LKMDEMO_BOOT_TIMEOUT LKMDEMO_BOOTS LKMDEMO_MODULES
export CCACHE_DIR=${CCACHE_DIR:-$LKMDEMO_CACHE/ccache}
# ccache's depend mode: a miss compiles once and takes the headers from
# the compiler's -MMD file (kbuild passes -Wp,-MMD,...). The default
# runs the preprocessor first to hash its output: a cold build of
# kernel/, mm/ and fs/ (7.3, x86_64 y) took 493 CPU seconds here that
# way, 338 in depend mode, 314 without ccache.
export CCACHE_DEPEND=${CCACHE_DEPEND:-1}
mkdir -p "$LKMDEMO_LOGS"

# The identity and date every generated commit carries, so that the base
# tree and the series are the same bytes on every machine.
LKMDEMO_GIT_NAME="lkmdemo"
LKMDEMO_GIT_EMAIL="lkmdemo@example.org"
LKMDEMO_GIT_DATE="2026-01-01T00:00:00+0000"

lkmdemo_git() {
	GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-$LKMDEMO_GIT_NAME} \
	GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-$LKMDEMO_GIT_EMAIL} \
	GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-$LKMDEMO_GIT_NAME} \
	GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-$LKMDEMO_GIT_EMAIL} \
	GIT_AUTHOR_DATE=$LKMDEMO_GIT_DATE GIT_COMMITTER_DATE=$LKMDEMO_GIT_DATE \
		git -c core.autocrlf=false -c commit.gpgsign=false \
		-c advice.detachedHead=false "$@"
}

# quoted CMD...: CMD as a line a shell runs as it is.
quoted() {
	local out
	printf -v out '%q ' "$@"
	echo "${out% }"
}

# --- Logging ---
_lkmdemo_t0=$(date +%s)

log() {
	printf '[%4ss] %s\n' "$(($(date +%s) - _lkmdemo_t0))" "$*" >&2
}

die() {
	printf 'lkmdemo: error: %s\n' "$*" >&2
	exit 1
}

# stage NAME LOGFILE CMD...: run one step, its output in LOGFILE, and say
# how long it took; on failure name the step, the log and the command.
stage() {
	local name=$1 logfile=$2 start rc=0 TIMEFORMAT='%0U %0S'
	shift 2
	start=$(date +%s)
	log "$name ..."
	# bash's time keyword: the CPU seconds of the command and of all it
	# waited for (user, system).
	{ time ("$@" >"$logfile" 2>&1); } 2>"$logfile.cpu" || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 20 "$logfile" >&2
		printf 'lkmdemo: error: %s failed (exit %s); log: %s\n' \
			"$name" "$rc" "$logfile" >&2
		printf 'lkmdemo: rerun it alone: %s\n' "$*" >&2
		exit 1
	fi
	log "$name done in $(($(date +%s) - start))s, CPU $(cpu_seconds "$logfile.cpu")s"
}

# cpu_seconds FILE: the CPU seconds, user and system, in FILE, written by
# bash's time keyword with TIMEFORMAT='%0U %0S' (its line is the last:
# what the command itself wrote to its standard error comes before); 0
# when there is no such line.
cpu_seconds() {
	local user='' sys=''
	read -r user sys < <(tail -n 1 "$1" 2>/dev/null) || true
	case $user$sys in
	''|*[!0-9]*) echo 0 ;;
	*) echo $((user + sys)) ;;
	esac
}

# as_root CMD...: run CMD as root (sudo when not root already).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# need_foreign_arch ARCH: let dpkg and apt take ARCH's packages (the
# arm64 guest's busybox and kmod). The next need_pkgs, or the download
# that needs them, reads the new package lists.
need_foreign_arch() {
	dpkg --print-foreign-architectures | grep -qx "$1" && return 0
	log "adding the $1 architecture to dpkg (for the guest's busybox and kmod)"
	as_root dpkg --add-architecture "$1" ||
		die "cannot add the $1 architecture to dpkg"
	mkdir -p "$LKMDEMO_CACHE"
	touch "$LKMDEMO_CACHE/.apt-lists-stale"
}

# apt_update: read the package lists again. A mirror in the middle of a
# sync can serve an index that does not match its Release file, for
# hours; apt-get then keeps the lists it had and fails. Try three times,
# then fail, and let the caller go on with the lists that were read: the
# install or the download that follows says what is really missing.
apt_update() {
	local i
	for i in 1 2 3; do
		as_root apt-get update && return 0
		[ "$i" -lt 3 ] && sleep 20
	done
	return 1
}

# need_pkgs PKG...: install the Debian packages that are missing, in one
# apt-get run (the package lists are read again first).
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ "${#missing[@]}" -eq 0 ] && return 0
	log "installing ${missing[*]}"
	# The marker of a new foreign architecture goes only with lists
	# that were all read.
	if apt_update >"$LKMDEMO_LOGS/apt.log" 2>&1; then
		rm -f "$LKMDEMO_CACHE/.apt-lists-stale"
	else
		log "apt-get update failed 3 times (log: $LKMDEMO_LOGS/apt.log); installing from the lists it read"
	fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends "${missing[@]}" \
		>>"$LKMDEMO_LOGS/apt.log" 2>&1 ||
		die "apt-get install ${missing[*]} failed; log: $LKMDEMO_LOGS/apt.log"
}

# --- Results: one line per test in LKMDEMO_RESULTS ---
# "PASS|FAIL|SKIP name", and for a skip or a failure a tab and what it
# says (the reason, where its log is).
LKMDEMO_RESULTS=$LKMDEMO_LOGS/results.txt

# pass|fail|skip NAME [DETAIL]: record one test result.
pass() { echo "PASS $1" >>"$LKMDEMO_RESULTS"; }
skip() {
	local d=${2:-}
	printf 'SKIP %s%s\n' "$1" "${d:+$'\t'${d//$'\n'/ | }}" >>"$LKMDEMO_RESULTS"
	log "SKIP $1${2:+: $2}"
}
fail() {
	local d=${2:-}
	printf 'FAIL %s%s\n' "$1" "${d:+$'\t'${d//$'\n'/ | }}" >>"$LKMDEMO_RESULTS"
	log "FAIL $1${2:+: $2}"
}
result() {
	if [ "$1" -eq 0 ]; then pass "$2"; else fail "$2" "${3:-}"; fi
}

# summarize FILE: the failures of a results file, then the line the run
# is read by ("N passed, N failed, N skipped"), counted from FILE.json:
# every test as JSON (its name, kernel, architecture, configuration,
# result, skip reason or failure detail, log), written first. Fails when
# a test failed.
summarize() {
	local line
	grep '^FAIL' "$1" >&2 || true
	# Figures, not tests: shown, and kept in the JSON, never counted.
	grep '^BENCH' "$1" >&2 || true
	line=$(results_json "$1" "${1%.txt}.json") ||
		die "cannot write ${1%.txt}.json from $1"
	log "all results: $1 (JSON: ${1%.txt}.json)"
	echo "$line"
	case $line in *", 0 failed"*) return 0 ;; esac
	return 1
}

# results_json FILE JSON: write FILE's results to JSON, print the count.
# A line of the full run starts with its leg ("mainline/x86_64: "); the
# configuration is read from a boot's name (KERNEL-ARCH-CONFIG-BOOT) or
# from "(=y" or "(=m" in the name.
results_json() {
	python3 - "$1" "$2" "$(kernel_id 2>/dev/null || echo "$LKMDEMO_KERNEL")" "$LKMDEMO_ARCH" \
		"$LKMDEMO_MAINLINE" <<'PY'
import json, re, sys
src, dst, kernel, arch, mainline = sys.argv[1:6]
tests = []
bench = []
count = {"PASS": 0, "FAIL": 0, "SKIP": 0}
for raw in open(src, encoding="utf-8", errors="replace"):
	raw = raw.rstrip("\n")
	st, _, rest = raw.partition(" ")
	if st == "BENCH":
		bench.append(rest)
		continue
	if st not in count:
		continue
	count[st] += 1
	name, _, detail = rest.partition("\t")
	k, a = kernel, arch
	m = re.match(r"(\S+)/(x86_64|arm64|i386): (.*)", name)
	if m:
		k, a, name = m.group(1), m.group(2), m.group(3)
		if k == "mainline":
			k = mainline
	config = None
	m = re.match(r"\S+?-(?:x86_64|arm64|i386)-(y|m|nomodules|debug|mixed)-", name)
	if m:
		config = m.group(1)
	else:
		m = re.search(r"\(=(y|m)\b", name)
		config = m.group(1) if m else None
	log = None
	m = re.search(r"(?:log|see|console log|difference): (/\S+)", detail)
	if m:
		log = m.group(1)
	tests.append({"name": name, "kernel": k, "arch": a, "config": config,
		      "result": {"PASS": "pass", "FAIL": "fail", "SKIP": "skip"}[st],
		      "reason": detail or None, "log": log})
summary = "%d passed, %d failed, %d skipped" % (count["PASS"], count["FAIL"], count["SKIP"])
with open(dst, "w") as f:
	json.dump({"summary": summary, "passed": count["PASS"], "failed": count["FAIL"],
		   "skipped": count["SKIP"], "tests": tests, "benchmarks": bench}, f, indent=1)
	f.write("\n")
print(summary)
PY
}

# --- Steps whose inputs did not change ---
# A step (a boot, the series check, a build) whose inputs are the same
# bytes as those of a run in which it passed is not run again: its pass
# is replayed, and says from when. LKMDEMO_FRESH=1 (test.sh --fresh)
# runs everything again. Only passes are kept: a failure always reruns.
: "${LKMDEMO_FRESH:=0}"
export LKMDEMO_FRESH

# inputs_key PATH...: a hash of the text on stdin and of the bytes and
# the x bit of each PATH (a file, or every file under a directory, with
# its name relative to the directory): the key of a step's inputs.
inputs_key() {
	local p
	{
		cat
		for p in "$@"; do
			if [ -d "$p" ]; then
				(cd "$p" && find . -type f -print0 | LC_ALL=C sort -z |
				 xargs -0 -r sha1sum &&
				 find . -type f -perm -u+x | LC_ALL=C sort)
			else
				sha1sum <"$p"
				[ ! -x "$p" ] || echo "executable"
			fi
		done
	} | sha1sum | cut -c1-16
}

# passed_before KIND KEY: print when a step of KIND with inputs KEY
# passed; fails when it never did (or LKMDEMO_FRESH is 1).
passed_before() {
	[ "$LKMDEMO_FRESH" != 1 ] && [ -f "$LKMDEMO_CACHE/passed/$1-$2" ] &&
		cat "$LKMDEMO_CACHE/passed/$1-$2"
}

# mark_passed KIND KEY: a step of KIND with inputs KEY passed now.
mark_passed() {
	mkdir -p "$LKMDEMO_CACHE/passed"
	date -u +%Y-%m-%dT%H:%MZ >"$LKMDEMO_CACHE/passed/$1-$2"
}

# Packages a kernel build needs.
# shellcheck disable=SC2034 # used by the scripts that source this
BUILD_PKGS=(gcc make flex bison bc libelf-dev libssl-dev openssl cpio xz-utils
	    ccache git python3 perl kmod)

# kernel_id: a short name for the selected kernel (the mainline release,
# 6.12, 6.1 or custom-NAME).
kernel_id() {
	case $LKMDEMO_KERNEL in
	mainline|"$LKMDEMO_MAINLINE") echo "$LKMDEMO_MAINLINE" ;;
	6.12|6.1) echo "$LKMDEMO_KERNEL" ;;
	*) echo "custom-$(basename "$LKMDEMO_KERNEL")" ;;
	esac
}

# is_mainline: is the selected kernel Debian's mainline source, the base
# patches/ is made on?
is_mainline() {
	[ "$(kernel_id)" = "$LKMDEMO_MAINLINE" ]
}

# Where the pristine base repository of the selected kernel lives.
base_repo() {
	echo "$LKMDEMO_CACHE/src/linux-$(kernel_id)"
}

# base_release: VERSION.PATCHLEVEL of the base tree (7.3, 6.12, ...).
base_release() {
	git -C "$(base_repo)" show lkmdemo-base:Makefile |
		awk '$1 == "VERSION" {v = $3} $1 == "PATCHLEVEL" {p = $3}
		     END { if (v == "" || p == "") exit 1; print v "." p }'
}

# work_id: the kernel and architecture, for the work trees of a leg (two
# legs of one kernel may run at the same time).
work_id() {
	echo "$(kernel_id)-$LKMDEMO_ARCH"
}

# The work tree that holds the base with the series applied.
patched_tree() {
	echo "$LKMDEMO_CACHE/trees/$(kernel_id)"
}

# build_tree_id TREE [COMMIT]: what a kernel build reads of COMMIT (by
# default HEAD) of the git tree TREE: its files but the documentation
# and the selftests, which change no object. A change to those alone
# does not make the builds, the per-patch builds, the Kconfig
# combinations or the C gates run again.
build_tree_id() {
	local c=${2:-HEAD}
	# each level but the subtree left out below it: the root's "tools"
	# entry is the id of the whole of tools/, selftests included
	{ git -C "$1" ls-tree "$c" | grep -v '	\(Documentation\|tools\)$'
	  git -C "$1" ls-tree "$c:tools" | grep -v '	testing$'
	  git -C "$1" ls-tree "$c:tools/testing" | grep -v '	selftests$'
	} | sha1sum | cut -c1-40
}

# tree_key TREE [code]: what the cache keys a step that reads TREE by:
# with "code", build_tree_id of its HEAD, else the id of HEAD's whole
# tree. A tree with changes that are not committed, or that is not a git
# work tree, gets a new key each time: nothing that read it is reused
# (the same list of changed files says nothing of what is in them).
tree_key() {
	local k=
	if [ -z "$(git -C "$1" status --porcelain 2>/dev/null || echo none)" ]; then
		if [ "${2:-}" = code ]; then
			k=$(build_tree_id "$1" 2>/dev/null) || k=
		else
			k=$(git -C "$1" rev-parse -q --verify 'HEAD^{tree}' 2>/dev/null) || k=
		fi
	fi
	echo "${k:-uncommitted-$(date +%s%N)}"
}

# build_dir CONFIG: the O= directory of one configuration.
build_dir() {
	echo "$LKMDEMO_CACHE/build/$(kernel_id)-$LKMDEMO_ARCH-$1"
}

kernel_arch() {
	case $LKMDEMO_ARCH in
	x86_64) echo x86 ;;
	i386) echo i386 ;;
	arm64) echo arm64 ;;
	*) die "unknown architecture $LKMDEMO_ARCH (known: x86_64 i386 arm64)" ;;
	esac
}

# cross_prefix: CROSS_COMPILE for the selected architecture (empty when
# the guest is the host's).
cross_prefix() {
	case $LKMDEMO_ARCH in
	x86_64|i386) echo "" ;;
	arm64) echo aarch64-linux-gnu- ;;
	esac
}

# long_bits: the width of the guest kernel's long (and word).
long_bits() {
	case $LKMDEMO_ARCH in
	i386) echo 32 ;;
	*) echo 64 ;;
	esac
}

# qemu_system: the QEMU that boots the selected architecture.
qemu_system() {
	case $LKMDEMO_ARCH in
	x86_64) echo qemu-system-x86_64 ;;
	i386) echo qemu-system-i386 ;;
	arm64) echo qemu-system-aarch64 ;;
	esac
}

# The Debian packages that build and boot the selected architecture.
arch_pkgs() {
	case $LKMDEMO_ARCH in
	x86_64|i386) echo qemu-system-x86 ;;
	arm64) echo gcc-aarch64-linux-gnu qemu-system-arm ;;
	esac
}

# guest_cc_prefix: CROSS_COMPILE for the guest's programs (the C
# selftests), which link with the guest's C library: empty for x86_64,
# the host's; the kernel's i386 build needs none, its programs do.
guest_cc_prefix() {
	case $LKMDEMO_ARCH in
	x86_64) echo "" ;;
	i386) echo i686-linux-gnu- ;;
	arm64) echo aarch64-linux-gnu- ;;
	esac
}

# guest_cc_pkgs: the packages that compiler and C library come in.
guest_cc_pkgs() {
	case $LKMDEMO_ARCH in
	x86_64) echo gcc libc6-dev ;;
	i386) echo gcc-i686-linux-gnu libc6-dev-i386-cross ;;
	arm64) echo gcc-aarch64-linux-gnu libc6-dev-arm64-cross ;;
	esac
}

# kmake_cmd VAR TREE OUT: set the array VAR to the make command line for
# TREE with the build directory OUT, for the selected architecture, with
# ccache and a fixed build identity (the timestamp is a date:
# usr/gen_initramfs.sh passes it to date -d). The compilers are gcc, or
# with KMAKE_LLVM=1 clang and LLVM's tools (LLVM=1). RUSTC=false: these
# kernels have no Rust, and their configuration does not depend on a
# rustc that PATH may find (Kconfig asks it for its version and features
# at each configuration, and a rustup proxy takes some 0.1 s to answer).
kmake_cmd() {
	local -n _cmd=$1
	local tree=$2 out=$3 cross
	cross=$(cross_prefix)
	_cmd=(make -C "$tree" O="$out" ARCH="$(kernel_arch)" -j"$LKMDEMO_JOBS")
	if [ "${KMAKE_LLVM:-0}" = 1 ]; then
		_cmd+=(LLVM=1 CC="ccache clang" HOSTCC="ccache clang")
	else
		_cmd+=(${cross:+CROSS_COMPILE=$cross} CC="ccache ${cross}gcc"
		       HOSTCC="ccache gcc")
	fi
	_cmd+=(RUSTC=false KBUILD_BUILD_TIMESTAMP="$LKMDEMO_GIT_DATE"
	       KBUILD_BUILD_USER=lkmdemo KBUILD_BUILD_HOST=lkmdemo)
}

# kmake TREE OUT ARGS...: run make as kmake_cmd says, with ARGS.
kmake() {
	local cmd
	kmake_cmd cmd "$1" "$2"
	shift 2
	"${cmd[@]}" "$@"
}

kernel_image_target() {
	case $LKMDEMO_ARCH in
	x86_64|i386) echo bzImage ;;
	arm64) echo Image ;;
	esac
}

kernel_image() {
	case $LKMDEMO_ARCH in
	x86_64|i386) echo "$(build_dir "$1")/arch/x86/boot/bzImage" ;;
	arm64) echo "$(build_dir "$1")/arch/arm64/boot/Image" ;;
	esac
}

# lkmdemo_fragment MODE TREE: a config fragment that sets every option
# in TREE's drivers/misc/lkmdemo/Kconfig: the bool gate to y, each
# tristate to MODE: y, m, mixed (y for an option that another LKMDEMO
# option depends on, m for the rest: a built-in provider with loadable
# users), or debug (m, but lkmdemo_hello built in: its pr_debug() runs at
# boot, where lkmdemo_hello.dyndbg=+p turns it on). With LKMDEMO_MODULES
# set (quick mode), only the options of those modules are on.
lkmdemo_fragment() {
	local mode=$1 sym type deps needed=" " symbols
	[ -f "$2/drivers/misc/lkmdemo/Kconfig" ] ||
		die "$2/drivers/misc/lkmdemo/Kconfig is missing: is the series applied?"
	symbols=$(lkmdemo_symbols "$2") || return
	if [ "$mode" = mixed ]; then
		while read -r sym type deps; do
			[ "$deps" = - ] || needed="$needed${deps//,/ } "
		done <<<"$symbols"
	fi
	while read -r sym type deps; do
		case $type in
		bool|tristate) ;;
		*) continue ;;
		esac
		if [ "$type" = bool ]; then
			echo "CONFIG_$sym=y"
		elif [ -n "$LKMDEMO_MODULES" ] && ! module_selected "$sym"; then
			echo "# CONFIG_$sym is not set"
		elif [ "$mode" = debug ]; then
			if [ "$sym" = LKMDEMO_HELLO ]; then echo "CONFIG_$sym=y"; else echo "CONFIG_$sym=m"; fi
		elif [ "$mode" != mixed ]; then
			echo "CONFIG_$sym=$mode"
		elif [[ $needed == *" $sym "* ]]; then
			echo "CONFIG_$sym=y"
		else
			echo "CONFIG_$sym=m"
		fi
	done <<<"$symbols"
}

# module_selected SYMBOL: does quick mode's LKMDEMO_MODULES cover it?
module_selected() {
	local m
	for m in $LKMDEMO_MODULES; do
		m=$(echo "$m" | tr '[:lower:]' '[:upper:]')
		case $1 in
		"LKMDEMO_$m"|"LKMDEMO_${m}_"*) return 0 ;;
		esac
	done
	return 1
}

# --- Configurations ---
# y: every option built in; m: every option a module; nomodules: y
# without CONFIG_MODULES; debug: m with the kernel's bug finders, and
# with symbol versions, forced loads, module signatures and dynamic debug
# (lkmdemo_hello built in); mixed: the options others depend on built
# in, the rest modules.
KNOWN_CONFIGS="y m nomodules debug mixed"

check_config_name() {
	case " $KNOWN_CONFIGS " in
	*" $1 "*) ;;
	*) die "unknown configuration '$1' (known: $KNOWN_CONFIGS)" ;;
	esac
}

# lkmdemo_mode CONFIG: the value the LKMDEMO tristates get (y, m or
# mixed, as lkmdemo_fragment takes it).
lkmdemo_mode() {
	case $1 in
	y|nomodules) echo y ;;
	mixed) echo mixed ;;
	debug) echo debug ;;
	*) echo m ;;
	esac
}

# arch_fragments TREE: the architecture's fragment (i386: x86_64's, then
# what a 32-bit kernel changes), for a kernel that still has
# CONFIG_PROC_SYSCTL (6.12, 6.1; mainline folded it into CONFIG_SYSCTL)
# configs/proc-sysctl.config, and for one that still has SLOB (6.1)
# configs/slob.config.
arch_fragments() {
	[ "$LKMDEMO_ARCH" != i386 ] || echo "$LKMDEMO_SCRIPTS/configs/x86_64.config"
	echo "$LKMDEMO_SCRIPTS/configs/$LKMDEMO_ARCH.config"
	if grep -q '^config PROC_SYSCTL$' "$1/fs/proc/Kconfig" 2>/dev/null; then
		echo "$LKMDEMO_SCRIPTS/configs/proc-sysctl.config"
	fi
	if grep -q '^config SLOB$' "$1/mm/Kconfig" 2>/dev/null; then
		echo "$LKMDEMO_SCRIPTS/configs/slob.config"
	fi
}

# config_fragments CONFIG TREE: the fragments of scripts/configs that
# CONFIG merges for TREE, in order: the architecture's, then the
# configuration's own (debug: debug.config and trust.config), then its
# own for the architecture when there is one (CONFIG-ARCH.config).
config_fragments() {
	local f
	arch_fragments "$2"
	for f in "$1" trust "$1-$LKMDEMO_ARCH"; do
		[ "$f" != trust ] || [ "$1" = debug ] || continue
		[ ! -f "$LKMDEMO_SCRIPTS/configs/$f.config" ] ||
			echo "$LKMDEMO_SCRIPTS/configs/$f.config"
	done
}

# seed_build_dir FROM OUT: a build directory that was never built (no
# vmlinux) starts as a copy of FROM, a built (or only prepared: modpost
# is there) directory of the same tree, architecture and compiler, so
# that kbuild compiles only what the two configurations differ in.
# Nothing happens when FROM is neither.
# The build of tools/ (objtool, in Linux 6.1) records FROM's absolute
# path in its command and dependency files; they name OUT instead, or
# objtool and then every object would be built again.
# seed_build_dir FROM OUT FROM_TREE OUT_TREE: the same, for OUT to be
# built from another work tree of the same commit (the per-patch
# builds): every command and dependency file names OUT_TREE instead of
# FROM_TREE, or kbuild would see new commands and make the host tools,
# objtool and the headers again (some 30 CPU seconds a directory).
seed_build_dir() {
	[ ! -f "$2/vmlinux" ] && [ -f "$1/scripts/mod/modpost" ] || return 0
	log "seeding $2 from $1"
	rm -rf "$2" || return
	cp -a "$1" "$2" || return
	rm -rf "$2/modinst" "$2/.build.stamp" "$2/initramfs" "$2/initramfs.cpio" "$2/initramfs.stamp"
	if [ -d "$2/tools" ]; then
		{ grep -rlIZF -- "$1/" "$2/tools" || true; } |
			xargs -0 -r sed -i "s|$1/|$2/|g"
	fi
	if [ $# -ge 4 ] && [ "$3" != "$4" ]; then
		{ grep -rlIZF -- "$3/" "$2" || true; } |
			xargs -0 -r sed -i "s|$3/|$4/|g"
		ln -sfn "$4" "$2/source"
	fi
}

# kernel_configure TREE OUT FRAGMENT...: configure OUT from tinyconfig and
# the fragments, merged in order (a later one wins), then syncconfig with
# an empty stdin: the .config of olddefconfig, a symbol without a value
# takes its default, and the files the build reads (auto.conf). The
# build's make then has no Kconfig to run: each run reads the whole
# Kconfig and makes its compiler checks, some 3 CPU seconds, and
# tinyconfig already runs it twice.
# build.sh configures this way, and configure_on_base begins so.
# These functions fail at the first step that fails, also when they are
# called where set -e does not act (in a condition, or before "||").
kernel_configure() {
	local tree=$1 out=$2
	shift 2
	kmake "$tree" "$out" tinyconfig || return
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$@" || return
	kmake "$tree" "$out" syncconfig </dev/null
}

# configure_on_base TREE OUT KEY FRAGMENT: configure OUT for one of many
# builds that differ only in the LKMDEMO options. They start from one
# base configuration for the kernel and architecture (build_dir
# base.config, or base-llvm.config for clang): tinyconfig and the
# architecture's fragments, made again in OUT when KEY (what it depends
# on: the base commit) or the fragments change. A lock keeps two builds
# that start at once (the per-patch builds of y and m, the combination
# lanes) from making it both. Each call copies it, merges FRAGMENT and
# runs syncconfig, as kernel_configure ends: one make instead of its
# three. Fails when a line of the fragments did not survive.
configure_on_base() {
	local tree=$1 out=$2 key=$3 frag=$4
	local arch_frags base
	mapfile -t arch_frags < <(arch_fragments "$tree")
	key=$( { echo "$key"; cat "${arch_frags[@]}"; } | sha1sum | cut -c1-40)
	base=$(build_dir base).config
	[ "${KMAKE_LLVM:-0}" != 1 ] || base=$(build_dir base-llvm).config
	mkdir -p "$out" "${base%/*}" || return
	{
		flock 9 || return
		if [ "$(cat "$base.stamp" 2>/dev/null)" != "$key" ]; then
			rm -f "$base.stamp"
			kernel_configure "$tree" "$out" "${arch_frags[@]}" || return
			cp "$out/.config" "$base" || return
			echo "$key" >"$base.stamp"
		fi
		cp "$base" "$out/.config"
	} 9>"$base.lock" || return
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" || return
	kmake "$tree" "$out" syncconfig </dev/null || return
	check_fragments "$out/.config" "${arch_frags[@]}" "$frag"
}

# configure_mode TREE OUT MODE: configure_on_base for TREE, a patched
# tree on the base commit lkmdemo-base, with every LKMDEMO option MODE
# (y or m): the per-patch builds and the gates' build directories.
configure_mode() {
	mkdir -p "$2" || return
	lkmdemo_fragment "$3" "$1" >"$2/lkmdemo.config" || return
	configure_on_base "$1" "$2" "$(git -C "$1" rev-parse lkmdemo-base)" \
		"$2/lkmdemo.config"
}

# check_fragments CONFIG_FILE FRAGMENT...: every symbol the fragments set
# has, in CONFIG_FILE, the value the last fragment that names it gives
# ("is not set" is also met by a symbol that is absent). Names each
# mismatch; fails when there is one.
check_fragments() {
	local dotconfig=$1
	shift
	awk '
	FNR == 1 { file = FILENAME; sub(/.*\//, "", file) }
	/^CONFIG_[A-Za-z0-9_]*=/ { sym = $0; sub(/=.*/, "", sym) }
	/^# CONFIG_[A-Za-z0-9_]* is not set$/ { sym = $2 }
	/^CONFIG_[A-Za-z0-9_]*=/ || /^# CONFIG_[A-Za-z0-9_]* is not set$/ {
		if (!(sym in want)) order[++n] = sym
		want[sym] = $0; from[sym] = file
	}
	END { for (i = 1; i <= n; i++) print from[order[i]] "\t" want[order[i]] }' "$@" |
	{
		local bad=0 file line sym have
		while IFS=$'\t' read -r file line; do
			sym=${line#\# }
			sym=${sym%%[= ]*}
			have=$(grep -E "^(# )?${sym}[= ]" "$dotconfig" || true)
			[ "$have" = "$line" ] && continue
			[ -z "$have" ] && [ "${line#\# }" != "$line" ] && continue
			printf 'lkmdemo: %s: wanted "%s", .config has "%s"\n' \
				"$file" "$line" "${have:-nothing}" >&2
			bad=1
		done
		[ "$bad" = 0 ]
	}
}

# lkmdemo_symbols TREE: the options of TREE's drivers/misc/lkmdemo/Kconfig
# in their order, one line each: NAME TYPE and the LKMDEMO options named
# on its "depends on" lines, comma-separated (- for none).
lkmdemo_symbols() {
	local kconfig=$1/drivers/misc/lkmdemo/Kconfig
	[ -f "$kconfig" ] || die "$kconfig is missing: is the series applied?"
	awk '
	function flush() { if (sym) print sym, type, (deps ? deps : "-"); sym = "" }
	/^(menu)?config / { flush(); sym = $2; type = ""; deps = ""; help = 0; next }
	/^(if|endif|menu|endmenu|comment|source|choice|endchoice)([ \t]|$)/ {
		flush(); next
	}
	!sym || help { next }
	$1 == "help" || $1 == "---help---" { help = 1; next }
	!type && $1 ~ /^(bool|tristate)$/ { type = $1 }
	$1 == "depends" && $2 == "on" {
		line = $0
		sub(/^[ \t]*depends[ \t]+on/, "", line)
		gsub(/[^A-Za-z0-9_]+/, " ", line)
		n = split(line, w, " ")
		for (i = 1; i <= n; i++)
			if (w[i] ~ /^LKMDEMO_/ && index("," deps ",", "," w[i] ",") == 0)
				deps = deps (deps ? "," : "") w[i]
	}
	END { flush() }' "$kconfig"
}
