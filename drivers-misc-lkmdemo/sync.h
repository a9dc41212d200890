/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lkmdemo_sync: what the module shares with its KUnit tests
 */
#ifndef _LKMDEMO_SYNC_H
#define _LKMDEMO_SYNC_H

#define LKMDEMO_SYNC_THREADS_MIN	2
#define LKMDEMO_SYNC_THREADS_MAX	8
#define LKMDEMO_SYNC_LOOPS_MAX		100000

/* What a round found: what it should count, and what it counted. */
struct lkmdemo_sync_figures {
	unsigned long expected;
	unsigned long counted;
	unsigned long errors;		/* what the threads found wrong */
	unsigned long contended;	/* times a thread found the lock taken */
};

int lkmdemo_sync_round(const char *mode, unsigned int threads,
		       unsigned int loops, struct lkmdemo_sync_figures *fig);

#endif /* _LKMDEMO_SYNC_H */
