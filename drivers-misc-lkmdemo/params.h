/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lkmdemo_params: what the module shares with its KUnit tests
 */
#ifndef _LKMDEMO_PARAMS_H
#define _LKMDEMO_PARAMS_H

#define LKMDEMO_PARAMS_RATIO_MIN	1
#define LKMDEMO_PARAMS_RATIO_MAX	100

int lkmdemo_params_parse_ratio(const char *val, unsigned int *ratio);

#endif /* _LKMDEMO_PARAMS_H */
