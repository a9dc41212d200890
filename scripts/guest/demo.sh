#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A short tour of the lkmdemo modules inside the guest: built in, what the
# boot command line did; as modules, modprobe lines and an /etc/modprobe.d
# file, an init that fails on purpose, a module loaded on demand, a
# character device, files in /proc, sysfs and debugfs, timers and delayed
# work, kernel threads, threads that share a counter under each kind of
# lock, a device that acts like a pipe, and hello.c built out of tree:
# the taint it sets,
# and a damaged copy refused.

show_params() {
	echo "--- /sys/module/lkmdemo_params/parameters:"
	for f in /sys/module/lkmdemo_params/parameters/*; do
		printf '    %-9s %s\n' "${f##*/}" "$(cat "$f")"
	done
}

said() {
	echo "--- the module printed:"
	dmesg -s 1048576 | sed -n "s/^\[[ 0-9.]*\] \($1: .*\)/    \1/p" | tail -n "$2"
}

show_runs() {
	echo "\$ cat /sys/kernel/lkmdemo_deferred/*"
	for f in timer hrtimer work system_work; do
		printf '    %-11s %s\n' $f "$(cat /sys/kernel/lkmdemo_deferred/$f)"
	done
}

show_threads() {
	echo "\$ ps | grep lkmdemo_kt"
	# shellcheck disable=SC2009 # ps is what the tour shows
	ps | grep '[l]kmdemo_kt/' | sed 's/^/    /'
	echo "\$ echo >/sys/kernel/lkmdemo_kthread/wake; echo >/sys/kernel/lkmdemo_kthread/wake"
	echo >/sys/kernel/lkmdemo_kthread/wake
	echo >/sys/kernel/lkmdemo_kthread/wake
	sleep 0.2
	echo "\$ cat /sys/kernel/lkmdemo_kthread/handled   (two wake-ups, each thread once)"
	sed 's/^/    /' /sys/kernel/lkmdemo_kthread/handled
}

# show_rounds MODES: a round of lkmdemo_sync in each mode, and the
# line it logged.
show_rounds() {
	for m in $1; do
		echo "\$ echo $m >/sys/kernel/lkmdemo_sync/run"
		echo "$m" >/sys/kernel/lkmdemo_sync/run
		said lkmdemo_sync 1
	done
}

if [ "$(cat /sys/module/module/parameters/sig_enforce 2>/dev/null)" = Y ]; then
	echo "=== signed modules: module.sig_enforce=1"
	m=lkmdemo_smallest_library
	f=$(modinfo -n $m)
	echo "\$ modinfo $m | grep -e signer -e sig_hashalgo"
	modinfo $m | grep -e signer -e sig_hashalgo | sed 's/^/    /'
	echo "\$ tail -c 28 $f"
	echo "    $(tail -c 28 "$f")"
	# The copy without its signature: the signature's length is the
	# last 4 bytes of the 12 before the 28 of the marker.
	# shellcheck disable=SC2046 # twelve numbers
	set -- $(tail -c 40 "$f" | head -c 12 | od -An -tu1)
	len=$(($9 << 24 | ${10} << 16 | ${11} << 8 | ${12}))
	echo "\$ head -c \$((size - 40 - $len)) $m.ko >/tmp/unsigned.ko   (the module without its signature)"
	head -c $(($(wc -c <"$f") - 40 - len)) "$f" >/tmp/unsigned.ko
	echo "\$ insmod /tmp/unsigned.ko"
	insmod /tmp/unsigned.ko 2>&1 | sed 's/^/    /'
	echo "--- the kernel said:"
	dmesg -s 1048576 | tail -n 1 | sed 's/^\[[ 0-9.]*\] /    /'
	echo "\$ modprobe $m   (signed)"
	modprobe $m && echo "    loaded: $(grep "^$m " /proc/modules | cut -d' ' -f1-3)"
	rmmod $m
	echo "--- /proc/sys/kernel/tainted: $(cat /proc/sys/kernel/tainted)"
	exit 0
fi

