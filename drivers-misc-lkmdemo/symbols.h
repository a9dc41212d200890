/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lkmdemo_symbols: the API lkmdemo_symbols_provider exports
 */
#ifndef _LKMDEMO_SYMBOLS_H
#define _LKMDEMO_SYMBOLS_H

int lkmdemo_symbols_add(int a, int b);		/* EXPORT_SYMBOL_GPL */
unsigned int lkmdemo_symbols_calls(void);	/* namespace LKMDEMO_SYMBOLS */

#endif /* _LKMDEMO_SYMBOLS_H */
