#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Configure and build one kernel out of tree, with ccache.
#
#   build.sh [--config y|m|nomodules|debug|mixed] [--tree DIR] [--no-lkmdemo]
#            [--from BUILD_DIR]
#
# The configuration is tinyconfig, then scripts/configs/$ARCH.config, then
# scripts/configs/$CONFIG.config if there is one (nomodules, debug; debug
# also trust.config) and $CONFIG-$ARCH.config if there is one (debug on
# x86_64), then a fragment that sets every LKMDEMO option (y
# and nomodules: built in, m: modules, debug: modules but lkmdemo_hello,
# mixed: the options others depend on built in, the rest modules), merged
# in that order with merge_config.sh.
# Afterwards every line of every fragment is checked (the last fragment
# that names a symbol wins): a line that did not apply is an error.
# --no-lkmdemo builds the tree without the LKMDEMO fragment (to warm the
# cache on a pristine tree). --from starts a build directory that was
# never built as a copy of a built one of the same kernel and
# architecture (m from y: only the LKMDEMO objects and the links differ).
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,20s/^# \{0,1\}//p' "$0"
}

config=y
tree=
lkmdemo=1
from=
while [ $# -gt 0 ]; do
	case $1 in
	--config) config=${2:?--config needs a value}; shift 2 ;;
	--tree) tree=${2:?--tree needs a value}; shift 2 ;;
	--no-lkmdemo) lkmdemo=0; shift ;;
	--from) from=${2:?--from needs a build directory}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
check_config_name "$config"
[ -n "$tree" ] || tree=$(patched_tree)
[ -f "$tree/Makefile" ] || die "no kernel tree at $tree (run scripts/series.sh --apply first)"

# shellcheck disable=SC2046 # one word per package
need_pkgs "${BUILD_PKGS[@]}" $(arch_pkgs)

out=$(build_dir "$config")
logf=$LKMDEMO_LOGS/build-$(kernel_id)-$LKMDEMO_ARCH-$config.log
[ -z "$from" ] || seed_build_dir "$from" "$out"
# A build from nothing (no vmlinux, not even a seed's) compiles each file
# with a .config that no other build directory has: ccache would find
# nothing and only add its own work. It runs without ccache; the builds
# after it, with. In three cold runs, the kernels from nothing took
# (CPU s, with ccache / without): debug 787 and 783 / 698, mainline y
# 417 and 388 / 328, 6.12 333 and 326 / 276, 6.1 316 and 310 / 283,
# i386 377 / 326; only arm64 377 and 369 / 376. (A nomodules build
# seeded from y took 362 with an empty ccache and 375 without, alone.)
from_nothing=0
[ -f "$out/vmlinux" ] || from_nothing=1
mkdir -p "$out"
mapfile -t fragments < <(config_fragments "$config" "$tree")
if [ "$lkmdemo" = 1 ]; then
	lkmdemo_fragment "$(lkmdemo_mode "$config")" "$tree" >"$out/lkmdemo.config"
	fragments+=("$out/lkmdemo.config")
fi

# The tree's files but the documentation and the selftests (tree_key)
tree_id=$(tree_key "$tree" code)

# Configure only when the fragments or the tree's files changed; keep
# the old .config (and its timestamp) when nothing in it changed, so
# nothing rebuilds.
stamp=$( { cat "${fragments[@]}"; echo "$tree_id"; } | sha1sum | cut -c1-40)
if [ -f "$out/.config" ] && [ "$(cat "$out/.config.stamp" 2>/dev/null)" = "$stamp" ]; then
	log "configure $(kernel_id)/$LKMDEMO_ARCH/$config: unchanged"
else
	[ -f "$out/.config" ] && cp -p "$out/.config" "$out/.config.prev"
	stage "configure $(kernel_id)/$LKMDEMO_ARCH/$config" "$logf.config" \
		kernel_configure "$tree" "$out" "${fragments[@]}"
	if [ -f "$out/.config.prev" ] && cmp -s "$out/.config" "$out/.config.prev"; then
		mv "$out/.config.prev" "$out/.config"
	fi
	rm -f "$out/.config.prev"
	echo "$stamp" >"$out/.config.stamp"
fi

# Every line of every fragment must have survived the merge.
check_fragments "$out/.config" "${fragments[@]}" ||
	die "the configuration of $out does not match its fragments (see above)"

targets=("$(kernel_image_target)")
grep -q '^CONFIG_MODULES=y' "$out/.config" && targets+=(modules)

# A build of the same files (tree_id), the same .config, compilers and
# make command is not run again: make's own walk of an unchanged tree
# takes half a minute.
kcmd=()
kmake_cmd kcmd "$tree" "$out"
bkey=$( { echo "$tree_id"
	  "$(cross_prefix)gcc" --version; printf '%s\n' "${kcmd[@]}" "${targets[@]}"; } |
	inputs_key "$out/.config")
image=$(kernel_image "$config")
if [ "$LKMDEMO_FRESH" != 1 ] && [ -f "$image" ] &&
   [ "$(cat "$out/.build.stamp" 2>/dev/null)" = "$bkey" ]; then
	log "build $(kernel_id)/$LKMDEMO_ARCH/$config: unchanged (the same files, .config and compiler built $(date -u -r "$out/.build.stamp" +%Y-%m-%dT%H:%MZ))"
	exit 0
fi
rm -f "$out/.build.stamp"
if [ "$from_nothing" = 1 ]; then
	stage "build $(kernel_id)/$LKMDEMO_ARCH/$config (from nothing, no ccache)" "$logf" \
		env CCACHE_DISABLE=1 "${kcmd[@]}" "${targets[@]}"
else
	stage "build $(kernel_id)/$LKMDEMO_ARCH/$config" "$logf" kmake "$tree" "$out" "${targets[@]}"
fi

if grep -q '^CONFIG_MODULES=y' "$out/.config"; then
	rm -rf "$out/modinst"
	stage "install modules" "$logf.install" kmake "$tree" "$out" \
		INSTALL_MOD_PATH="$out/modinst" INSTALL_MOD_STRIP=1 modules_install
else
	rm -rf "$out/modinst"
fi
echo "$bkey" >"$out/.build.stamp"
