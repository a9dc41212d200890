# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What every lkmdemo script shares: the knobs and their defaults, the
# cache layout, logging with stage times, and failing with one clear line.
# Source it; do not run it.

set -euo pipefail

# --- Knobs (environment variables; flags of the scripts override them) ---
: "${LKMDEMO_CACHE:=${HOME}/.cache/lkmdemo}"	# everything generated
: "${LKMDEMO_KERNEL:=6.12}"			# 6.12, 6.1 or a kernel tree
: "${LKMDEMO_CONFIGS:=y m}"			# configurations to test
: "${LKMDEMO_ARCH:=x86_64}"			# guest architecture
: "${LKMDEMO_JOBS:=$(nproc)}"			# make -j
: "${LKMDEMO_BOOT_TIMEOUT:=240}"		# seconds before a guest is hung
: "${LKMDEMO_MODULES:=}"			# quick mode: only these modules

LKMDEMO_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this
LKMDEMO_SCRIPTS=$LKMDEMO_TOP/scripts
LKMDEMO_LOGS=$LKMDEMO_CACHE/logs
export LKMDEMO_CACHE LKMDEMO_KERNEL LKMDEMO_CONFIGS LKMDEMO_ARCH \
	LKMDEMO_JOBS LKMDEMO_BOOT_TIMEOUT LKMDEMO_MODULES
export CCACHE_DIR=${CCACHE_DIR:-$LKMDEMO_CACHE/ccache}
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
	local name=$1 logfile=$2 start rc=0
	shift 2
	start=$(date +%s)
	log "$name ..."
	"$@" >"$logfile" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 20 "$logfile" >&2
		printf 'lkmdemo: error: %s failed (exit %s); log: %s\n' \
			"$name" "$rc" "$logfile" >&2
		printf 'lkmdemo: rerun it alone: %s\n' "$*" >&2
		exit 1
	fi
	log "$name done in $(($(date +%s) - start))s"
}

# need_pkgs PKG...: install the Debian packages that are missing.
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ "${#missing[@]}" -eq 0 ] && return 0
	log "installing ${missing[*]}"
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	{ $sudo apt-get update &&
	  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y \
		--no-install-recommends "${missing[@]}"; } \
		>"$LKMDEMO_LOGS/apt.log" 2>&1 ||
		die "apt-get install ${missing[*]} failed; log: $LKMDEMO_LOGS/apt.log"
}

# --- Results: one "PASS|FAIL|SKIP name" line per test in LKMDEMO_RESULTS ---
LKMDEMO_RESULTS=$LKMDEMO_LOGS/results.txt

# pass|fail|skip NAME [DETAIL]: record one test result.
pass() { echo "PASS $1" >>"$LKMDEMO_RESULTS"; }
skip() { echo "SKIP $1" >>"$LKMDEMO_RESULTS"; log "SKIP $1${2:+: $2}"; }
fail() {
	echo "FAIL $1" >>"$LKMDEMO_RESULTS"
	log "FAIL $1${2:+: $2}"
}
result() {
	if [ "$1" -eq 0 ]; then pass "$2"; else fail "$2" "${3:-}"; fi
}

# Packages a kernel build needs.
# shellcheck disable=SC2034 # used by the scripts that source this
BUILD_PKGS=(gcc make flex bison bc libelf-dev libssl-dev cpio xz-utils
	    ccache git python3 perl kmod)

# kernel_id: a short name for the selected kernel (6.12, 6.1 or custom).
kernel_id() {
	case $LKMDEMO_KERNEL in
	6.12|6.1) echo "$LKMDEMO_KERNEL" ;;
	*) echo "custom-$(basename "$LKMDEMO_KERNEL")" ;;
	esac
}

# Where the pristine base repository of the selected kernel lives.
base_repo() {
	echo "$LKMDEMO_CACHE/src/linux-$(kernel_id)"
}

# The work tree that holds the base with the series applied.
patched_tree() {
	echo "$LKMDEMO_CACHE/trees/$(kernel_id)"
}

# build_dir CONFIG: the O= directory of one configuration.
build_dir() {
	echo "$LKMDEMO_CACHE/build/$(kernel_id)-$LKMDEMO_ARCH-$1"
}

kernel_arch() {
	case $LKMDEMO_ARCH in
	x86_64) echo x86 ;;
	arm64) echo arm64 ;;
	*) die "unknown architecture $LKMDEMO_ARCH (known: x86_64 arm64)" ;;
	esac
}

kernel_image_target() {
	case $LKMDEMO_ARCH in
	x86_64) echo bzImage ;;
	arm64) echo Image ;;
	esac
}

kernel_image() {
	case $LKMDEMO_ARCH in
	x86_64) echo "$(build_dir "$1")/arch/x86/boot/bzImage" ;;
	arm64) echo "$(build_dir "$1")/arch/arm64/boot/Image" ;;
	esac
}

# lkmdemo_fragment CONFIG TREE: a config fragment that sets every option
# in TREE's drivers/misc/lkmdemo/Kconfig: the bool gate to y, each
# tristate to CONFIG (y or m). With LKMDEMO_MODULES set (quick mode), only
# the options of those modules are on.
lkmdemo_fragment() {
	local mode=$1 kconfig=$2/drivers/misc/lkmdemo/Kconfig sym type
	[ -f "$kconfig" ] || die "$kconfig is missing: is the series applied?"
	awk '/^(menu)?config /{sym=$2; next}
	     sym && $1 ~ /^(bool|tristate)$/ {print sym, $1; sym=""}' "$kconfig" |
	while read -r sym type; do
		if [ "$type" = bool ]; then
			echo "CONFIG_$sym=y"
		elif [ -z "$LKMDEMO_MODULES" ] || module_selected "$sym"; then
			echo "CONFIG_$sym=$mode"
		else
			echo "# CONFIG_$sym is not set"
		fi
	done
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
