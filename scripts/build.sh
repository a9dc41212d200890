#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Configure and build one kernel out of tree, with ccache.
#
#   build.sh [--config y|m] [--tree DIR] [--no-lkmdemo]
#
# The configuration is tinyconfig, then scripts/configs/$ARCH.config, then
# a fragment that sets every LKMDEMO option to the configuration's value
# (y: built in, m: modules), merged with the kernel's merge_config.sh.
# Afterwards every LKMDEMO option is checked: a fragment line that did not
# apply is an error. --no-lkmdemo builds the tree without that fragment
# (to warm the cache on a pristine tree).
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,14s/^# \{0,1\}//p' "$0"
}

config=y
tree=
lkmdemo=1
while [ $# -gt 0 ]; do
	case $1 in
	--config) config=${2:?--config needs a value}; shift 2 ;;
	--tree) tree=${2:?--tree needs a value}; shift 2 ;;
	--no-lkmdemo) lkmdemo=0; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
case $config in
y|m) ;;
*) die "unknown configuration '$config' (known: y m)" ;;
esac
[ -n "$tree" ] || tree=$(patched_tree)
[ -f "$tree/Makefile" ] || die "no kernel tree at $tree (run scripts/series.sh --apply first)"

need_pkgs "${BUILD_PKGS[@]}"

out=$(build_dir "$config")
logf=$LKMDEMO_LOGS/build-$(kernel_id)-$LKMDEMO_ARCH-$config.log
mkdir -p "$out"
kmake=(make -C "$tree" O="$out" ARCH="$(kernel_arch)" -j"$LKMDEMO_JOBS"
       CC="ccache gcc" HOSTCC="ccache gcc" KBUILD_BUILD_TIMESTAMP=lkmdemo
       KBUILD_BUILD_USER=lkmdemo KBUILD_BUILD_HOST=lkmdemo)

fragments=("$LKMDEMO_SCRIPTS/configs/$LKMDEMO_ARCH.config")
if [ "$lkmdemo" = 1 ]; then
	lkmdemo_fragment "$config" "$tree" >"$out/lkmdemo.config"
	fragments+=("$out/lkmdemo.config")
fi

configure() {
	"${kmake[@]}" tinyconfig
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" \
		"$out/.config" "${fragments[@]}"
	"${kmake[@]}" olddefconfig
}

# Configure only when the fragments or the tree's Kconfig files changed;
# keep the old .config (and its timestamp) when nothing in it changed, so
# nothing rebuilds.
stamp=$( { cat "${fragments[@]}"; git -C "$tree" rev-parse HEAD 2>/dev/null ||
	   date +%s; } | sha1sum | cut -c1-40)
if [ -f "$out/.config" ] && [ "$(cat "$out/.config.stamp" 2>/dev/null)" = "$stamp" ]; then
	log "configure $(kernel_id)/$LKMDEMO_ARCH/$config: unchanged"
else
	[ -f "$out/.config" ] && cp -p "$out/.config" "$out/.config.prev"
	stage "configure $(kernel_id)/$LKMDEMO_ARCH/$config" "$logf.config" configure
	if [ -f "$out/.config.prev" ] && cmp -s "$out/.config" "$out/.config.prev"; then
		mv "$out/.config.prev" "$out/.config"
	fi
	rm -f "$out/.config.prev"
	echo "$stamp" >"$out/.config.stamp"
fi

# Every line of every fragment must have survived the merge.
bad=0
for f in "${fragments[@]}"; do
	# shellcheck disable=SC2094 # $f is only read
	while read -r line; do
		case $line in
		CONFIG_*=*) want=$line ;;
		"# CONFIG_"*" is not set") want=$line ;;
		*) continue ;;
		esac
		sym=${want#\# }
		sym=${sym%%[= ]*}
		have=$(grep -E "^(# )?${sym}[= ]" "$out/.config" || true)
		if [ "$have" != "$want" ] && ! { [ -z "$have" ] &&
		     [ "${want#\# }" != "$want" ]; }; then
			printf 'lkmdemo: %s: wanted "%s", .config has "%s"\n' \
				"$(basename "$f")" "$want" "${have:-nothing}" >&2
			bad=1
		fi
	done <"$f"
done
[ "$bad" = 0 ] || die "the configuration of $out does not match its fragments (see above)"

targets=("$(kernel_image_target)")
grep -q '^CONFIG_MODULES=y' "$out/.config" && targets+=(modules)
stage "build $(kernel_id)/$LKMDEMO_ARCH/$config" "$logf" "${kmake[@]}" "${targets[@]}"

if grep -q '^CONFIG_MODULES=y' "$out/.config"; then
	rm -rf "$out/modinst"
	stage "install modules" "$logf.install" "${kmake[@]}" \
		INSTALL_MOD_PATH="$out/modinst" INSTALL_MOD_STRIP=1 modules_install
fi
