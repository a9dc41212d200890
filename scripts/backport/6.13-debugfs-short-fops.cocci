// SPDX-License-Identifier: GPL-2.0
// Linux 6.13 let debugfs_create_file() take a struct debugfs_short_fops:
// read, write and llseek only, no owner, and debugfs opens the file with
// the data pointer in file->private_data. Older kernels take a struct
// file_operations; with .open = simple_open and no .owner it behaves the
// same: debugfs wraps the calls, and an open file does not hold the module.
//
// Release: 6.13
// Upstream: "debugfs: add small file operations for most files"
// Kernels before it get: struct file_operations, .open = simple_open

@@
identifier fops;
@@
 const struct
- debugfs_short_fops
+ file_operations
 fops = {
+	.open = simple_open,
 ...
 };
