// SPDX-License-Identifier: GPL-2.0
// Linux 6.13 let debugfs_create_file() take a struct debugfs_short_fops:
// read, write and llseek only, no owner, and debugfs opens the file with
// the data pointer in file->private_data. Older kernels take a struct
// file_operations, and it must have an owner: their debugfs calls the
// file_operations' release through its pointer when the file is closed,
// also after debugfs_remove(), so a module unloaded under an open file
// would be called after it is gone (an oops at close, seen on 6.12).
// With .owner, an open file holds the module, as a misc device does.
//
// Release: 6.13
// Upstream: "debugfs: add small file operations for most files"
// Kernels before it get: struct file_operations, .owner = THIS_MODULE,
// .open = simple_open

@@
identifier fops;
@@
 const struct
- debugfs_short_fops
+ file_operations
 fops = {
+	.owner = THIS_MODULE,
+	.open = simple_open,
 ...
 };
