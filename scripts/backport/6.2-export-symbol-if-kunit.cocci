// SPDX-License-Identifier: GPL-2.0
// Linux 6.2 added <kunit/visibility.h> with EXPORT_SYMBOL_IF_KUNIT(): a
// symbol exported only when KUnit is on, in the namespace
// EXPORTED_FOR_KUNIT_TESTING. Older kernels lack the header; the symbol
// is exported in that namespace always, which its test imports the same.
//
// Release: 6.2
// Upstream: "kunit: add macro to allow conditionally exposing static symbols to tests"
// Kernels before it get: EXPORT_SYMBOL_NS(sym, EXPORTED_FOR_KUNIT_TESTING)
// (rules are applied newest release first, so the namespace is already
// a bare name here)

@@
identifier sym;
declarer name EXPORT_SYMBOL_IF_KUNIT, EXPORT_SYMBOL_NS;
@@
- EXPORT_SYMBOL_IF_KUNIT(sym);
+ EXPORT_SYMBOL_NS(sym, EXPORTED_FOR_KUNIT_TESTING);

@@
@@
- #include <kunit/visibility.h>
