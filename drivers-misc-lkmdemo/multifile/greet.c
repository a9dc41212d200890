// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_multifile: the second source file of the module
 *
 * pr_fmt must be defined in every file that prints: KBUILD_MODNAME is the
 * module's name here too, not the file's.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/printk.h>

#include "multifile.h"

/* static: invisible outside this file, even to main.c. */
static const char *greeting(unsigned int i)
{
	return i ? "hello again" : "hello";
}

void lkmdemo_multifile_greet(const char *who)
{
	unsigned int i;

	for (i = 0; i < lkmdemo_multifile_repeat; i++)
		pr_info("greet.c: %s, %s (%u of %u)\n", greeting(i), who,
			i + 1, lkmdemo_multifile_repeat);
}
