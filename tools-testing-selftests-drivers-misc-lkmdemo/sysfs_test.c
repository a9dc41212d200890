// SPDX-License-Identifier: GPL-2.0
/*
 * What a program sees of /sys/kernel/lkmdemo_sysfs (drivers/misc/lkmdemo/
 * sysfs.c): the mode of each attribute, what it reads and what it takes,
 * every refusal, as root and as a user who is not root, poll() woken by
 * sysfs_notify(), and a file held open while the module is unloaded.
 *
 * Each test starts with value reset to 0, and leaves it so.
 *
 * Built in, the module takes lkmdemo_sysfs.limit from the kernel command
 * line when it is from 1 to 1000000, else keeps its default. A test run
 * boots the kernel with none, with GOOD and with BAD:
 * mod=lkmdemo_sysfs
 * GOOD="limit=1000"
 * BAD="limit=0"
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../../kselftest_harness.h"
#include "lkmdemo_test.h"

#define MODULE "lkmdemo_sysfs"
#define SYSFS_DIR "/sys/kernel/" MODULE
#define LIMIT_PARAM "/sys/module/" MODULE "/parameters/limit"

/* The text of @path, up to a newline, or "" if it cannot be read. */
static char *read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* The number in attribute @name, or -1 if it cannot be read. */
static long long get(const char *name)
{
	char path[128], buf[64], *end;
	long long n;

	snprintf(path, sizeof(path), SYSFS_DIR "/%s", name);
	read_text(path, buf, sizeof(buf));
	n = strtoll(buf, &end, 10);
	return *buf && !*end ? n : -1;
}

/* Write @len bytes of @text to attribute @name: 0, or the errno. */
static int put_len(const char *name, const char *text, size_t len)
{
	char path[128];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), SYSFS_DIR "/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	n = write(fd, text, len);
	err = n < 0 ? errno : (size_t)n == len ? 0 : -1;
	close(fd);
	return err;
}

static int put(const char *name, const char *text)
{
	return put_len(name, text, strlen(text));
}

static long long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000LL +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

FIXTURE(sysfs) {
	long long limit;
};

FIXTURE_SETUP(sysfs)
{
	if (access(SYSFS_DIR, F_OK)) {
		/* A module: load it (built in, the directory is there already). */
		if (system("modprobe -q " MODULE) || access(SYSFS_DIR, F_OK))
			SKIP(return, "no %s (CONFIG_LKMDEMO_SYSFS)", SYSFS_DIR);
	}
	if (geteuid())
		SKIP(return, "not root: the tests write and reset value");
	self->limit = get("limit");
	ASSERT_LT(0, self->limit) TH_LOG("%s/limit: %s", SYSFS_DIR, strerror(errno));
	ASSERT_EQ(0, put("reset", "1"));
	ASSERT_EQ(0, get("value"));
}

FIXTURE_TEARDOWN(sysfs)
{
	put("reset", "1");
}

TEST_F(sysfs, each_attribute_has_its_documented_mode)
{
	static const struct { const char *name; mode_t mode; } files[] = {
		{ "value", 0644 }, { "changes", 0444 },
		{ "limit", 0444 }, { "reset", 0200 },
	};
	char path[128];
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), SYSFS_DIR "/%s", files[i].name);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s: %s", path, strerror(errno));
		EXPECT_TRUE(S_ISREG(st.st_mode));
		EXPECT_EQ(files[i].mode, st.st_mode & 07777) TH_LOG("%s", path);
		EXPECT_EQ(0, st.st_uid);
	}
}

TEST_F(sysfs, the_directory_holds_the_four_attributes_and_nothing_else)
{
	DIR *d = opendir(SYSFS_DIR);
	struct dirent *e;
	int n = 0;

	ASSERT_TRUE(!!d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		EXPECT_TRUE(!strcmp(e->d_name, "value") || !strcmp(e->d_name, "changes") ||
			    !strcmp(e->d_name, "limit") || !strcmp(e->d_name, "reset"))
			TH_LOG("unexpected %s", e->d_name);
	}
	closedir(d);
	EXPECT_EQ(4, n);
}

