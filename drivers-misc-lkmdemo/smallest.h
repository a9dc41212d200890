/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lkmdemo_smallest_library exports.
 */
#ifndef _LKMDEMO_SMALLEST_H
#define _LKMDEMO_SMALLEST_H

int lkmdemo_smallest_add(int a, int b);

#endif /* _LKMDEMO_SMALLEST_H */
