// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_symbols_consumer: a module that uses another module's symbols
 *
 * Calling lkmdemo_symbols_add() leaves an undefined symbol in this
 * module; depmod finds the module that exports it and writes the
 * dependency into modules.dep, so modprobe loads lkmdemo_symbols_provider
 * first. insmod, which reads no modules.dep, fails with "Unknown symbol"
 * when the provider is not loaded. Built in, the Makefile lists the
 * provider first, so its init runs first.
 *
 * Try it:
 *
 *   modprobe lkmdemo_symbols_consumer; lsmod
 *   modinfo -F depends lkmdemo_symbols_consumer
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "symbols.h"

static int __init symbols_consumer_init(void)
{
	int sum = lkmdemo_symbols_add(2, 3);

	pr_info("lkmdemo_symbols_add(2, 3) = %d, call %u of the provider\n",
		sum, lkmdemo_symbols_calls());
	return 0;
}
module_init(symbols_consumer_init);

static void __exit symbols_consumer_exit(void)
{
	pr_info("consumer unloaded\n");
}
module_exit(symbols_consumer_exit);

MODULE_IMPORT_NS("LKMDEMO_SYMBOLS");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_DESCRIPTION("Calls the symbols lkmdemo_symbols_provider exports");
MODULE_VERSION("1.0");