TEST_F(sysfs, limit_is_the_module_parameter)
{
	/* Built in: the limit on the command line, if it was good. */
	long long expected = builtin_param(MODULE, "limit", 0, 1, 1000000, 100);
	char text[32];

	read_text(LIMIT_PARAM, text, sizeof(text));
	ASSERT_NE(0, *text) TH_LOG("%s: %s", LIMIT_PARAM, strerror(errno));
	EXPECT_EQ(strtoll(text, NULL, 10), self->limit);
	EXPECT_LE(1, self->limit);
	EXPECT_GE(1000000, self->limit);
	if (expected > 0)
		EXPECT_EQ(expected, self->limit) TH_LOG("/proc/cmdline");
}

TEST_F(sysfs, an_attribute_reads_as_one_number_and_a_newline)
{
	char buf[64];
	int fd;

	EXPECT_LE(0, get("changes"));
	fd = open(SYSFS_DIR "/value", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(2, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "0\n", 2));
	/* and then end of file */
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	close(fd);
}

TEST_F(sysfs, a_stored_value_reads_back_and_counts_as_one_change)
{
	long long before = get("changes");

	ASSERT_EQ(0, put("value", "42"));
	EXPECT_EQ(42, get("value"));
	EXPECT_EQ(before + 1, get("changes"));
	/* without the newline that echo adds, too */
	ASSERT_EQ(0, put("value", "7\n"));
	EXPECT_EQ(7, get("value"));
	EXPECT_EQ(before + 2, get("changes"));
}

TEST_F(sysfs, the_same_value_again_is_not_a_change)
{
	long long before;

	ASSERT_EQ(0, put("value", "5"));
	before = get("changes");
	EXPECT_EQ(0, put("value", "5"));
	EXPECT_EQ(5, get("value"));
	EXPECT_EQ(before, get("changes"));
}

TEST_F(sysfs, zero_and_limit_are_accepted)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", self->limit);
	ASSERT_EQ(0, put("value", text));
	EXPECT_EQ(self->limit, get("value"));
	ASSERT_EQ(0, put("value", "0"));
	EXPECT_EQ(0, get("value"));
}

TEST_F(sysfs, a_bad_value_is_einval_and_changes_nothing)
{
	static const char *const not_numbers[] = {
		"\n", "x", "5x", "5 ", " 5", "5\n\n", "0x5", "1.5", "-",
		"99999999999999999999",
	};
	char out_of_range[2][32];
	long long before;
	size_t i;

	snprintf(out_of_range[0], sizeof(out_of_range[0]), "%d", -1);
	snprintf(out_of_range[1], sizeof(out_of_range[1]), "%lld", self->limit + 1);
	ASSERT_EQ(0, put("value", "3"));
	before = get("changes");
	for (i = 0; i < ARRAY_SIZE(not_numbers) + 2; i++) {
		const char *bad = i < 2 ? out_of_range[i] : not_numbers[i - 2];

		EXPECT_EQ(EINVAL, put("value", bad)) TH_LOG("'%s'", bad);
		EXPECT_EQ(3, get("value")) TH_LOG("after '%s'", bad);
		EXPECT_EQ(before, get("changes")) TH_LOG("after '%s'", bad);
	}
	/* a write of no bytes returns 0 and never reaches store() */
	EXPECT_EQ(0, put_len("value", "", 0));
	EXPECT_EQ(3, get("value"));
	EXPECT_EQ(before, get("changes"));
}

TEST_F(sysfs, reset_sets_value_to_zero)
{
	long long before;

	ASSERT_EQ(0, put("value", "9"));
	before = get("changes");
	ASSERT_EQ(0, put("reset", "1\n"));
	EXPECT_EQ(0, get("value"));
	EXPECT_EQ(before + 1, get("changes"));
	/* at 0 already: no change */
	ASSERT_EQ(0, put("reset", "1"));
	EXPECT_EQ(before + 1, get("changes"));
}

TEST_F(sysfs, reset_takes_only_1)
{
	static const char *const bad[] = {
		"0", "2", "01", "1x", "yes", "\n", "1\n\n", " 1",
	};
	long long before;
	size_t i;

	ASSERT_EQ(0, put("value", "9"));
	before = get("changes");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(EINVAL, put("reset", bad[i])) TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(9, get("value")) TH_LOG("after '%s'", bad[i]);
	}
	EXPECT_EQ(before, get("changes"));
}

/*
 * sysfs checks the mode at open() even for root, whom the VFS lets past
 * it (CAP_DAC_OVERRIDE): a file with no read bit cannot be opened to
 * read, one with no write bit cannot be opened to write.
 */
