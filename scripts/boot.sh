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
# writes nothing for LKMDEMO_BOOT_TIMEOUT seconds and three selftest
# timeouts (six times that on debug) is hung, a failure.
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
# shellcheck disable=SC2046 # one word per package
need_pkgs $(arch_pkgs)

out=$(build_dir "$config")
image=$(kernel_image "$config")
[ -f "$image" ] || die "no kernel image $image (run scripts/build.sh --config $config)"
[ -f "$out/initramfs.cpio" ] || die "no initramfs in $out (run scripts/initramfs.sh --config $config)"

console=$LKMDEMO_LOGS/boot-$name.console
results=$LKMDEMO_LOGS/boot-$name.results
rm -f "$console" "$results"
# The debug kernel needs room for KASAN's shadow and kmemleak's pool, and
# time: its checks slow the guest down several times.
mem=512
scale=1
if [ "$config" = debug ]; then
	mem=1024
	scale=6
	# and each selftest's timeout likewise
	append="lkmdemo.timeout_scale=$scale $append"
fi
test_limit=$(sed -n 's/^timeout=//p' \
	"$(patched_tree)/tools/testing/selftests/drivers/misc/lkmdemo/settings" 2>/dev/null)
# A guest is hung when it writes nothing, neither console nor results,
# for LKMDEMO_BOOT_TIMEOUT seconds and three times a selftest's timeout
# (their settings file): a selftest that hangs is stopped by the guest's
# watchdog, which counts the guest's time, and with the host's cores
# busy that runs slower (85 seconds of it in 210 of the host's, three
# guests and three busy loops on 2 cores); it fails alone and the others
# still run. A guest that keeps writing has three times that in all.
idle_limit=$(((LKMDEMO_BOOT_TIMEOUT + 3 * ${test_limit:-45}) * scale))
boot_timeout=$((3 * idle_limit))

# host_tsc_khz: the host's TSC frequency (scripts/host/tsc-khz.c),
# measured once per boot of the host and kept in the cache.
host_tsc_khz() {
	local bin=$LKMDEMO_CACHE/bin/tsc-khz src=$LKMDEMO_SCRIPTS/host/tsc-khz.c
	local known=$LKMDEMO_CACHE/host-tsc-khz boot_id khz
	boot_id=$(cat /proc/sys/kernel/random/boot_id)
	if [ "$(cut -d' ' -f1 "$known" 2>/dev/null)" = "$boot_id" ]; then
		cut -d' ' -f2 "$known"
		return
	fi
	# a file of its own per boot.sh, renamed: guests start side by side
	mkdir -p "${bin%/*}"
	if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
		{ gcc -O2 -Wall -o "$bin.$$" "$src" && mv "$bin.$$" "$bin"; } ||
			die "cannot compile $src"
	fi
	khz=$("$bin") || die "$bin failed"
	echo "$boot_id $khz" >"$known.$$" && mv "$known.$$" "$known"
	echo "$khz"
}

# The console and the results channel of each machine: x86 (64- or 32-bit) has two
# 8250 ports; arm64's virt machine has one PL011, so the results go to a
# virtio console (hvc0).
# Each machine has two CPUs (every kernel is SMP, configs/$ARCH.config):
# a lock that is missing loses updates only where two threads run at
# once (lkmdemo_sync's rounds), and the fifo benchmark's reader and
# writer each get one. QEMU runs each vCPU on a host thread; an idle one
# sleeps.
# The debug guest has one: with two on one host thread (x86, below),
# its checks make each call across CPUs (a TLB flush at every module
# unload, RCU) wait for the other vCPU's turn, and loading.sh took 250 s
# of its time against 52 on one CPU.
smp=2
[ "$config" != debug ] || smp=1
case $LKMDEMO_ARCH in
x86_64|i386)
	# The guest's TSC is the host's (QEMU's TCG answers RDTSC with it),
	# but the guest calibrates it against its PIT, and with the host's
	# cores busy it gets it wrong: a 6.1 guest found 188 MHz for 2096,
	# its clock ran eleven times fast, and its watchdog stopped
	# selftests as at 120 s after some 11; others give up and keep time
	# by the PIT's ticks, which are lost, and run slow. Told the
	# frequency, and that the TSC needs no watchdog (it would be
	# checked against those ticks), the guest keeps the host's time.
	[ "$(uname -m)" != x86_64 ] ||
		append="tsc_early_khz=$(host_tsc_khz) tsc=reliable $append"
	# The kernels have no ACPI: they find CPUs in SeaBIOS's MP table,
	# which lists the first CPU of each package. Two CPUs are two
	# sockets, then.
	# la57=off: four-level paging. With five, the kernel asks
	# boot_cpu_data whether it has them, which identify_cpu() empties
	# and fills again at boot; KASAN checks an interrupt's access to the
	# direct map in that window against the four-level layout and
	# reports a wild-memory-access (seen once, the debug kernel of 7.3
	# on two CPUs, in handle_edge_irq() during cpu_detect()).
	# thread=single: QEMU runs both vCPUs on one host thread, in turn.
	# With a thread each, a 7.3 guest took "Oops: int3" in
	# ktime_get_ts64() as the clocksource became the TSC: x86 rewrites
	# live code with an int3 first (text_poke_bp(), jump labels), and
	# the other vCPU ran the int3 after the kernel had put the new
	# bytes in. arm64 rewrites code under stop_machine().
	# vendor: QEMU's max CPU is an AMD family 6 (a K7, to a 32-bit
	# kernel) without the MP bit, and an i386 kernel warns that such
	# Athlons are not fit for SMP. As a GenuineIntel it is a P6.
	cpu="max,la57=off"
	[ "$LKMDEMO_ARCH" != i386 ] || cpu+=",vendor=GenuineIntel"
	qemu=("$(qemu_system)" -machine q35 -accel "tcg,thread=single"
	      -cpu "$cpu" -smp "$smp,sockets=$smp")
	tty=ttyS0
	res_chan=(-serial "file:$results")
	res_shell=(-serial "file:$results")
	;;
