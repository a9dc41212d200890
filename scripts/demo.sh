#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The lkmdemo demo: build three kernels and show the modules at work.
#
#   demo.sh [--kernel mainline|6.12|6.1|DIR] [--shell y|m]
#
# Installs what it needs, applies the series to the kernel, builds the y
# kernel (modules built in), the m kernel (loadable modules) and the
# debug kernel (signed modules, and the kernel's bug finders), boots the
# y kernel with parameters on its command line, the m kernel with
# modprobe and /etc/modprobe.d and hello.c built out of tree, and the
# debug kernel with module.sig_enforce=1 and a module without its
# signature, and prints what the modules did.
# --shell CONFIG boots that kernel to a shell instead (leave it with exit).
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,15s/^# \{0,1\}//p' "$0"
}

shell=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) LKMDEMO_KERNEL=${2:?--kernel needs a value}; shift 2 ;;
	--shell) shell=${2:?--shell needs y or m}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
case $shell in
""|y|m) ;;
*) die "--shell takes y or m, not '$shell'" ;;
esac
export LKMDEMO_KERNEL
S=$LKMDEMO_SCRIPTS

need_pkgs "${BUILD_PKGS[@]}" qemu-system-x86
stage "kernel source" "$LKMDEMO_LOGS/kernel-source.log" "$S/kernel-source.sh"
# The series for the base this machine has (patches/ when it is the one
# patches/ was made on; test.sh checks that).
patches=$LKMDEMO_CACHE/patches-$(kernel_id)
stage "generate the series" "$LKMDEMO_LOGS/series.log" "$S/series.sh" --out "$patches"
stage "git am the series" "$LKMDEMO_LOGS/series-apply.log" \
	"$S/series.sh" --out "$patches" --apply

for config in ${shell:-y m debug}; do
	"$S/build.sh" --config "$config"
	# hello.c built out of tree, as loading.rst shows, for the m demo.
	"$S/outoftree.sh" --config "$config"
	stage "initramfs $config" "$LKMDEMO_LOGS/initramfs-$config.log" \
		"$S/initramfs.sh" --config "$config"
done

if [ -n "$shell" ]; then
	log "booting the $shell kernel to a shell; type exit to leave"
	exec "$S/boot.sh" --config "$shell" --mode shell
fi

params="lkmdemo_params.count=3 lkmdemo_params.name=student lkmdemo_params.flag lkmdemo_params.values=4,5,6 lkmdemo_params.ratio=80 lkmdemo_params.ratio=500 lkmdemo_chardev.size=64 lkmdemo_procfs.records=3 lkmdemo_sysfs.limit=1000"
"$S/boot.sh" --config y --mode demo --name demo-y --append "$params"
"$S/boot.sh" --config m --mode demo --name demo-m
"$S/boot.sh" --config debug --mode demo --name demo-debug --append module.sig_enforce=1
echo
for config in y m debug; do
	tr -d '\r' <"$LKMDEMO_LOGS/boot-demo-$config.results" | grep -v '^# lkmdemo guest'
	echo
done
echo "Boot logs: $LKMDEMO_LOGS/boot-demo-{y,m,debug}.console"
echo "A shell in the guest: scripts/demo.sh --shell m (or --shell y)"
