// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_autoload: loading another module on demand
 *
 * request_module("lkmdemo-greeter") asks the kernel to run its module
 * helper, the program named in /proc/sys/kernel/modprobe (usually
 * /sbin/modprobe), as "modprobe -q -- lkmdemo-greeter", and waits for it.
 * No module has that name: lkmdemo_autoload_target declares it with
 * MODULE_ALIAS(), depmod writes it into modules.alias, and modprobe
 * loads the module the alias points to.
 *
 * request_module() returns 0 when modprobe succeeded, a negative error
 * when the helper could not run (-ENOENT when
 * /proc/sys/kernel/modprobe is empty), and modprobe's wait status (256
 * for exit status 1) when modprobe failed. This module reports which, and
 * loads either way: the other module is something it can do without.
 *
 * When lkmdemo_autoload_target is built into the kernel, it is there
 * already and there is nothing to load.
 *
 * Try it:
 *
 *   modprobe lkmdemo_autoload; lsmod; dmesg | tail -n 3
 *   modprobe -R lkmdemo-greeter	(the module the alias resolves to)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "autoload.h"

static int __init autoload_init(void)
{
	int ret;

	if (IS_BUILTIN(CONFIG_LKMDEMO_AUTOLOAD_TARGET)) {
		pr_info("%s is built into the kernel: request_module() is not needed\n",
			LKMDEMO_AUTOLOAD_ALIAS);
		return 0;
	}

	ret = request_module(LKMDEMO_AUTOLOAD_ALIAS);
	if (ret)
		pr_notice("request_module(\"%s\") returned %d: not loaded, going on without it\n",
			  LKMDEMO_AUTOLOAD_ALIAS, ret);
	else
		pr_info("request_module(\"%s\") returned 0: modprobe loaded it\n",
			LKMDEMO_AUTOLOAD_ALIAS);
	return 0;
}
module_init(autoload_init);

static void __exit autoload_exit(void)
{
	pr_info("unloaded\n");
}
module_exit(autoload_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_DESCRIPTION("Loads another module on demand with request_module()");
MODULE_VERSION("1.0");
