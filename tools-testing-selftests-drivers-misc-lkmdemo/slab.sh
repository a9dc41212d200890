#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_slab: a kmem_cache with a constructor, lkmdemo_slab, whose
# objects the module takes and gives back on request, and a cache
# without one, lkmdemo_slab_plain, that the kernel may merge into
# another. The first shows in /proc/slabinfo and as a directory in
# /sys/kernel/slab with the module's object size; objects held show as
# active objects once the cache is shrunk, and all go back at free; the
# constructor runs for whole slabs, not for each allocation, and every
# object comes out as it left it. The second is a symlink in
# /sys/kernel/slab exactly when merging is on and no debug flag is set
# on it; what it merged into is printed. Bad counts and parameters are
# refused with EINVAL and change nothing; an allocation that runs out
# of memory (failslab, where there is one) keeps nothing; after rmmod
# the cache is gone. Built in, the parameters come from /proc/cmdline:
# none, GOOD or BAD are checked, any other values skip that check.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

mod=lkmdemo_slab
GOOD="max_objects=5000 plain_size=40"
BAD="max_objects=0 plain_size=300"

dir=/sys/kernel/$mod
par=/sys/module/$mod/parameters
slab=/sys/kernel/slab

param() {
	read -r v <"$par/$1"
	echo "$v"
}

# fig NAME: one of the module's figures, in $v.
fig() {
	read -r v <"$dir/$1"
}

# figs: objects, allocated and constructed on one line.
figs() {
	values "$dir/objects" "$dir/allocated" "$dir/constructed"
}

# slabinfo NAME: NAME's line of /proc/slabinfo, from its first number
# on: active_objs num_objs objsize objperslab pagesperslab ...
slabinfo() {
	sed -n "s/^$1  *//p" /proc/slabinfo
}

# active_num NAME: the cache's active and total objects.
active_num() {
	slabinfo "$1" | tr -s ' ' | cut -d' ' -f1,2
}

# write FILE VALUE: write VALUE to a file of the module.
# shellcheck disable=SC2317 # called through check
write() {
	echo "$2" >"$dir/$1"
}

# refused FILE VALUE ERROR: writing VALUE to FILE fails with ERROR
# (strerror's text), says why in the log, and changes no figure.
refused() {
	before=$(figs)
	mark
	if echo "$2" 2>"$ksft_tmp/err" >"$dir/$1"; then
		not_ok "$1: '$2' is refused"
		return
	fi
	check "$1: '$2' fails with $3" grep -q "$3" "$ksft_tmp/err"
	expect_eq "$1: '$2': objects, allocated and constructed as they were" \
		"$before" "$(figs)"
	check "$1: '$2': the log says why" log_has "$mod: $1: "
}

# kfence_on: may an allocation come from KFENCE's pool, constructed
# alone rather than with a slab?
kfence_on() {
	[ -r /sys/module/kfence/parameters/sample_interval ] &&
		[ "$(cat /sys/module/kfence/parameters/sample_interval)" != 0 ]
}