if [ -d /sys/module/lkmdemo_params ] &&
   [ ! -e /sys/module/lkmdemo_params/initstate ]; then
	echo "=== built in: parameters from the kernel command line"
	echo "--- /proc/cmdline: $(cat /proc/cmdline)"
	said lkmdemo_hello 1
	said lkmdemo_params 7
	show_params
	said lkmdemo_lifecycle 1
	said lkmdemo_autoload 1
	echo "--- the parameters the tier 2 modules took from it, each one's"
	echo "    sysfs file, and what they made of them:"
	for p in lkmdemo_chardev/parameters/size lkmdemo_procfs/parameters/records \
		 lkmdemo_sysfs/parameters/limit; do
		echo "    /sys/module/$p: $(cat /sys/module/$p)"
	done
	said lkmdemo_chardev 1
	said lkmdemo_procfs 1
	echo "\$ cat /proc/lkmdemo/table"
	sed 's/^/    /' /proc/lkmdemo/table
	echo "\$ echo 1001 >/sys/kernel/lkmdemo_sysfs/value   (the limit is 1000)"
	(echo 1001 >/sys/kernel/lkmdemo_sysfs/value) 2>&1 | sed 's/^/    /'
	echo "--- lkmdemo_deferred: every period 0 at boot, so no job ran:"
	said lkmdemo_deferred 1
	show_runs
	p=/sys/module/lkmdemo_deferred/parameters
	echo "\$ echo 20 >$p/timer_ms; sleep 1; echo 0 >$p/timer_ms"
	echo 20 >$p/timer_ms
	sleep 1
	echo 0 >$p/timer_ms
	show_runs
	echo "--- lkmdemo_kthread's threads, running since boot:"
	said lkmdemo_kthread 1
	show_threads
	echo "--- lkmdemo_sync: a round under a mutex, and one without a lock"
	show_rounds "mutex none"
	exit 0
fi

echo "=== as modules: parameters from modprobe"
echo "\$ modprobe lkmdemo_hello && rmmod lkmdemo_hello"
modprobe lkmdemo_hello && rmmod lkmdemo_hello
said lkmdemo_hello 2
echo "\$ modinfo lkmdemo_params | grep parm | head -n 4"
modinfo lkmdemo_params | grep parm | head -n 4
echo "\$ modprobe lkmdemo_params count=3 name=student values=4,5,6 ratio=80"
modprobe lkmdemo_params count=3 name=student values=4,5,6 ratio=80
said lkmdemo_params 5
show_params
echo "\$ echo 20 > /sys/module/lkmdemo_params/parameters/ratio"
echo 20 >/sys/module/lkmdemo_params/parameters/ratio
said lkmdemo_params 1
echo "\$ echo 500 > /sys/module/lkmdemo_params/parameters/ratio"
echo 500 >/sys/module/lkmdemo_params/parameters/ratio
said lkmdemo_params 1
rmmod lkmdemo_params

echo
echo "=== as modules: parameters from /etc/modprobe.d"
echo "options lkmdemo_params flag=y quiet=1 label=from-conf" \
	>/etc/modprobe.d/lkmdemo.conf
echo "\$ cat /etc/modprobe.d/lkmdemo.conf"
cat /etc/modprobe.d/lkmdemo.conf
echo "\$ modprobe lkmdemo_params"
modprobe lkmdemo_params
said lkmdemo_params 4
show_params
echo "\$ modprobe lkmdemo_params values=1,2,3,4,5   (one value too many)"
rmmod lkmdemo_params
modprobe lkmdemo_params values=1,2,3,4,5
said lkmdemo_params 1

echo
echo "=== as modules: an init that fails at step 3 and unwinds"
echo "\$ modprobe lkmdemo_lifecycle fail_at=3"
modprobe lkmdemo_lifecycle fail_at=3
said lkmdemo_lifecycle 3
echo "\$ modprobe lkmdemo_lifecycle && cat /dev/lkmdemo_lifecycle"
modprobe lkmdemo_lifecycle && cat /dev/lkmdemo_lifecycle
rmmod lkmdemo_lifecycle

echo
echo "=== as modules: request_module() and an alias"
echo "\$ modprobe -R lkmdemo-greeter"
modprobe -R lkmdemo-greeter
echo "\$ modprobe lkmdemo_autoload"
modprobe lkmdemo_autoload
said lkmdemo_autoload_target 1
said lkmdemo_autoload 1
echo "\$ lsmod | grep autoload"
lsmod | grep autoload