TEST_F(sysfs, root_cannot_read_reset_nor_write_the_read_only_files)
{
	EXPECT_EQ(-1, open(SYSFS_DIR "/reset", O_RDONLY));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, open(SYSFS_DIR "/reset", O_RDWR));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(EACCES, put("changes", "0"));
	EXPECT_EQ(EACCES, put("limit", "5"));
	EXPECT_EQ(self->limit, get("limit"));
}

/*
 * What user 65534 may do: the modes allow reading value, changes and
 * limit, and no write. One bit per check that failed.
 */
static int sysfs_as_nobody(void *arg)
{
	long long *limit = arg;
	int bad = 0;

	bad |= !(get("value") == 11) << 0;
	bad |= !(get("changes") >= 1) << 1;
	bad |= !(get("limit") == *limit) << 2;
	bad |= !(put("value", "12") == EACCES) << 3;
	bad |= !(put("reset", "1") == EACCES) << 4;
	bad |= !(open(SYSFS_DIR "/reset", O_RDONLY) == -1 && errno == EACCES) << 5;
	return bad;
}

TEST_F(sysfs, a_user_who_is_not_root_reads_but_cannot_write)
{
	int bad;

	ASSERT_EQ(0, put("value", "11"));
	bad = as_nobody(sysfs_as_nobody, &self->limit);
	ASSERT_LE(0, bad) TH_LOG("no child ran to its end as user 65534");
	EXPECT_FALSE(bad & 1 << 0) TH_LOG("value did not read 11");
	EXPECT_FALSE(bad & 1 << 1) TH_LOG("changes did not read");
	EXPECT_FALSE(bad & 1 << 2) TH_LOG("limit did not read");
	EXPECT_FALSE(bad & 1 << 3) TH_LOG("a write of value did not fail with EACCES");
	EXPECT_FALSE(bad & 1 << 4) TH_LOG("a write of reset did not fail with EACCES");
	EXPECT_FALSE(bad & 1 << 5) TH_LOG("an open of reset did not fail with EACCES");
	/* refused: nothing changed */
	EXPECT_EQ(11, get("value"));
}

/* In a child: wait @ms, then write each of @texts to value. */
static pid_t write_later(int ms, const char *const *texts, int n)
{
	pid_t pid = fork();
	int i;

	if (pid)
		return pid;
	usleep(ms * 1000);
	for (i = 0; i < n; i++)
		put("value", texts[i]);
	_exit(0);
}

/* Open @name and read it: poll() waits for a change after that read. */
static int open_and_read(const char *name)
{
	char path[128], buf[64];
	int fd;

	snprintf(path, sizeof(path), SYSFS_DIR "/%s", name);
	fd = open(path, O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf)) <= 0) {
		close(fd);
		return -1;
	}
	return fd;
}

TEST_F_TIMEOUT(sysfs, poll_wakes_when_another_process_changes_value, SLOW_TIMEOUT)
{
	static const char *const text[] = { "17" };
	struct pollfd p[2] = {
		{ .fd = open_and_read("value"), .events = POLLPRI },
		{ .fd = open_and_read("changes"), .events = POLLPRI },
	};
	struct timespec t0;
	char buf[16] = "";
	int status;
	pid_t pid;

	ASSERT_LE(0, p[0].fd);
	ASSERT_LE(0, p[1].fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = write_later(300, text, 1);
	ASSERT_LT(0, pid);
	EXPECT_LT(0, poll(p, 2, 10000));
	EXPECT_GT(9000, ms_since(&t0)) TH_LOG("poll() timed out");
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* what sysfs returns for a change: POLLPRI and POLLERR */
	EXPECT_EQ(POLLPRI | POLLERR, p[0].revents);
	/* changes may be notified a moment after value: wait for it */
	EXPECT_EQ(1, poll(&p[1], 1, 5000));
	EXPECT_EQ(POLLPRI | POLLERR, p[1].revents);
	/* read the new value from the start: that rearms poll() */
	ASSERT_EQ(0, lseek(p[0].fd, 0, SEEK_SET));
	ASSERT_EQ(3, read(p[0].fd, buf, sizeof(buf) - 1));
	EXPECT_STREQ("17\n", buf);
	EXPECT_EQ(0, poll(p, 1, 300));
	close(p[0].fd);
	close(p[1].fd);
}

TEST_F_TIMEOUT(sysfs, poll_does_not_wake_when_value_does_not_change, SLOW_TIMEOUT)
{
	/* the same value, one out of range, one that is no number */
	static const char *const texts[] = { "4", "-1", "x" };
	struct pollfd p = { .events = POLLPRI };
	int status;
	pid_t pid;

	ASSERT_EQ(0, put("value", "4"));
	p.fd = open_and_read("value");
	ASSERT_LE(0, p.fd);
	pid = write_later(100, texts, ARRAY_SIZE(texts));
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, poll(&p, 1, 1000)) TH_LOG("revents %#x", p.revents);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(4, get("value"));
	close(p.fd);
}

