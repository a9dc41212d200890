// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_autoload_target: the module lkmdemo_autoload loads on demand
 *
 * MODULE_ALIAS() adds an "alias=" line to the module's .modinfo; depmod
 * collects those lines into modules.alias, so "modprobe lkmdemo-greeter"
 * loads this module although no module has that name. The kernel uses the
 * same mechanism to load drivers by device ID, filesystem type
 * ("fs-ext4") or character device number.
 *
 * Try it:
 *
 *   modinfo -F alias lkmdemo_autoload_target
 *   modprobe lkmdemo-greeter; lsmod
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "autoload.h"

static int __init autoload_target_init(void)
{
	pr_info("loaded, answering to the alias %s\n", LKMDEMO_AUTOLOAD_ALIAS);
	return 0;
}
module_init(autoload_target_init);

static void __exit autoload_target_exit(void)
{
	pr_info("unloaded\n");
}
module_exit(autoload_target_exit);

MODULE_ALIAS(LKMDEMO_AUTOLOAD_ALIAS);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_DESCRIPTION("Loaded on demand through the alias lkmdemo-greeter");
MODULE_VERSION("1.0");
