/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lkmdemo_static_key: what the module shares with its KUnit tests
 */
#ifndef _LKMDEMO_STATIC_KEY_H
#define _LKMDEMO_STATIC_KEY_H

#include <linux/types.h>

/* The most runs one write to "run" asks for. */
#define LKMDEMO_STATIC_KEY_RUN_MAX	100000

/* The most branch sites "code" shows, and the bytes read at each. */
#define LKMDEMO_STATIC_KEY_SITES_MAX	4
#define LKMDEMO_STATIC_KEY_INSN_MAX	8

/* What the module counted since it was loaded (built in: since boot). */
struct lkmdemo_static_key_counts {
	unsigned long off;	/* runs that took the side of a key off */
	unsigned long on;	/* runs that took the side of a key on */
	unsigned long switches;	/* times the key changed */
	bool enabled;		/* whether the key is on */
};

/* One place in the code where the kernel patches for the key. */
struct lkmdemo_static_key_site {
	unsigned long offset;	/* from lkmdemo_static_key_branch() */
	unsigned int size;	/* bytes the kernel rewrites */
	u8 insn[LKMDEMO_STATIC_KEY_INSN_MAX];
	bool jump;		/* a jump (true) or a nop (false) */
};

bool lkmdemo_static_key_branch(void);
int lkmdemo_static_key_set(const char *val);
int lkmdemo_static_key_run(const char *count);
void lkmdemo_static_key_counts(struct lkmdemo_static_key_counts *c);
int lkmdemo_static_key_sites(struct lkmdemo_static_key_site *sites,
			     unsigned int max);

#endif /* _LKMDEMO_STATIC_KEY_H */
