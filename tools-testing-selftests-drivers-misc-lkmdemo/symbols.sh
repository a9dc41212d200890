#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lkmdemo_symbols_provider and lkmdemo_symbols_consumer: exported
# symbols, module dependencies and unloading while in use.

# shellcheck source=lkmdemo_lib.sh
. "$(dirname "$0")/lkmdemo_lib.sh"

provider=lkmdemo_symbols_provider
consumer=lkmdemo_symbols_consumer

require_root
if ! is_available $provider || ! is_available $consumer; then
	echo "1..0 # SKIP $provider or $consumer is neither built in nor loadable"
	exit "$ksft_skip"
fi

# line_of PATTERN: the number of the first log line matching PATTERN.
line_of() {
	klog | grep -n -- "$1" | head -n 1 | cut -d: -f1
}

if is_builtin $consumer; then
	check "built in: the consumer called the provider" \
		klog_has "$consumer: lkmdemo_symbols_add(2, 3) = 5, call 1 of the provider"
	p=$(line_of "$provider: provider ready")
	c=$(line_of "$consumer: lkmdemo_symbols_add")
	check "built in: the provider's init ran before the consumer's" \
		test -n "$p" -a -n "$c" -a "${p:-0}" -lt "${c:-0}"
	finish
fi

# A built-in provider and a loadable consumer: the symbols are the
# kernel's own, so no module depends on, holds or refuses another.
if is_builtin $provider; then
	[ -d /sys/module/$consumer ] && rmmod $consumer
	expect_eq "modinfo: the consumer depends on no module (the provider is built in)" "" \
		"$(modinfo -F depends $consumer)"
	expect_eq "modinfo: the consumer imports LKMDEMO_SYMBOLS" LKMDEMO_SYMBOLS \
		"$(modinfo -F import_ns $consumer)"
	mark
	check "modprobe $consumer" modprobe $consumer
	check "the consumer called the built-in provider" \
		log_has "$consumer: lkmdemo_symbols_add(2, 3) = 5, call [0-9]* of the provider"
	for what in "insmod of the consumer alone fails" \
		    "the provider's refcnt counts the consumer" \
		    "rmmod of the provider is refused while the consumer is loaded"; do
		skip_test "$what" "$provider is built in"
	done
	check "rmmod $consumer" rmmod $consumer
	finish
fi

for m in $consumer $provider; do
	[ -d "/sys/module/$m" ] && rmmod "$m"
done
check "neither module is loaded" test ! -d /sys/module/$provider

ko=$(modinfo -F filename $consumer)
mark
if insmod "$ko" 2>"$ksft_tmp/insmod.err"; then
	not_ok "insmod of the consumer alone fails"
	rmmod $consumer
else
	check "insmod of the consumer alone fails: Unknown symbol" \
		log_has "$consumer: Unknown symbol lkmdemo_symbols_add"
fi

expect_eq "modinfo: the consumer depends on the provider" $provider \
	"$(modinfo -F depends $consumer)"
expect_eq "modinfo: the consumer imports LKMDEMO_SYMBOLS" LKMDEMO_SYMBOLS \
	"$(modinfo -F import_ns $consumer)"

mark
check "modprobe $consumer" modprobe $consumer
check "modprobe loaded the provider first" test -d /sys/module/$provider
check "the consumer called the provider" \
	log_has "$consumer: lkmdemo_symbols_add(2, 3) = 5, call 1 of the provider"
expect_eq "the provider's refcnt counts the consumer" 1 \
	"$(cat /sys/module/$provider/refcnt)"
check "the provider lists the consumer as a holder" \
	test -e /sys/module/$provider/holders/$consumer

if rmmod $provider 2>"$ksft_tmp/rmmod.err"; then
	not_ok "rmmod of the provider is refused while the consumer is loaded"
else
	check "rmmod of the provider is refused: in use" \
		grep -q "in use" "$ksft_tmp/rmmod.err"
	check "the provider is still loaded" test -d /sys/module/$provider
fi

check "rmmod $consumer" rmmod $consumer
expect_eq "the provider's refcnt is back to 0" 0 \
	"$(cat /sys/module/$provider/refcnt)"
check "rmmod $provider now succeeds" rmmod $provider
finish
