/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lkmdemo_multifile: what main.c and greet.c share
 *
 * Only what is declared here crosses from one file to the other; all
 * else in each file is static. Both files end up in one module, so these
 * symbols need no EXPORT_SYMBOL: the linker joins them before the module
 * loader ever sees the module.
 */
#ifndef _LKMDEMO_MULTIFILE_H
#define _LKMDEMO_MULTIFILE_H

/* The "repeat" parameter, defined in main.c and read in greet.c. */
extern unsigned int lkmdemo_multifile_repeat;

void lkmdemo_multifile_greet(const char *who);

#endif /* _LKMDEMO_MULTIFILE_H */
