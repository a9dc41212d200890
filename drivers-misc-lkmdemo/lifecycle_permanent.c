// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_lifecycle_permanent: a module that can never be unloaded
 *
 * It has an init function and no exit function. The kernel cannot know
 * how to undo what such an init did, so it refuses to unload the module:
 * delete_module() fails with EBUSY (unless the kernel was built with
 * CONFIG_MODULE_FORCE_UNLOAD and rmmod is forced, which is never safe).
 * /proc/modules marks it "[permanent]" in the column of the modules that
 * use it.
 *
 * Try it:
 *
 *   modprobe lkmdemo_lifecycle_permanent
 *   grep lkmdemo_lifecycle_permanent /proc/modules
 *   rmmod lkmdemo_lifecycle_permanent	(fails: Device or resource busy)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init lifecycle_permanent_init(void)
{
	pr_info("loaded; there is no exit function, so it stays until reboot\n");
	return 0;
}
module_init(lifecycle_permanent_init);

/* No module_exit(): that is what makes this module permanent. */

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_DESCRIPTION("A module with an init and no exit, which cannot be unloaded");
MODULE_VERSION("1.0");
