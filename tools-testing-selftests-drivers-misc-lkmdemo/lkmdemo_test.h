/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the lkmdemo C selftests share: a longer timeout for the slow cases,
 * a check run as a user who is not root, and the value a built-in module
 * took from the kernel command line.
 */
#ifndef LKMDEMO_TEST_H
#define LKMDEMO_TEST_H

/* setresuid() and setresgid(): define it before the first #include. */
#ifndef _GNU_SOURCE
#error "lkmdemo_test.h needs _GNU_SOURCE"
#endif

#include <ctype.h>
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
 * group 65534, with no supplementary groups. Its capabilities went with
 * user 0 (setresuid() from root to a user who is not root clears them).
 *
 * @check returns one bit per check that failed, bits 0 to 6. Returns
 * those bits, or -1 when the child could not be made, could not become
 * the user, or did not exit of its own (a crash is not read as a set of
 * failed checks: the caller's assertion fails).
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

/* Are the @n bytes of @a and @b one name, '-' and '_' alike (parameq())? */
static inline int lkmdemo_same_name(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((a[i] == '-' ? '_' : a[i]) != (b[i] == '-' ? '_' : b[i]))
			return 0;
	return 1;
}

/*
 * builtin_param() - the value built-in @module holds for its parameter
 * @param, as the kernel command line set it.
 *
 * The kernel reads the command line up to a "--" word (the rest is
 * init's), a word ending at white space outside double quotes, and
 * applies each @module.@param= word in order ('-' and '_' alike in the
 * name, quotes around the value dropped); when the parameter's set
 * function refuses a value, it keeps the one it had. This models a set
 * function that takes a number from @lo to @hi, as kstrto*() reads it in
 * @base, and refuses anything else, for a parameter that takes no
 * negative number: a leading '-' is refused, as kstrtouint() refuses
 * it, and so is "0b" in base 0, as kstrto*() refuses it, whatever the C
 * library's strtoll() makes of it. @dflt is the value before the first
 * word.
 *
 * Returns -1 when @module is loadable (/sys/module/@module/initstate is
 * there): then the value is the one the test loaded it with.
 */
static inline long long builtin_param(const char *module, const char *param,
				      int base, long long lo, long long hi,
				      long long dflt)
{
	char path[256], key[128], cmdline[16384] = "", *p, *word, *val, *end;
	long long value = dflt, n;
	size_t len, vlen;
	int quoted;
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
	len = snprintf(key, sizeof(key), "%s.%s=", module, param);
	for (p = cmdline; ; ) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		word = p;
		for (quoted = 0; *p && (quoted || !isspace((unsigned char)*p)); p++)
			if (*p == '"')
				quoted = !quoted;
		if (*p)
			*p++ = '\0';
		if (!strcmp(word, "--"))
			break;
		if (strlen(word) < len || !lkmdemo_same_name(word, key, len))
			continue;
		val = word + len;
		vlen = strlen(val);
		if (*val == '"') {
			val++;
			vlen--;
			if (vlen && val[vlen - 1] == '"')
				val[--vlen] = '\0';
		}
		if (*val == '-' || (!base && val[0] == '0' && (val[1] | 0x20) == 'b'))
			continue;
		n = strtoll(val, &end, base);
		if (end != val && !*end && n >= lo && n <= hi)
			value = n;
	}
	return value;
}

#endif /* LKMDEMO_TEST_H */
