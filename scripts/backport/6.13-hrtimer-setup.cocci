// SPDX-License-Identifier: GPL-2.0
// Linux 6.13 added hrtimer_setup(), which initializes an hrtimer and
// sets its callback in one call, to replace hrtimer_init() followed by
// an assignment to ->function. Older kernels have only the two steps.
//
// Release: 6.13
// Upstream: "hrtimers: Introduce hrtimer_setup() to replace hrtimer_init()"
// Kernels before it get: hrtimer_init(), then ->function set

@@
expression E, F, C, M;
@@
(
- hrtimer_setup(&E, F, C, M);
+ hrtimer_init(&E, C, M);
+ E.function = F;
|
- hrtimer_setup(E, F, C, M);
+ hrtimer_init(E, C, M);
+ E->function = F;
)