# object_checks: the cache with a constructor in /proc/slabinfo and
# /sys/kernel/slab, and what alloc, free and shrink do to it.
object_checks() {
	c=$slab/$mod
	check "/sys/kernel/slab/$mod is a directory, not a symlink: never merged" \
		sh -c "[ -d $c ] && [ ! -L $c ]"
	check "its ctor is the module's" grep -q slab_obj_ctor "$c/ctor"
	read -r osize <"$c/object_size"
	check "init said its object size, $osize bytes" \
		klog_has "$mod: ready: $mod of $osize-byte objects with a constructor"
	read -r ssize <"$c/slab_size"
	read -r per <"$c/objs_per_slab"
	# shellcheck disable=SC2046 # the numbers of one line
	set -- $(slabinfo $mod)
	expect_eq "/proc/slabinfo has $mod with its slot size and objects per slab" \
		"$ssize $per" "${3:-} ${4:-}"

	fig objects
	if [ "$v" != 0 ]; then
		skip_test "the checks of an empty cache" "$v objects are held"
		return
	fi
	# Built in, the KUnit suite has allocated before.
	fig allocated
	a0=$v
	check "echo 1 >shrink, nothing held" write shrink 1
	expect_eq "held nothing and shrunk, the cache has no object" "0 0" \
		"$(active_num $mod)"

	# From an empty cache, one allocation makes a slab (or a few, to
	# fill a per-CPU cache) and the constructor runs on every slot.
	fig constructed
	c0=$v
	check "echo 1 >alloc, the cache empty" write alloc 1
	fig constructed
	d=$((v - c0))
	# shellcheck disable=SC2046 # two numbers
	set -- $(active_num $mod)
	echo "# one allocation: the constructor ran $d times," \
	     "$per objects a slab, $2 objects in the cache"
	if kfence_on; then
		skip_test "the constructor ran for whole slabs" \
			"KFENCE may serve an allocation, constructed alone"
	else
		check "the constructor ran for whole slabs: $d times, for the cache's $2 objects" \
			test "$d" -ge "$per" -a "$d" -eq "$2" -a $((d % per)) -eq 0
	fi

	# Freed and taken again, and 99 more: the constructor runs for
	# the slots of new slabs only, never for an object taken again.
	fig reused
	r0=$v
	check "echo 1 >free" write free 1
	check "echo 1 >alloc, after the free" write alloc 1
	check "echo 99 >alloc" write alloc 99
	expect_eq "100 objects held, 101 allocated" "100 $((a0 + 101))" \
		"$(values "$dir/objects" "$dir/allocated")"
	fig reused
	echo "# freed and taken again: $((v - r0)) reused" \
	     "(none under KASAN, which holds freed objects back)"
	fig constructed
	d=$((v - c0))
	# shellcheck disable=SC2046 # two numbers
	set -- $(active_num $mod)
	if kfence_on; then
		skip_test "the constructor ran once a slot, not once an allocation" \
			"KFENCE may serve an allocation, constructed alone"
	else
		expect_eq "the constructor ran once for each of the cache's $2 slots, \
not for each of 101 allocations" "$2" "$d"
	fi
	check "echo 1 >shrink, 100 held" write shrink 1
	# shellcheck disable=SC2046 # two numbers
	set -- $(active_num $mod)
	expect_eq "shrunk, /proc/slabinfo counts the 100 as active" 100 "$1"
	check "echo 100 >free" write free 100
	check "echo 1 >shrink, all freed" write shrink 1
	expect_eq "all freed and shrunk, the cache has no object" "0 0" \
		"$(active_num $mod)"
	expect_eq "no object came out not as the constructor left it" 0 \
		"$(cat "$dir/errors")"
}

# plain_checks SIZE: the cache without a constructor. It is a symlink
# in /sys/kernel/slab, to a name made of its slot size, exactly when
# the kernel may merge it: merging is on (slab_nomerge not given: some
# cache of the kernel's own is a symlink too) and no debug flag is set
# on it. Merged into another cache, that cache's slots are its size
# rounded up to 8 bytes.
plain_checks() {
	p=$slab/${mod}_plain
	merging=no
	for f in "$slab"/*; do
		if [ -L "$f" ] && [ "$f" != "$p" ]; then
			merging=yes
			break
		fi
	done
	dbg=
	for f in sanity_checks red_zone poison store_user trace failslab; do
		[ ! -r "$p/$f" ] || [ "$(cat "$p/$f")" = 0 ] || dbg="$dbg $f"
	done
	want=directory
	[ "$merging" = no ] || [ -n "$dbg" ] || want=symlink
	got=directory
	[ ! -L "$p" ] || got=symlink
	expect_eq "${mod}_plain is a $want (merging: $merging, debug flags:${dbg:- none})" \
		"$want" "$got"
	[ "$got" = symlink ] || return

	t=$(readlink "$p")
	t=${t##*/}
	read -r ssize <"$p/slab_size"
	case $t in
	:*"$(printf '%07u' "$ssize")")
		ok "${mod}_plain -> $t: a name made of its slot size, $ssize" ;;
	*)
		not_ok "${mod}_plain -> $t: a name made of its slot size, $ssize" ;;
	esac
	read -r aliases <"$p/aliases"
	if [ -n "$(slabinfo "${mod}_plain")" ]; then
		echo "# ${mod}_plain: a cache of its own, $t" \
		     "($ssize-byte slots, $aliases aliases): no cache to merge into"
		return
	fi
	others=
	for f in "$slab"/*; do
		[ ! -L "$f" ] || [ "$f" = "$p" ] ||
			[ "$(readlink "$f")" != "$(readlink "$p")" ] ||
			others="$others ${f##*/}"
	done
	echo "# ${mod}_plain: merged into $t with:$others"
	expect_eq "merged, the cache's slots are $1 bytes rounded up to 8" \
		$((($1 + 7) / 8 * 8)) "$ssize"
	check "merged, it is not in /proc/slabinfo under its own name" \
		test -z "$(slabinfo "${mod}_plain")"
}

