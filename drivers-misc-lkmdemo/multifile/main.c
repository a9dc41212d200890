// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_multifile: one module built from several source files
 *
 * The Makefile line "lkmdemo_multifile-y := multifile/main.o
 * multifile/greet.o" links both objects into lkmdemo_multifile.ko (or into
 * the kernel when built in). This file holds the module's entry points and
 * its parameter; greet.c does the greeting, reading the parameter through
 * the private header multifile.h.
 *
 * Try it:
 *
 *   modprobe lkmdemo_multifile repeat=3; dmesg | tail -n 4
 *   modinfo -F filename lkmdemo_multifile	(one .ko for both files)
 *
 * or boot with lkmdemo_multifile.repeat=3 when it is built in.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#include "multifile.h"

#define REPEAT_MIN	1
#define REPEAT_MAX	5

/* Not static: greet.c reads it (see multifile.h). */
unsigned int lkmdemo_multifile_repeat = 2;

/* The kernel's own range check; it refuses anything else with EINVAL. */
static int repeat_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, REPEAT_MIN, REPEAT_MAX);
}

static const struct kernel_param_ops repeat_ops = {
	.set = repeat_set,
	.get = param_get_uint,
};

module_param_cb(repeat, &repeat_ops, &lkmdemo_multifile_repeat, 0444);
MODULE_PARM_DESC(repeat, "How many times greet.c greets, 1 to 5 (default: 2)");

static int __init multifile_init(void)
{
	pr_info("main.c: init, repeat=%u\n", lkmdemo_multifile_repeat);
	lkmdemo_multifile_greet("world");
	return 0;
}
module_init(multifile_init);

static void __exit multifile_exit(void)
{
	pr_info("main.c: exit\n");
}
module_exit(multifile_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_DESCRIPTION("One module built from several source files");
MODULE_VERSION("1.0");
