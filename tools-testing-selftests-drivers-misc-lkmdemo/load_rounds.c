// SPDX-License-Identifier: GPL-2.0
/*
 * load_rounds FILE: load and unload the module FILE many times in one
 * process. The steps come on standard input, one a line:
 *
 *   load [PARAMS]       finit_module() of FILE, with PARAMS
 *   write PATH VALUE    write VALUE and a newline to PATH
 *   write-rdwr PATH VALUE
 *                       the same on PATH opened for reading and writing,
 *                       as a fifo needs (an open for writing waits for a
 *                       reader)
 *   unload              delete_module() of FILE's module (O_NONBLOCK)
 *
 * A shell loop of modprobe and rmmod starts two programs a round, and in
 * the debug kernel under emulation starting one costs more than loading
 * the module: the selftests' rounds of load and unload use this instead,
 * with modprobe kept for the loads that they check one by one.
 *
 * A round begins with each load. It stops at the first step that fails,
 * prints "round N: STEP: ERROR" and exits 1; it exits 0 and prints
 * nothing when every step went through, and 2 when it could not start.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* FILE's module name: its base name without ".ko", "-" read as "_". */
static void module_name(const char *file, char *name, size_t size)
{
	char *copy = strdup(file), *p;

	snprintf(name, size, "%s", copy ? basename(copy) : file);
	free(copy);
	p = strstr(name, ".ko");
	if (p)
		*p = '\0';
	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
}

/* write_value(): 0, or the errno of the open or the write. */
static int write_value(const char *path, int flags, const char *value)
{
	size_t len = strlen(value);
	char buf[256];
	int fd, err = 0;

	if (len + 2 > sizeof(buf))
		return E2BIG;
	memcpy(buf, value, len);
	buf[len++] = '\n';
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, buf, len) != (ssize_t)len)
		err = errno ? errno : EIO;
	if (close(fd) && !err)
		err = errno;
	return err;
}

int main(int argc, char **argv)
{
	char line[512], name[128], *word, *rest;
	unsigned long round = 0;
	int mod, err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE <STEPS\n", argv[0]);
		return 2;
	}
	mod = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (mod < 0) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], strerror(errno));
		return 2;
	}
	module_name(argv[1], name, sizeof(name));

	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		word = line;
		rest = strchr(line, ' ');
		if (rest)
			*rest++ = '\0';
		else
			rest = "";

		errno = 0;
		if (!strcmp(word, "load")) {
			round++;
			err = syscall(SYS_finit_module, mod, rest, 0) ? errno : 0;
		} else if (!strcmp(word, "unload")) {
			err = syscall(SYS_delete_module, name, O_NONBLOCK) ? errno : 0;
		} else if (!strcmp(word, "write") || !strcmp(word, "write-rdwr")) {
			char *value = strchr(rest, ' ');

			if (!value) {
				printf("round %lu: write %s: no value\n", round, rest);
				return 1;
			}
			*value++ = '\0';
			err = write_value(rest, word[5] ? O_RDWR : O_WRONLY, value);
		} else {
			printf("round %lu: unknown step '%s'\n", round, word);
			return 1;
		}
		if (err) {
			printf("round %lu: %s%s%s: %s\n", round, word, *rest ? " " : "",
			       rest, strerror(err));
			return 1;
		}
	}
	return 0;
}