# nomem_checks: an allocation that fails part of the way keeps
# nothing. failslab, with its cache filter, fails the fourth allocation
# from this cache alone.
nomem_checks() {
	fs=/sys/kernel/debug/failslab
	cf=$slab/$mod/failslab
	if [ ! -d $fs ] || [ ! -e "$cf" ]; then
		skip_test "an allocation out of memory keeps nothing" \
			"no failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)"
		return
	fi
	for f in probability interval times space verbose ignore-gfp-wait \
		 cache-filter; do
		at_exit "echo $(cat "$fs/$f") >$fs/$f"
	done
	at_exit "[ ! -e $cf ] || echo 0 >$cf"
	read -r osize <"$slab/$mod/object_size"
	before=$(values "$dir/objects" "$dir/allocated")
	echo 1 >"$cf"
	echo Y >$fs/cache-filter
	echo N >$fs/ignore-gfp-wait
	echo 0 >$fs/verbose
	echo 1 >$fs/interval
	echo 1 >$fs/times
	echo $((3 * osize + 1)) >$fs/space
	echo 100 >$fs/probability
	mark
	if echo 10 2>"$ksft_tmp/err" >"$dir/alloc"; then
		not_ok "with failslab, alloc 10 fails"
	else
		check "with failslab, alloc 10 fails with ENOMEM" \
			grep -q "Cannot allocate memory" "$ksft_tmp/err"
	fi
	echo 0 >$fs/probability
	echo 0 >"$cf"
	expect_eq "and keeps nothing: objects and allocated as they were" \
		"$before" "$(values "$dir/objects" "$dir/allocated")"
	check "the log says it freed the 3 it took" \
		log_has "$mod: alloc: out of memory after 3 of 10 objects, freed them"
	check "without failslab, echo 10 >alloc" write alloc 10
	check "echo 10 >free" write free 10
}

# bad_input_checks MAX: what the files and parameters refuse.
bad_input_checks() {
	max=$1
	perms=$(cd "$dir" && stat -c %a alloc free shrink objects allocated \
		reused constructed errors)
	expect_eq "alloc, free and shrink are 0200, the figures 0444" \
		"200 200 200 444 444 444 444 444" \
		"$(echo "$perms" | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "the parameters are 0444" "444 444" \
		"$(stat -c %a "$par/max_objects" "$par/plain_size" | tr '\n' ' ' | sed 's/ $//')"
	check "writing max_objects is refused" \
		sh -c "exec 2>/dev/null; ! echo 5 >$par/max_objects"
	check "reading alloc is refused" sh -c "! cat $dir/alloc 2>/dev/null"
	check "echo 2 >alloc" write alloc 2
	for b in 0 -1 abc "1 2" ""; do
		refused alloc "$b" "Invalid argument"
	done
	refused alloc $((max - 1)) "Invalid argument"
	check "alloc $((max - 1)): the log says how many fit" \
		log_has "$mod: alloc: $((max - 1)) is not a number from 1 to $((max - 2))\
 (2 objects held, max_objects=$max)"
	# 3 last: the log is read from the last refusal's mark.
	for b in 0 abc 3; do
		refused free "$b" "Invalid argument"
	done
	check "free 3: the log says 2 are held" \
		log_has "$mod: free: 3 is not a number from 1 to 2 (the objects held)"
	for b in 0 2 yes; do
		refused shrink "$b" "Invalid argument"
	done
	check "echo 2 >free" write free 2
}

