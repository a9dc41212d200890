// SPDX-License-Identifier: GPL-2.0
// Linux 7.0 added the typed allocation macros kmalloc_obj(), kzalloc_obj()
// and their family: kzalloc_obj(*p) allocates sizeof(*p) bytes, zeroed,
// with GFP_KERNEL unless flags follow; kmalloc_obj() the same, not
// zeroed. Older kernels spell it out.
//
// Release: 7.0
// Upstream: "slab: Introduce kmalloc_obj() and family"
// Kernels before it get: kzalloc(sizeof(*p), GFP_KERNEL), and
// kmalloc(sizeof(*p), GFP_KERNEL)
// (6.12.117 has the macros from a stable update; the rule still applies
// there, and the spelled-out call builds the same)

@@
expression E, G;
@@
(
- kzalloc_obj(E, G)
+ kzalloc(sizeof(E), G)
|
- kzalloc_obj(E)
+ kzalloc(sizeof(E), GFP_KERNEL)
|
- kmalloc_obj(E, G)
+ kmalloc(sizeof(E), G)
|
- kmalloc_obj(E)
+ kmalloc(sizeof(E), GFP_KERNEL)
)