echo
echo "=== as modules: a character device"
echo "\$ modprobe lkmdemo_chardev size=64; stat -c '%A uid %u, 0x%t:0x%T %n' /dev/lkmdemo_chardev"
modprobe lkmdemo_chardev size=64
stat -c '    %A uid %u, 0x%t:0x%T %n' /dev/lkmdemo_chardev
echo "\$ echo hello >/dev/lkmdemo_chardev; dd if=/dev/lkmdemo_chardev bs=6 count=1"
echo hello >/dev/lkmdemo_chardev
dd if=/dev/lkmdemo_chardev bs=6 count=1 2>/dev/null | sed 's/^/    /'
echo "\$ setpriv --reuid=65534 sh -c 'echo x >/dev/lkmdemo_chardev'   (the node is 0644)"
setpriv --reuid=65534 --regid=65534 --clear-groups \
	sh -c 'echo x >/dev/lkmdemo_chardev' 2>&1 | sed 's/^/    /'
echo "\$ exec 3</dev/lkmdemo_chardev; rmmod lkmdemo_chardev   (an open file holds the module)"
exec 3</dev/lkmdemo_chardev
rmmod lkmdemo_chardev 2>&1 | sed 's/^/    /'
echo "\$ exec 3<&-; rmmod lkmdemo_chardev"
exec 3<&-
rmmod lkmdemo_chardev && echo "    unloaded"

echo
echo "=== as modules: files in /proc with seq_file"
echo "\$ modprobe lkmdemo_procfs records=3; stat -c '%A %n' /proc/lkmdemo/*; cat /proc/lkmdemo/table"
modprobe lkmdemo_procfs records=3
stat -c '    %A %n' /proc/lkmdemo/*
sed 's/^/    /' /proc/lkmdemo/table
echo "\$ echo 3000 >/proc/lkmdemo/records; wc -c; dd bs=7 | tail -n 1   (many pages, read 7 bytes at a time)"
echo 3000 >/proc/lkmdemo/records
echo "    $(wc -c </proc/lkmdemo/table) bytes"
dd if=/proc/lkmdemo/table bs=7 2>/dev/null | tail -n 1 | sed 's/^/    /'
echo "\$ echo 0x10 >/proc/lkmdemo/records; cat /proc/lkmdemo/records   (refused, nothing changed)"
(echo 0x10 >/proc/lkmdemo/records) 2>&1 | sed 's/^/    /'
sed 's/^/    /' /proc/lkmdemo/records
said lkmdemo_procfs 1
echo "\$ setpriv --reuid=65534 sh -c 'echo 5 >/proc/lkmdemo/records'   (the file is 0644)"
setpriv --reuid=65534 --regid=65534 --clear-groups \
	sh -c 'echo 5 >/proc/lkmdemo/records' 2>&1 | sed 's/^/    /'
echo "\$ exec 3</proc/lkmdemo/table; rmmod lkmdemo_procfs; cat <&3   (an open file does not hold the module)"
exec 3</proc/lkmdemo/table
rmmod lkmdemo_procfs && echo "    unloaded"
cat <&3 2>&1 | sed 's/^/    /'
exec 3<&-

echo
echo "=== as modules: attributes in sysfs"
a=/sys/kernel/lkmdemo_sysfs
echo "\$ modprobe lkmdemo_sysfs limit=1000; cd $a; stat -c '%A %n' *"
modprobe lkmdemo_sysfs limit=1000
(cd $a && stat -c '    %A %n' -- *)
echo "\$ echo 42 >value; cat value changes limit"
echo 42 >$a/value
echo "    $(cat $a/value) $(cat $a/changes) $(cat $a/limit)"
echo "\$ echo 1001 >value   (above limit)"
echo 1001 2>&1 >$a/value | sed 's/^/    /'
said lkmdemo_sysfs 1
echo "\$ cat value changes"
echo "    $(cat $a/value) $(cat $a/changes)"
echo "\$ cat reset   (0200: sysfs refuses to open it for reading, even for root)"
cat $a/reset 2>&1 | sed 's/^/    /'
echo "\$ echo 1 >reset; cat value changes"
echo 1 >$a/reset
echo "    $(cat $a/value) $(cat $a/changes)"
echo "\$ setpriv --reuid=65534 sh -c 'cat value; echo 7 >value'   (0644)"
setpriv --reuid=65534 --regid=65534 --clear-groups \
	sh -c "cat $a/value; echo 7 >$a/value" 2>&1 | sed 's/^/    /'
echo "\$ exec 3<value; rmmod lkmdemo_sysfs; cat <&3   (sysfs holds no reference to the module)"
exec 3<$a/value
rmmod lkmdemo_sysfs && echo "    unloaded"
cat <&3 2>&1 | sed 's/^/    /'
exec 3<&-

echo
echo "=== as modules: debugfs files"
d=/sys/kernel/debug/lkmdemo_debugfs
echo "\$ modprobe lkmdemo_debugfs; ls -l $d"
modprobe lkmdemo_debugfs
said lkmdemo_debugfs 1
for f in "$d"/*; do
	stat -c "    %A ${f##*/}" "$f"