require_root
if ! is_available $mod; then
	echo "1..0 # SKIP $mod is neither built in nor loadable"
	exit "$ksft_skip"
fi
if [ ! -r /proc/slabinfo ] || [ ! -d $slab ]; then
	echo "1..0 # SKIP no /proc/slabinfo or $slab (SLUB with SLUB_DEBUG and SYSFS)"
	exit "$ksft_skip"
fi

if is_builtin $mod; then
	given=$(given_values $mod)
	case $given in
	"") m=1000 p=64 ;;
	"$GOOD") m=5000 p=40 ;;
	"$BAD")
		m=1000 p=64
		check "boot: the log says max_objects=0 was refused" \
			klog_has "$mod: max_objects: '0' is not a number from 1 to 100000"
		check "boot: the log says plain_size=300 was refused" \
			klog_has "$mod: plain_size: '300' is not a number from 8 to 256"
		;;
	*)
		skip_given "built in: the parameters from the command line" \
			$mod "$given"
		m=$(param max_objects)
		p=$(param plain_size)
		;;
	esac
	expect_eq "built in: max_objects and plain_size" "$m $p" \
		"$(param max_objects) $(param plain_size)"
	check "built in: init said so at boot" \
		klog_has "$mod: ready: .* ${mod}_plain of $p-byte objects without, max_objects=$m"
	object_checks
	plain_checks "$p"
	bad_input_checks "$m"
	nomem_checks
	finish
fi

[ -d /sys/module/$mod ] && rmmod $mod
mark
check "modprobe $mod" modprobe $mod
check "init said plain_size 64 and max_objects 1000" \
	log_has "$mod: ready: .* ${mod}_plain of 64-byte objects without, max_objects=1000"
expect_eq "nothing held, nothing allocated yet" "0 0" \
	"$(values "$dir/objects" "$dir/allocated")"
object_checks
plain_checks 64
bad_input_checks 1000
nomem_checks
check "echo 5 >alloc, held at rmmod" write alloc 5
mark
check "rmmod $mod" rmmod $mod
check "exit said it freed the 5" log_has "$mod: unloaded: freed 5 objects"
check "after rmmod, $dir is gone" test ! -e $dir
check "after rmmod, $mod is not in /proc/slabinfo" test -z "$(slabinfo $mod)"
check "after rmmod, $slab/$mod is gone" test ! -e $slab/$mod
if [ -L $slab/${mod}_plain ]; then
	echo "# after rmmod, ${mod}_plain is still a symlink to" \
	     "$(readlink $slab/${mod}_plain): the cache it merged into stays," \
	     "and so does the link"
else
	echo "# after rmmod, ${mod}_plain is gone from $slab"
fi

phase "max_objects=5 plain_size=40"
check "modprobe $mod max_objects=5 plain_size=40" \
	modprobe $mod max_objects=5 plain_size=40
bad_input_checks 5
plain_checks 40
check "rmmod $mod" rmmod $mod
phase

for bad in "max_objects=0" "max_objects=100001" "max_objects=abc" \
	   "plain_size=7" "plain_size=257"; do
	refused_load $mod "$bad" "$mod: ${bad%%=*}: '${bad#*=}' is not a number from"
done

# Loads and unloads, each with objects held at rmmod, which the module
# frees before it destroys the cache; the slab code would report any
# object left. The debug kernel (kmemleak's file is there) does 100,
# others 5: each unload waits for RCU grace periods
# (kmem_cache_destroy()), some 3 s a round in a guest under TCG. One
# load_rounds process does them all.
rounds=5
[ ! -e /sys/kernel/debug/kmemleak ] || rounds=100
# A failed round may leave the module loaded: unloaded at exit, so
# that the next test does not find it.
at_exit "rmmod $mod 2>/dev/null"
failed=$(i=0
	while [ $i -lt $rounds ]; do
		i=$((i + 1))
		echo load
		echo "write $dir/alloc 50"
		echo unload
	done | load_rounds $mod)
check "$rounds rounds of load, 50 objects and unload${failed:+: $failed}" \
	test -z "$failed"
check "after them, $mod is not in /proc/slabinfo" test -z "$(slabinfo $mod)"
finish
