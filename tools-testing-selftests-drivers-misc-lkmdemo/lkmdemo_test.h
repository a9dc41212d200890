/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the lkmdemo C selftests share: a longer timeout for the slow cases,
 * a check run as a user who is not root, and the value a built-in module
 * took from the kernel command line.
 */
#ifndef LKMDEMO_TEST_H
#define LKMDEMO_TEST_H

#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The harness gives a test 30 seconds. Those that load and unload a
 * module, wait for a wakeup or run several processes get SLOW_TIMEOUT:
 * in a debug kernel under emulation one modprobe can take seconds.
 */
#define SLOW_TIMEOUT 300

/* The user and group the checks of permissions run as: nobody. */
#define LKMDEMO_NOBODY 65534

/*
 * as_nobody() - run @check(@arg) in a child that has become user and
 * group 65534, with no supplementary groups and so no capability.
 *
 * @check returns one bit per check that failed, bits 0 to 6. Returns
 * those bits, or -1 when the child could not be made, could not become
 * the user, or did not exit of its own (the caller's assertion then
 * fails, rather than reading a crash as a set of failed checks).
 */
static inline int as_nobody(int (*check)(void *arg), void *arg)
{
	int status;
	pid_t pid;

	fflush(NULL);	/* what is buffered is printed once, by the parent */
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (setgroups(0, NULL) ||
		    setresgid(LKMDEMO_NOBODY, LKMDEMO_NOBODY, LKMDEMO_NOBODY) ||
		    setresuid(LKMDEMO_NOBODY, LKMDEMO_NOBODY, LKMDEMO_NOBODY))
			_exit(0x80);
		_exit(check(arg) & 0x7f);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) & 0x80)
		return -1;
	return WEXITSTATUS(status);
}

/*
 * builtin_param() - the value built-in @module holds for its parameter
 * @param, as the kernel command line set it.
 *
 * The kernel applies each @module.@param= word of the command line in
 * order, and keeps the value it had when the parameter's set function
 * refuses one. This models a set function that takes a number in @base
 * (as kstrto*() reads it) from @lo to @hi and refuses anything else;
 * @dflt is the value before the first word.
 *
 * Returns -1 when @module is loadable (/sys/module/@module/initstate is
 * there): then the value is the one the test loaded it with.
 */
static inline long long builtin_param(const char *module, const char *param,
				      int base, long long lo, long long hi,
				      long long dflt)
{
	char path[256], key[128], cmdline[4096] = "", *word, *end, *save;
	long long value = dflt, n;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", module);
	if (!access(path, F_OK))
		return -1;
	f = fopen("/proc/cmdline", "r");
	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = '\0';
		fclose(f);
	}
	cmdline[strcspn(cmdline, "\n")] = '\0';
	len = snprintf(key, sizeof(key), "%s.%s=", module, param);
	for (word = strtok_r(cmdline, " ", &save); word;
	     word = strtok_r(NULL, " ", &save)) {
		if (strncmp(word, key, len))
			continue;
		n = strtoll(word + len, &end, base);
		if (end != word + len && !*end && n >= lo && n <= hi)
			value = n;
	}
	return value;
}

#endif /* LKMDEMO_TEST_H */
