// SPDX-License-Identifier: GPL-2.0
// Linux 6.13 turned the namespace argument of EXPORT_SYMBOL_NS(),
// EXPORT_SYMBOL_NS_GPL() and MODULE_IMPORT_NS() into a string literal;
// older kernels take a bare name and stringify it themselves.
//
// Release: 6.13
// Upstream: "module: Convert symbol namespace to string literal"
// Kernels before it get: EXPORT_SYMBOL_NS_GPL(sym, NS), MODULE_IMPORT_NS(NS)

@export@
identifier sym;
constant char[] ns;
declarer name EXPORT_SYMBOL_NS, EXPORT_SYMBOL_NS_GPL;
@@
(
EXPORT_SYMBOL_NS(sym, ns);
|
EXPORT_SYMBOL_NS_GPL(sym, ns);
)

@script:python export_name@
ns << export.ns;
nsid;
@@
coccinelle.nsid = cocci.make_ident(ns.strip('"'))

@@
identifier export.sym;
constant char[] export.ns;
identifier export_name.nsid;
@@
(
- EXPORT_SYMBOL_NS(sym, ns);
+ EXPORT_SYMBOL_NS(sym, nsid);
|
- EXPORT_SYMBOL_NS_GPL(sym, ns);
+ EXPORT_SYMBOL_NS_GPL(sym, nsid);
)

@import@
constant char[] ns;
declarer name MODULE_IMPORT_NS;
@@
MODULE_IMPORT_NS(ns);

@script:python import_name@
ns << import.ns;
nsid;
@@
coccinelle.nsid = cocci.make_ident(ns.strip('"'))

@@
constant char[] import.ns;
identifier import_name.nsid;
@@
- MODULE_IMPORT_NS(ns);
+ MODULE_IMPORT_NS(nsid);
