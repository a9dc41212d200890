// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_hello: the anatomy of a kernel module
 *
 * A module is an init function, which the kernel calls when the module is
 * loaded, and an exit function, which it calls before the module is
 * unloaded. Built into the kernel, the init function runs during boot and
 * the exit function is never called at all.
 *
 * Try it:
 *
 *   modprobe lkmdemo_hello; rmmod lkmdemo_hello; dmesg | tail -n 2
 *   modinfo lkmdemo_hello
 *
 * or, built in, look for its line in the boot log:
 *
 *   dmesg | grep lkmdemo_hello
 */

/* Every message of this file starts with "lkmdemo_hello: ". */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kconfig.h>
#include <linux/module.h>
#include <linux/printk.h>

/*
 * __init places the function in a section that the kernel frees once
 * initialisation is over, so it must not be called afterwards.
 */
static int __init hello_init(void)
{
	pr_info("hello, world (init, %s)\n",
		IS_MODULE(CONFIG_LKMDEMO_HELLO) ? "loaded as a module" :
						  "built into the kernel");
	pr_debug("pr_debug() is compiled out unless DEBUG or dynamic debug is on\n");
	return 0;
}
module_init(hello_init);

/*
 * __exit code is left out of a built-in kernel: what is never unloaded
 * never needs it.
 */
static void __exit hello_exit(void)
{
	pr_info("goodbye, world (exit)\n");
}
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_DESCRIPTION("Hello world: the anatomy of a kernel module");
MODULE_VERSION("1.0");
