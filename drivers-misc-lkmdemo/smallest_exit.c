// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_smallest_exit: a module with an exit and no init
 *
 * Loading it runs nothing: with no init the module goes live at once.
 * Its exit runs at rmmod, which the kernel allows because there is no
 * init whose work could be left behind. The exit calls the function of
 * lkmdemo_smallest_library, so modprobe loads that module first and it
 * cannot be unloaded while this one uses it.
 *
 * Built in, the exit is never run, and the kernel discards its code
 * after boot with the rest of the built-in exit sections.
 *
 * Try it:
 *
 *   modprobe lkmdemo_smallest_exit	(nothing in the log)
 *   rmmod lkmdemo_smallest_exit	(the exit's line)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "smallest.h"

static void __exit smallest_exit(void)
{
	pr_info("exit without init: INT_MAX + 1 = %d (saturated)\n",
		lkmdemo_smallest_add(INT_MAX, 1));
}
module_exit(smallest_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_DESCRIPTION("A module with an exit and no init");
MODULE_VERSION("1.0");
