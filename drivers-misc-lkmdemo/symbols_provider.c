// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_symbols_provider: a module that exports symbols
 *
 * A module can only call into another module (or the kernel) through
 * exported symbols. This one exports lkmdemo_symbols_add() to any GPL
 * module, and lkmdemo_symbols_calls() only to modules that import the
 * LKMDEMO_SYMBOLS namespace. depmod records which modules use them, so
 * that modprobe loads this module before any of its users, and the
 * kernel refuses to unload it while a user is loaded.
 *
 * Try it:
 *
 *   modprobe lkmdemo_symbols_consumer	(loads this module first)
 *   cat /sys/module/lkmdemo_symbols_provider/refcnt
 *   rmmod lkmdemo_symbols_provider	(refused: in use)
 *   grep lkmdemo_symbols /proc/kallsyms
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "symbols.h"

/* How often lkmdemo_symbols_add() ran; callers may run at the same time. */
static atomic_t nr_calls = ATOMIC_INIT(0);

/**
 * lkmdemo_symbols_add() - add two numbers, counting the call
 * @a: first number
 * @b: second number
 *
 * Return: @a + @b.
 */
int lkmdemo_symbols_add(int a, int b)
{
	atomic_inc(&nr_calls);
	return a + b;
}
EXPORT_SYMBOL_GPL(lkmdemo_symbols_add);

/**
 * lkmdemo_symbols_calls() - how many times lkmdemo_symbols_add() ran
 *
 * Exported in the LKMDEMO_SYMBOLS namespace: a module that calls it
 * without importing that namespace (MODULE_IMPORT_NS()) does not load.
 *
 * Return: the number of calls since this module was loaded or booted.
 */
unsigned int lkmdemo_symbols_calls(void)
{
	return atomic_read(&nr_calls);
}
EXPORT_SYMBOL_NS_GPL(lkmdemo_symbols_calls, "LKMDEMO_SYMBOLS");

static int __init symbols_provider_init(void)
{
	pr_info("provider ready: lkmdemo_symbols_add, lkmdemo_symbols_calls\n");
	return 0;
}
module_init(symbols_provider_init);

static void __exit symbols_provider_exit(void)
{
	pr_info("provider unloaded after %u calls\n", atomic_read(&nr_calls));
}
module_exit(symbols_provider_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_DESCRIPTION("Exports symbols for lkmdemo_symbols_consumer");
MODULE_VERSION("1.0");
