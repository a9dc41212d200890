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
#include <linux/module.h>
#include <linux/printk.h>

/*
 * Kbuild defines MODULE when it compiles a file into a module, in the
 * tree or out of it (Documentation/misc-devices/lkmdemo/loading.rst
 * builds this file as lkmdemo_outoftree). IS_MODULE(CONFIG_LKMDEMO_HELLO)
 * would say how the kernel was configured, not how this object is used.
 */
#ifdef MODULE
#define HELLO_HOW "loaded as a module"
#else
#define HELLO_HOW "built into the kernel"
#endif

/*
 * __init places the function in a section that the kernel frees once
 * initialisation is over, so it must not be called afterwards.
 */
static int __init hello_init(void)
{
	pr_info("hello, world (init, " HELLO_HOW ")\n");
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
