// SPDX-License-Identifier: GPL-2.0
// Linux 6.16 renamed from_timer(), the container_of() of a timer
// callback's struct timer_list, to timer_container_of(): the same
// arguments, a name that says what it does. Older kernels have only
// from_timer().
//
// Release: 6.16
// Upstream: "treewide, timers: Rename from_timer() to timer_container_of()"
// Kernels before it get: from_timer()

@@
expression V, T;
identifier F;
@@
- timer_container_of(V, T, F)
+ from_timer(V, T, F)
