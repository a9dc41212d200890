/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lkmdemo_slab: what the module shares with its KUnit tests
 */
#ifndef _LKMDEMO_SLAB_H
#define _LKMDEMO_SLAB_H

#define LKMDEMO_SLAB_MAX_OBJECTS_MAX	100000
#define LKMDEMO_SLAB_PLAIN_SIZE_MIN	8
#define LKMDEMO_SLAB_PLAIN_SIZE_MAX	256

/* What the files in /sys/kernel/lkmdemo_slab/ show, read together. */
struct lkmdemo_slab_figures {
	unsigned long objects;		/* held now */
	unsigned long allocated;	/* allocations since load */
	unsigned long reused;		/* of them, objects handed out before */
	unsigned long constructed;	/* times the constructor ran */
	unsigned long errors;		/* objects not as the constructor left them */
	unsigned long max_objects;	/* the parameter */
};

int lkmdemo_slab_alloc(unsigned int n);
int lkmdemo_slab_free(unsigned int n);
void lkmdemo_slab_shrink(void);
int lkmdemo_slab_get_figures(struct lkmdemo_slab_figures *fig);

#endif /* _LKMDEMO_SLAB_H */