arm64)
	# pauth-impdef: QEMU's cheap pointer authentication, so that TCG
	# does not spend its time in the architected one.
	qemu=("$(qemu_system)" -machine virt -cpu "max,pauth-impdef=on" -smp "$smp")
	tty=ttyAMA0
	append="lkmdemo.results=hvc0 $append"
	res_chan=(-device virtio-serial-device
		  -chardev "file,id=results,path=$results"
		  -device "virtconsole,chardev=results")
	res_shell=("${res_chan[@]}")
	;;
esac
# log_buf_len: the guest hands its whole kernel log to count-boot.sh at
# the end, and the debug boot's (some 160 KiB: failslab.sh, kmemleak's
# records at level 7) no longer fits the 128 KiB of tinyconfig's buffer.
# 1 MiB, as much as the guest's dmesg -s reads.
# norandmaps: every process gets the same addresses. QEMU's TCG keeps
# the code it translated by guest address, and busybox, kmod and libc at
# new random addresses in each process were translated again each time:
# an m guest ran /bin/true in 34 ms with them, in 7.5 ms without; the
# debug guest, whose own checks cost more, in 116 and 96 ms.
cmdline="console=$tty panic=-1 log_buf_len=1M norandmaps lkmdemo.mode=$mode $append"
qemu+=(-m "$mem" -nographic -no-reboot -kernel "$image"
       -initrd "$out/initramfs.cpio" -append "$cmdline")

if [ "$mode" = shell ]; then
	exec "${qemu[@]}" -serial mon:stdio "${res_shell[@]}"
fi

start=$(date +%s)
# the time keyword: QEMU's CPU seconds, user and system
TIMEFORMAT='%0U %0S'
rm -f "$console.pid"
# A guest goes before the builds: where the run shares the host's cores
# with kernels being compiled, QEMU (as root) runs at nice -10. The
# debug guest, the run's longest job and its last, took 1304 s and 525
# CPU s beside the builds of a cold run, 440 s and 413 alone.
prio=()
[ "$(id -u)" != 0 ] || prio=(nice -n -10)
{ time timeout "$boot_timeout" "${prio[@]}" "${qemu[@]}" -monitor none \
	-pidfile "$console.pid" -serial "file:$console" "${res_chan[@]}" \
	</dev/null >/dev/null 2>&1; } 2>"$console.cpu" &
guest=$!
# Once a second: has the guest written anything since? ($SECONDS: the
# shell's clock)
written=
since=$SECONDS
quiet=0
while kill -0 "$guest" 2>/dev/null; do
	sleep 1
	now=$(stat -c %s "$console" "$results" 2>/dev/null | tr '\n' ' ')
	if [ "$now" != "$written" ]; then
		written=$now
		since=$SECONDS
	fi
	quiet=$((SECONDS - since))
	if [ "$quiet" -ge "$idle_limit" ]; then
		kill "$(cat "$console.pid")" 2>/dev/null || true
		break
	fi
done
rc=0
wait "$guest" || rc=$?
[ "$quiet" -lt "$idle_limit" ] ||
	die "boot $name: the guest hung (it wrote nothing for ${idle_limit}s, $(($(date +%s) - start))s after it started); console log: $console"
[ "$rc" -ne 124 ] ||
	die "boot $name: the guest did not stop (it still wrote after ${boot_timeout}s); console log: $console"
[ "$rc" -eq 0 ] || die "boot $name: qemu exited with $rc; console log: $console"
grep -q '^# lkmdemo guest: done' "$results" 2>/dev/null ||
	die "boot $name: the guest did not finish (panic or crash?); console log: $console"
log "boot $name: $(($(date +%s) - start))s, CPU $(cpu_seconds "$console.cpu")s, console $console"
