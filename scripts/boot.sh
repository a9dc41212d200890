#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one built kernel in QEMU with its initramfs.
#
#   boot.sh [--config y|m] [--name NAME] [--mode tests|demo|shell]
#           [--append "PARAMS"]
#
# The console goes to $LKMDEMO_CACHE/logs/boot-NAME.console, what the guest
# reports to boot-NAME.results (shell mode: this terminal). A guest that
# runs longer than LKMDEMO_BOOT_TIMEOUT seconds is a failure.
. "$(dirname "$0")/lib.sh"

config=y
name=
mode=tests
append=
while [ $# -gt 0 ]; do
	case $1 in
	--config) config=${2:?--config needs a value}; shift 2 ;;
	--name) name=${2:?--name needs a value}; shift 2 ;;
	--mode) mode=${2:?--mode needs a value}; shift 2 ;;
	--append) append=${2?--append needs a value}; shift 2 ;;
	-h|--help) sed -n '4,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument: $1" ;;
	esac
done
[ -n "$name" ] || name=$(kernel_id)-$LKMDEMO_ARCH-$config-$mode
need_pkgs qemu-system-x86

out=$(build_dir "$config")
image=$(kernel_image "$config")
[ -f "$image" ] || die "no kernel image $image (run scripts/build.sh --config $config)"
[ -f "$out/initramfs.cpio" ] || die "no initramfs in $out (run scripts/initramfs.sh --config $config)"

console=$LKMDEMO_LOGS/boot-$name.console
results=$LKMDEMO_LOGS/boot-$name.results
rm -f "$console" "$results"
cmdline="console=ttyS0 panic=-1 lkmdemo.mode=$mode $append"
qemu=(qemu-system-x86_64 -machine q35 -cpu max -m 512 -nographic
      -no-reboot -kernel "$image" -initrd "$out/initramfs.cpio"
      -append "$cmdline")

if [ "$mode" = shell ]; then
	exec "${qemu[@]}" -serial mon:stdio -serial "file:$results"
fi

start=$(date +%s)
rc=0
timeout "$LKMDEMO_BOOT_TIMEOUT" "${qemu[@]}" -monitor none \
	-serial "file:$console" -serial "file:$results" </dev/null >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 124 ] ||
	die "boot $name: the guest hung (no reboot within ${LKMDEMO_BOOT_TIMEOUT}s); console log: $console"
[ "$rc" -eq 0 ] || die "boot $name: qemu exited with $rc; console log: $console"
grep -q '^# lkmdemo guest: done' "$results" 2>/dev/null ||
	die "boot $name: the guest did not finish (panic or crash?); console log: $console"
log "boot $name: $(($(date +%s) - start))s, console $console"
