// SPDX-License-Identifier: GPL-2.0
// Linux 6.12 gave kmem_cache_create() a form with its less common
// arguments in a struct kmem_cache_args (the constructor among them)
// and NULL for none: kmem_cache_create(name, size, &args, flags). Older
// kernels have only the form with an alignment and a constructor:
// kmem_cache_create(name, size, align, flags, ctor).
//
// Release: 6.12
// Upstream: "slab: create kmem_cache_create() compatibility layer"
// Kernels before it get: kmem_cache_create(name, size, 0, flags, ctor),
// the struct kmem_cache_args (a constructor only) gone

@@
identifier args, fn;
expression N, S, F;
@@
- struct kmem_cache_args args = {
-	.ctor = fn,
- };
  ...
- kmem_cache_create(N, S, &args, F)
+ kmem_cache_create(N, S, 0, F, fn)

@@
expression N, S, F;
@@
- kmem_cache_create(N, S, NULL, F)
+ kmem_cache_create(N, S, 0, F, NULL)
