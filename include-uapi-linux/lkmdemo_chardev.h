/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lkmdemo_chardev: the ioctls of /dev/lkmdemo_chardev
 *
 * The device is described in Documentation/misc-devices/lkmdemo/chardev.rst.
 */
#ifndef _UAPI_LINUX_LKMDEMO_CHARDEV_H
#define _UAPI_LINUX_LKMDEMO_CHARDEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The sizes the buffer may have, in bytes: the "size" parameter, SET_SIZE. */
#define LKMDEMO_CHARDEV_MIN_SIZE	16
#define LKMDEMO_CHARDEV_MAX_SIZE	(1024 * 1024)

/**
 * struct lkmdemo_chardev_stats - what LKMDEMO_CHARDEV_GET_STATS reports
 * @opens: opens of the device since it was registered
 * @bytes_read: bytes read from the device, by every open file
 * @bytes_written: bytes written to the device, by every open file
 * @file_bytes_read: bytes read through the file the ioctl was made on
 * @file_bytes_written: bytes written through that file
 */
struct lkmdemo_chardev_stats {
	__u64 opens;
	__u64 bytes_read;
	__u64 bytes_written;
	__u64 file_bytes_read;
	__u64 file_bytes_written;
};

/**
 * struct lkmdemo_chardev_peek - the argument of LKMDEMO_CHARDEV_PEEK
 * @buf: where to copy the bytes: a pointer to user memory, as a __u64
 * @offset: the offset in the data of the first byte to copy
 * @count: in, how many bytes at most; out, how many were copied
 */
struct lkmdemo_chardev_peek {
	__u64 buf;
	__u32 offset;
	__u32 count;
};

#define LKMDEMO_CHARDEV_IOC_MAGIC	0xBB

/* The size of the buffer, in bytes. */
#define LKMDEMO_CHARDEV_GET_SIZE	_IOR(LKMDEMO_CHARDEV_IOC_MAGIC, 0, __u32)
/* A new size, keeping the data (CAP_SYS_ADMIN). */
#define LKMDEMO_CHARDEV_SET_SIZE	_IOW(LKMDEMO_CHARDEV_IOC_MAGIC, 1, __u32)
/* Drop the data (CAP_SYS_ADMIN). */
#define LKMDEMO_CHARDEV_CLEAR		_IO(LKMDEMO_CHARDEV_IOC_MAGIC, 2)
/* The counters of struct lkmdemo_chardev_stats. */
#define LKMDEMO_CHARDEV_GET_STATS	_IOR(LKMDEMO_CHARDEV_IOC_MAGIC, 3, \
					     struct lkmdemo_chardev_stats)
/* Copy bytes of the data without moving the file position. */
#define LKMDEMO_CHARDEV_PEEK		_IOWR(LKMDEMO_CHARDEV_IOC_MAGIC, 4, \
					      struct lkmdemo_chardev_peek)

#endif /* _UAPI_LINUX_LKMDEMO_CHARDEV_H */
