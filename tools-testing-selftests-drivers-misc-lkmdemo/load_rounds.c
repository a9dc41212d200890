// SPDX-License-Identifier: GPL-2.0
/*
 * load_rounds MODULE FILE: load the module MODULE from FILE and unload it
 * many times in one process. The steps come on standard input, one a
 * line:
 *
 *   load [PARAMS]       finit_module() of FILE, with PARAMS
 *   write PATH VALUE    write VALUE and a newline to PATH
 *   write-rdwr PATH VALUE
 *                       the same on PATH opened for reading and writing,
 *                       as a fifo needs (an open for writing waits for a
 *                       reader)
 *   unload              delete_module() of MODULE (O_NONBLOCK)
 *
 * A shell loop of modprobe and rmmod starts two programs a round, and in
 * the debug kernel under emulation starting one costs more than loading
 * the module: the selftests' rounds of load and unload use this instead,
 * with modprobe kept for the loads that they check one by one.
 *
 * FILE may be compressed (.gz, .xz, .zst) when the kernel decompresses
 * modules itself (CONFIG_MODULE_DECOMPRESS). Dependencies are not
 * loaded: the modules it is for have none.
 *
 * A round begins with each load. It stops at the first step that fails,
 * prints "round N: STEP: ERROR" and exits 1; it exits 0 and prints
 * nothing when every step went through, and 2 when it could not start
 * or had no step to do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/module.h>

#include "../../../kselftest.h"

/* finit_module()'s flags for FILE: whether the kernel decompresses it. */
static int load_flags(const char *file)
{
	static const char * const ext[] = { ".gz", ".xz", ".zst" };
	size_t len = strlen(file), i;

	for (i = 0; i < ARRAY_SIZE(ext); i++)
		if (len > strlen(ext[i]) &&
		    !strcmp(file + len - strlen(ext[i]), ext[i]))
			return MODULE_INIT_COMPRESSED_FILE;
	return 0;
}

/* write_value(): 0, or the errno of the open or the write. */
static int write_value(const char *path, int flags, const char *value)
{
	size_t len = strlen(value);
	char buf[512];
	ssize_t n;
	int fd, err = 0;

	memcpy(buf, value, len);	/* shorter than a line of input */
	buf[len++] = '\n';
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = write(fd, buf, len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	if (close(fd) && !err)
		err = errno;
	return err;
}

int main(int argc, char **argv)
{
	char line[510], *word, *rest;
	const char *name, *file;
	unsigned long round = 0, steps = 0;
	int mod, flags, err;

	if (argc != 3) {
		fprintf(stderr, "usage: %s MODULE FILE <STEPS\n", argv[0]);
		return 2;
	}
	name = argv[1];
	file = argv[2];
	mod = open(file, O_RDONLY | O_CLOEXEC);
	if (mod < 0) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], file, strerror(errno));
		return 2;
	}
	flags = load_flags(file);

	while (fgets(line, sizeof(line), stdin)) {
		size_t len = strcspn(line, "\n");

		if (!line[len] && !feof(stdin)) {
			printf("round %lu: a step longer than %zu characters\n",
			       round, sizeof(line) - 2);
			return 1;
		}
		line[len] = '\0';
		steps++;
		word = line;
		rest = strchr(line, ' ');
		if (rest)
			*rest++ = '\0';
		else
			rest = "";

		if (!strcmp(word, "load")) {
			round++;
			err = syscall(SYS_finit_module, mod, rest, flags) ? errno : 0;
		} else if (!strcmp(word, "unload")) {
			err = syscall(SYS_delete_module, name, O_NONBLOCK) ? errno : 0;
		} else if (!strcmp(word, "write") || !strcmp(word, "write-rdwr")) {
			char *value = strchr(rest, ' ');

			if (!value) {
				printf("round %lu: write %s: no value\n", round, rest);
				return 1;
			}
			*value++ = '\0';
			err = write_value(rest, strcmp(word, "write") ? O_RDWR : O_WRONLY,
					  value);
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
	if (ferror(stdin)) {
		fprintf(stderr, "%s: reading the steps: %s\n", argv[0], strerror(errno));
		return 2;
	}
	if (!steps) {
		fprintf(stderr, "%s: no step to do\n", argv[0]);
		return 2;
	}
	return 0;
}