done
echo "\$ cat threshold enabled features primes window; od -An -tx1 signature"
for f in threshold enabled features primes window; do
	printf '    %-9s %s\n' "$f" "$(cat "$d/$f")"
done
printf '    %-9s%s\n' signature "$(od -An -tx1 "$d/signature")"
echo "\$ echo 20 30 > window; cat window"
echo 20 30 >"$d/window"
echo "    $(cat "$d/window")"
echo "\$ echo 30 20 > window   (LOW above HIGH)"
echo 30 20 2>&1 >"$d/window" | sed 's/^/    /'
said lkmdemo_debugfs 1
echo "\$ echo maybe > enabled; cat enabled   (a bool drops what it cannot read)"
echo maybe >"$d/enabled"
echo "    $(cat "$d/enabled")"
echo "\$ setpriv --reuid=65534 cat $d/threshold   (debugfs is mounted 0700)"
setpriv --reuid=65534 --regid=65534 --clear-groups \
	cat "$d/threshold" 2>&1 | sed 's/^/    /'
echo "\$ exec 3<$d/window; rmmod lkmdemo_debugfs; cat <&3   (no file holds the module)"
exec 3<"$d/window"
rmmod lkmdemo_debugfs && echo "    unloaded"
cat <&3 2>&1 | sed 's/^/    /'
exec 3<&-

echo
echo "=== as modules: a timer, an hrtimer and delayed work"
p=/sys/module/lkmdemo_deferred/parameters
echo "\$ modprobe lkmdemo_deferred timer_ms=10 hrtimer_us=2000 work_ms=50; sleep 1"
modprobe lkmdemo_deferred timer_ms=10 hrtimer_us=2000 work_ms=50
sleep 1
said lkmdemo_deferred 1
show_runs
echo "\$ echo 1000 >$p/timer_ms; sleep 1   (taken at the timer's next run)"
echo 1000 >$p/timer_ms
sleep 1
show_runs
echo "\$ echo 20000 >$p/timer_ms   (the limit is 10000; 0 stops it)"
(echo 20000 >$p/timer_ms) 2>&1 | sed 's/^/    /'
said lkmdemo_deferred 1
echo "\$ rmmod lkmdemo_deferred   (each job stopped by the call that waits for it)"
rmmod lkmdemo_deferred
said lkmdemo_deferred 1

echo
echo "=== as modules: kernel threads that sleep until woken"
echo "\$ modprobe lkmdemo_kthread threads=3"
modprobe lkmdemo_kthread threads=3
said lkmdemo_kthread 1
show_threads
echo "\$ rmmod lkmdemo_kthread   (kthread_stop() ends each thread, asleep)"
rmmod lkmdemo_kthread
said lkmdemo_kthread 1

echo
echo "=== as modules: one counter, several threads, each kind of lock"
echo "\$ modprobe lkmdemo_sync threads=4 loops=5000"
modprobe lkmdemo_sync threads=4 loops=5000
show_rounds "mutex spinlock rwsem atomic refcount rcu none"
echo "\$ echo semaphore >/sys/kernel/lkmdemo_sync/run"
(echo semaphore >/sys/kernel/lkmdemo_sync/run) 2>&1 | sed 's/^/    /'
said lkmdemo_sync 1
rmmod lkmdemo_sync

