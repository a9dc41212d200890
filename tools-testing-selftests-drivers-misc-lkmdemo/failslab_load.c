// SPDX-License-Identifier: GPL-2.0
/*
 * failslab_load N NAME FILE [PARAMS]: load the module FILE with
 * finit_module(), with the N-th slab allocation that this task makes from
 * then on made to fail (CONFIG_FAILSLAB, /proc/thread-self/fail-nth), and
 * when it loads, unload it (delete_module() of NAME, as rmmod does: one
 * program fewer a round, and a program costs a lot under emulation).
 * failslab.sh calls it with N = 1, 2, 3 and on, until a load makes fewer
 * than N allocations.
 *
 * It prints one line: "injected" or "not-injected" (whether the N-th
 * allocation came), then "unloaded" when the module loaded and unloaded,
 * or the name of the error, such as ENOMEM, or "loaded" and the name of
 * the unload's error. It exits 0 when the module loaded and unloaded, 1
 * when the load failed, 3 when the unload failed, and 2 when it could not
 * try.
 *
 * The counter is armed by the write just before finit_module() and read
 * just after it, both on a file opened before: nothing else this program
 * does in between allocates.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *errno_name(int err)
{
	switch (err) {
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case EEXIST: return "EEXIST";
	case EINTR: return "EINTR";
	case EFAULT: return "EFAULT";
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	case EAGAIN: return "EAGAIN";
	case ENOEXEC: return "ENOEXEC";
	case ENOSPC: return "ENOSPC";
	default: return NULL;
	}
}

static void print_errno(int err)
{
	const char *name = errno_name(err);

	if (name)
		printf("%s\n", name);
	else
		printf("errno-%d\n", err);
}

int main(int argc, char **argv)
{
	const char *params = argc > 4 ? argv[4] : "";
	char buf[32];
	int mod, nth, len, ret, err;
	long n;

	n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	if (argc < 4 || argc > 5 || n < 1) {
		fprintf(stderr, "usage: %s N NAME FILE [PARAMS]\n", argv[0]);
		return 2;
	}
	mod = open(argv[3], O_RDONLY | O_CLOEXEC);
	if (mod < 0) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[3], strerror(errno));
		return 2;
	}
	nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth < 0) {
		fprintf(stderr, "%s: /proc/thread-self/fail-nth: %s (CONFIG_FAULT_INJECTION)\n",
			argv[0], strerror(errno));
		return 2;
	}

	len = snprintf(buf, sizeof(buf), "%ld", n);
	if (write(nth, buf, len) != len) {
		fprintf(stderr, "%s: writing fail-nth: %s\n", argv[0], strerror(errno));
		return 2;
	}
	ret = syscall(SYS_finit_module, mod, params, 0);
	err = errno;
	/* What is left of the count: 0 once the failure was injected. */
	len = pread(nth, buf, sizeof(buf) - 1, 0);
	if (len <= 0) {
		fprintf(stderr, "%s: reading fail-nth: %s\n", argv[0], strerror(errno));
		return 2;
	}
	buf[len] = '\0';
	/* Disarm what is left, before printf() allocates anything. */
	if (write(nth, "0", 1) != 1) {
		fprintf(stderr, "%s: disarming fail-nth: %s\n", argv[0], strerror(errno));
		return 2;
	}

	printf("%s ", strtol(buf, NULL, 10) == 0 ? "injected" : "not-injected");
	if (ret != 0) {
		print_errno(err);
		return 1;
	}
	if (syscall(SYS_delete_module, argv[2], O_NONBLOCK) != 0) {
		err = errno;
		printf("loaded ");
		print_errno(err);
		return 3;
	}
	printf("unloaded\n");
	return 0;
}
