/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lkmdemo_autoload and lkmdemo_autoload_target agree on: the alias
 * the first one asks for and the second one answers to.
 */
#ifndef _LKMDEMO_AUTOLOAD_H
#define _LKMDEMO_AUTOLOAD_H

#define LKMDEMO_AUTOLOAD_ALIAS	"lkmdemo-greeter"

#endif /* _LKMDEMO_AUTOLOAD_H */