echo
echo "=== as modules: a device that acts like a pipe"
echo "\$ modprobe lkmdemo_fifo"
modprobe lkmdemo_fifo
said lkmdemo_fifo 1
echo "\$ cat /dev/lkmdemo_fifo0 &   (its open waits for a writer)"
sed 's/^/    cat: /' /dev/lkmdemo_fifo0 &
sleep 0.3
echo "\$ echo hello >/dev/lkmdemo_fifo0   (and at its close, cat sees end of file)"
echo hello >/dev/lkmdemo_fifo0
wait
if [ -x /lkmdemo/selftests/lkmdemo_fifo_bench ]; then
	echo "\$ lkmdemo_fifo_bench 8 500   (8 MiB, 500 round trips)"
	/lkmdemo/selftests/lkmdemo_fifo_bench 8 500 | sed 's/^# bench: /    /'
fi
rmmod lkmdemo_fifo

echo
echo "=== as modules: a static key, and the instruction a switch rewrites"
k=/sys/kernel/lkmdemo_static_key
modprobe lkmdemo_static_key
for v in 0 1; do
	echo "\$ echo $v >/sys/module/lkmdemo_static_key/parameters/enabled; echo 1000 >run; cat code runs_off runs_on"
	echo $v >/sys/module/lkmdemo_static_key/parameters/enabled
	echo 1000 >$k/run
	sed 's/^/    /' $k/code $k/runs_off $k/runs_on
done
rmmod lkmdemo_static_key

echo
echo "=== as modules: a kmem_cache with a constructor"
echo "\$ modprobe lkmdemo_slab; echo 1 >/sys/kernel/lkmdemo_slab/alloc; cat objects constructed"
modprobe lkmdemo_slab
echo 1 >/sys/kernel/lkmdemo_slab/alloc
echo "    $(cat /sys/kernel/lkmdemo_slab/objects) $(cat /sys/kernel/lkmdemo_slab/constructed)   (one object, a whole slab constructed)"
echo "\$ grep lkmdemo_slab /proc/slabinfo; ls -l /sys/kernel/slab | grep lkmdemo_slab"
grep lkmdemo_slab /proc/slabinfo | cut -c1-58 | sed 's/^/    /'
for f in /sys/kernel/slab/lkmdemo_slab*; do
	if [ -L "$f" ]; then
		echo "    ${f##*/} -> $(readlink "$f")   (merged)"
	else
		echo "    ${f##*/}/   (a cache of its own)"
	fi
done
rmmod lkmdemo_slab

echo
echo "=== out of tree: hello.c built with make -C <build dir> M=<dir>"
tainted() {
	echo "--- /proc/sys/kernel/tainted: $(cat /proc/sys/kernel/tainted)" \
		"(O, bit 12: $(($(cat /proc/sys/kernel/tainted) >> 12 & 1)))"
}
echo "\$ modinfo -F intree lkmdemo_hello; modinfo -F intree lkmdemo_outoftree"
echo "    lkmdemo_hello: '$(modinfo -F intree lkmdemo_hello)'," \
	"lkmdemo_outoftree: '$(modinfo -F intree lkmdemo_outoftree)'"
tainted
echo "\$ modprobe lkmdemo_outoftree"
modprobe lkmdemo_outoftree
said lkmdemo_outoftree 2
echo "\$ cat /sys/module/lkmdemo_outoftree/taint"
echo "    $(cat /sys/module/lkmdemo_outoftree/taint)"
tainted
rmmod lkmdemo_outoftree
echo "\$ head -c 4000 lkmdemo_outoftree.ko >/tmp/short.ko; insmod /tmp/short.ko"
head -c 4000 "$(modinfo -n lkmdemo_outoftree)" >/tmp/short.ko
insmod /tmp/short.ko 2>&1 | sed 's/^/    /'
echo "--- the kernel said:"
dmesg -s 1048576 | tail -n 1 | sed 's/^\[[ 0-9.]*\] /    /'
