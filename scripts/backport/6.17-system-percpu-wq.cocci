// SPDX-License-Identifier: GPL-2.0
// Linux 6.17 named the system workqueues by what they are:
// system_percpu_wq for the per-CPU one that schedule_work() uses (until
// then system_wq, now on its way out) and system_dfl_wq for the unbound
// one. Older kernels have system_wq.
//
// Release: 6.17
// Upstream: "workqueue: Add system_percpu_wq and system_dfl_wq"
// Kernels before it get: system_wq
// (6.12.117 has system_percpu_wq from a stable update, a second per-CPU
// workqueue beside system_wq; the rule still applies there, and
// system_wq is of the same kind)

@@
symbol system_percpu_wq, system_wq;
@@
- system_percpu_wq
+ system_wq
