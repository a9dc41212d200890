// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_smallest_library: a module with neither init nor exit
 *
 * All it has is a function for other modules to call. Loading it runs
 * no code of its own: the kernel places it in memory, resolves its
 * relocations, adds its exported symbol to those other modules can link
 * against, and marks it live. Unloading it runs no code either, and the
 * kernel allows it: without an init there is nothing an exit would have
 * to undo. Only a module that has an init and no exit is refused (see
 * lkmdemo_lifecycle_permanent).
 *
 * Try it:
 *
 *   modprobe lkmdemo_smallest_library
 *   grep lkmdemo_smallest_library /proc/modules /proc/kallsyms
 *   rmmod lkmdemo_smallest_library
 */

#include <linux/export.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/overflow.h>

#include "smallest.h"

/**
 * lkmdemo_smallest_add() - add two ints without overflowing
 * @a: the first term
 * @b: the second term
 *
 * Return: @a + @b, or INT_MAX or INT_MIN when the sum does not fit in
 * an int.
 */
int lkmdemo_smallest_add(int a, int b)
{
	int sum;

	if (check_add_overflow(a, b, &sum))
		return a > 0 ? INT_MAX : INT_MIN;
	return sum;
}
EXPORT_SYMBOL_GPL(lkmdemo_smallest_add);

/* No module_init() and no module_exit(). */

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_DESCRIPTION("A module with neither init nor exit: a library of one function");
MODULE_VERSION("1.0");