/*
 * Unloading the module while a file of it is open: sysfs holds no
 * reference to the module, so the unload goes through; the open file
 * stays, but kernfs refuses every operation on it with ENODEV.
 */
TEST_F_TIMEOUT(sysfs, after_rmmod_an_open_attribute_fails_with_enodev, SLOW_TIMEOUT)
{
	struct pollfd p = { .events = POLLPRI };
	char buf[16];
	off_t off;
	int fd;

	if (access("/sys/module/" MODULE "/initstate", F_OK))
		SKIP(return, MODULE " is built in");
	fd = open(SYSFS_DIR "/value", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(2, read(fd, buf, sizeof(buf)));

	ASSERT_EQ(0, syscall(SYS_delete_module, MODULE, O_NONBLOCK))
		TH_LOG("delete_module: %s", strerror(errno));
	EXPECT_EQ(-1, access(SYSFS_DIR, F_OK));
	EXPECT_EQ(ENOENT, errno);

	/* 6.12 and later refuse the seek too; 6.1 moved the position */
	off = lseek(fd, 0, SEEK_SET);
	EXPECT_TRUE(off == 0 || (off == -1 && errno == ENODEV))
		TH_LOG("lseek: %lld, %s", (long long)off, strerror(errno));
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ENODEV, errno);
	/* and poll() says at once that something happened to it */
	p.fd = fd;
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLPRI | POLLERR, p.revents);
	EXPECT_EQ(0, close(fd));

	ASSERT_EQ(0, system("modprobe -q " MODULE));
	ASSERT_EQ(0, access(SYSFS_DIR, F_OK));
	EXPECT_EQ(0, get("value"));
	EXPECT_EQ(0, get("changes"));
}

/* As a module, limit comes from modprobe: a bad one fails the load. */
TEST_F_TIMEOUT(sysfs, modprobe_refuses_a_bad_limit_and_takes_a_good_one, SLOW_TIMEOUT)
{
	static const char *const bad[] = { "0", "1000001", "-5", "ten", "5x" };
	char cmd[128];
	size_t i;

	if (access("/sys/module/" MODULE "/initstate", F_OK))
		SKIP(return, MODULE " is built in: limit came from the command line");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(0, syscall(SYS_delete_module, MODULE, O_NONBLOCK));
		snprintf(cmd, sizeof(cmd), "modprobe -q " MODULE " limit=%s 2>/dev/null",
			 bad[i]);
		EXPECT_NE(0, system(cmd)) TH_LOG("limit=%s was taken", bad[i]);
		EXPECT_EQ(-1, access(SYSFS_DIR, F_OK)) TH_LOG("limit=%s", bad[i]);
		/* the load failed: load it again, or the next round has nothing */
		if (access(SYSFS_DIR, F_OK))
			ASSERT_EQ(0, system("modprobe -q " MODULE));
	}
	ASSERT_EQ(0, syscall(SYS_delete_module, MODULE, O_NONBLOCK));
	ASSERT_EQ(0, system("modprobe -q " MODULE " limit=1000000"));
	EXPECT_EQ(1000000, get("limit"));
	EXPECT_EQ(0, put("value", "1000000"));
	EXPECT_EQ(EINVAL, put("value", "1000001"));
	/* back to the default for the next test */
	ASSERT_EQ(0, syscall(SYS_delete_module, MODULE, O_NONBLOCK));
	ASSERT_EQ(0, system("modprobe -q " MODULE));
	EXPECT_EQ(100, get("limit"));
}

TEST_HARNESS_MAIN
