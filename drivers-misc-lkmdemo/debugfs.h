/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lkmdemo_debugfs: what the module shares with its KUnit tests
 */
#ifndef _LKMDEMO_DEBUGFS_H
#define _LKMDEMO_DEBUGFS_H

#define LKMDEMO_DEBUGFS_WINDOW_MAX	1000
/* The longest text "window" takes is one byte less: "1000 1000\n" fits. */
#define LKMDEMO_DEBUGFS_WINDOW_TEXT	32

int lkmdemo_debugfs_parse_window(const char *line, unsigned int *low,
				 unsigned int *high);

#endif /* _LKMDEMO_DEBUGFS_H */
