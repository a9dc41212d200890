// SPDX-License-Identifier: GPL-2.0
/*
 * What a program sees of /proc/lkmdemo (drivers/misc/lkmdemo/procfs.c):
 * the table, several pages long, read whole, in small pieces and from the
 * middle; the number of records read, written, and refused; the modes as
 * a user who is not root; and a table left open while the module goes.
 *
 * Each test sets the number of records it needs and leaves the number it
 * found.
 *
 * Built in, the module takes lkmdemo_procfs.records from the kernel
 * command line when it is from 0 to 100000, else keeps its default. A
 * test run boots the kernel with none, with GOOD and with BAD:
 * mod=lkmdemo_procfs
 * GOOD="records=5"
 * BAD="records=100001"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

#define DIR "/proc/lkmdemo"
#define TABLE DIR "/table"
#define RECORDS DIR "/records"
#define INITSTATE "/sys/module/lkmdemo_procfs/initstate"
#define RECORDS_MAX 100000
#define TEXT_MAX (4 << 20)	/* the table of RECORDS_MAX records fits */

FIXTURE(procfs) {
	unsigned int records;	/* the number found, put back at the end */
	char *want;		/* what the table should hold */
	char *got;		/* what it holds */
};

/* The number /proc/lkmdemo/records shows, or -1. */
static long get_records(void)
{
	char text[32] = "";
	int fd = open(RECORDS, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0 || text[n - 1] != '\n')
		return -1;
	return strtol(text, NULL, 10);
}

/* write() of @len bytes of @text to /proc/lkmdemo/records, in one call. */
static ssize_t put_records(const char *text, size_t len)
{
	int fd = open(RECORDS, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	err = errno;
	close(fd);
	errno = err;
	return n;
}

static void set_records(struct __test_metadata *_metadata, unsigned int n)
{
	char text[16];
	int len = snprintf(text, sizeof(text), "%u\n", n);

	ASSERT_EQ(len, put_records(text, len))
		TH_LOG("write %u to %s: %s", n, RECORDS, strerror(errno));
	ASSERT_EQ(n, get_records());
}

/* The table of @n records, as the module documents it; returns its size. */
static size_t make_table(char *buf, unsigned int n)
{
	size_t len = 0;
	unsigned int i;

	for (i = 1; i <= n; i++)
		len += sprintf(buf + len, "record %u of %u\n", i, n);
	return len;
}

/* Read @fd to its end, @chunk bytes a call at most; -1 on an error. */
static ssize_t read_to_end(int fd, char *buf, size_t chunk)
{
	size_t len = 0;
	ssize_t n;

	do {
		if (len + chunk > TEXT_MAX)
			return -1;
		n = read(fd, buf + len, chunk);
		if (n < 0)
			return -1;
		len += n;
	} while (n);
	return len;
}

/* The whole table in reads of @chunk bytes, from a file of its own. */
static ssize_t read_table(char *buf, size_t chunk)
{
	int fd = open(TABLE, O_RDONLY);
	ssize_t len;

	if (fd < 0)
		return -1;
	len = read_to_end(fd, buf, chunk);
	close(fd);
	return len;
}

FIXTURE_SETUP(procfs)
{
	long records;

	self->want = NULL;
	self->got = NULL;
	self->records = ~0u;
	if (access(TABLE, F_OK)) {
		/* A module: load it (built in, the files are there already). */
		if (system("modprobe -q lkmdemo_procfs") || access(TABLE, F_OK))
			SKIP(return, "no %s (CONFIG_LKMDEMO_PROCFS)", TABLE);
	}
	if (geteuid())
		SKIP(return, "not root: the tests write %s", RECORDS);
	records = get_records();
	ASSERT_LE(0, records) TH_LOG("read %s: %s", RECORDS, strerror(errno));
	self->records = records;
	self->want = malloc(TEXT_MAX);
	self->got = malloc(TEXT_MAX);
	ASSERT_TRUE(self->want && self->got);
}

FIXTURE_TEARDOWN(procfs)
{
	char text[16];
	int len;

	if (self->records != ~0u) {
		len = snprintf(text, sizeof(text), "%u\n", self->records);
		put_records(text, len);
	}
	free(self->want);
	free(self->got);
}

TEST_F(procfs, entries_have_the_documented_modes)
{
	struct stat st;

	ASSERT_EQ(0, stat(DIR, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(0555, st.st_mode & 07777);
	ASSERT_EQ(0, stat(TABLE, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0444, st.st_mode & 07777);
	ASSERT_EQ(0, stat(RECORDS, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0644, st.st_mode & 07777);
}

TEST_F(procfs, the_parameter_is_read_only_and_in_range)
{
	const char *param = "/sys/module/lkmdemo_procfs/parameters/records";
	char text[32] = "";
	long long expected;
	struct stat st;
	FILE *f;

	ASSERT_EQ(0, stat(param, &st)) TH_LOG("%s: %s", param, strerror(errno));
	EXPECT_EQ(0444, st.st_mode & 07777);
	f = fopen(param, "r");
	ASSERT_TRUE(!!f);
	ASSERT_TRUE(!!fgets(text, sizeof(text), f));
	fclose(f);
	EXPECT_GE(RECORDS_MAX, strtol(text, NULL, 10));
	/*
	 * The parameter is the number at load (writes to records change the
	 * table, not it). Built in: the number on the command line, if it
	 * was good.
	 */
	expected = builtin_param("lkmdemo_procfs", "records", 10, 0, RECORDS_MAX, 2000);
	if (expected >= 0)
		EXPECT_EQ(expected, strtol(text, NULL, 10)) TH_LOG("/proc/cmdline");
}

TEST_F(procfs, the_table_has_every_record_in_order)
{
	size_t len = make_table(self->want, 3000);
	unsigned int i, lines = 0;
	char *line;
	int n;

	set_records(_metadata, 3000);
	ASSERT_EQ(len, read_table(self->got, 65536));
	self->got[len] = '\0';
	for (line = self->got; *line; line = strchr(line, '\n') + 1) {
		n = sscanf(line, "record %u of 3000\n", &i);
		ASSERT_EQ(1, n) TH_LOG("line %u: %.30s", lines + 1, line);
		ASSERT_EQ(lines + 1, i) TH_LOG("line %u is record %u", lines + 1, i);
		lines++;
	}
	EXPECT_EQ(3000, lines);
	EXPECT_EQ(0, memcmp(self->want, self->got, len));
}

TEST_F(procfs, the_table_is_larger_than_two_pages)
{
	ssize_t len;

	set_records(_metadata, 3000);
	len = read_table(self->got, 65536);
	EXPECT_LT(getpagesize() * 2, len);
}

TEST_F(procfs, small_reads_give_the_same_bytes_as_one_big_read)
{
	size_t chunks[] = { 1, 7, 100, 4095, 4097, 1 << 20 };
	ssize_t len, whole;
	size_t i;

	set_records(_metadata, 3000);
	whole = read_table(self->want, 1 << 20);
	ASSERT_LT(getpagesize() * 2, whole);
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		memset(self->got, 0, whole);
		len = read_table(self->got, chunks[i]);
		EXPECT_EQ(whole, len) TH_LOG("reads of %zu bytes", chunks[i]);
		EXPECT_EQ(0, memcmp(self->want, self->got, whole))
			TH_LOG("reads of %zu bytes gave other bytes", chunks[i]);
	}
}

TEST_F(procfs, lseek_into_the_middle_reads_the_tail)
{
	ssize_t whole;
	off_t offs[6];
	size_t i;
	int fd;

	set_records(_metadata, 3000);
	whole = read_table(self->want, 65536);
	ASSERT_LT(getpagesize() * 2, whole);
	offs[0] = 1;
	offs[1] = getpagesize() - 1;
	offs[2] = getpagesize() + 1;
	offs[3] = whole / 2;
	offs[4] = whole - 1;
	offs[5] = whole;
	fd = open(TABLE, O_RDONLY);
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		ASSERT_EQ(offs[i], lseek(fd, offs[i], SEEK_SET));
		EXPECT_EQ(whole - offs[i], read_to_end(fd, self->got, 333))
			TH_LOG("after lseek to %ld", (long)offs[i]);
		EXPECT_EQ(0, memcmp(self->want + offs[i], self->got, whole - offs[i]))
			TH_LOG("after lseek to %ld: other bytes", (long)offs[i]);
	}
	/* and back, relative to where a read stopped */
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	ASSERT_EQ(100, read(fd, self->got, 100));
	ASSERT_EQ(5000, lseek(fd, 4900, SEEK_CUR));
	ASSERT_EQ(whole - 5000, read_to_end(fd, self->got, 4096));
	EXPECT_EQ(0, memcmp(self->want + 5000, self->got, whole - 5000));
	/* seq_lseek() knows no end: SEEK_END is refused, a negative offset too */
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(fd, -1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(procfs, records_is_a_number_and_a_newline)
{
	char text[32] = "";
	int fd;

	set_records(_metadata, 42);
	fd = open(RECORDS, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(3, read(fd, text, sizeof(text)));
	EXPECT_STREQ("42\n", text);
	EXPECT_EQ(0, read(fd, text, sizeof(text)));
	close(fd);
}

TEST_F(procfs, a_written_number_sets_the_records_of_the_table)
{
	ssize_t len;

	ASSERT_EQ(2, put_records("5\n", 2));
	EXPECT_EQ(5, get_records());
	len = make_table(self->want, 5);
	EXPECT_EQ(len, read_table(self->got, 4096));
	EXPECT_EQ(0, memcmp(self->want, self->got, len));
	/* without a newline, the largest, a leading zero (decimal), none */
	ASSERT_EQ(1, put_records("7", 1));
	EXPECT_EQ(7, get_records());
	ASSERT_EQ(7, put_records("100000\n", 7));
	EXPECT_EQ(RECORDS_MAX, get_records());
	len = make_table(self->want, RECORDS_MAX);
	EXPECT_EQ(len, read_table(self->got, 65536));
	EXPECT_EQ(0, memcmp(self->want, self->got, len));
	ASSERT_EQ(4, put_records("010\n", 4));
	EXPECT_EQ(10, get_records());
	ASSERT_EQ(2, put_records("0\n", 2));
	EXPECT_EQ(0, get_records());
	EXPECT_EQ(0, read_table(self->got, 4096));
}

/* @text for a log line: a newline in it shown as \n. */
static const char *shown(const char *text)
{
	static char buf[64];
	size_t i = 0;

	for (; *text && i < sizeof(buf) - 3; text++) {
		if (*text == '\n') {
			buf[i++] = '\\';
			buf[i++] = 'n';
		} else {
			buf[i++] = *text;
		}
	}
	buf[i] = '\0';
	return buf;
}

TEST_F(procfs, bad_numbers_are_einval_and_change_nothing)
{
	static const char * const bad[] = {
		"", "\n", "abc\n", "-1\n", "-0x1", "100001\n", "4294967296\n",
		"99999999999999999999\n", "5\nx", "5\n\n", "5x\n", " 5\n",
		"0x10\n", "1e3\n", "5 6\n", "10000000000000000000000005",
		"100000\nx",	/* a valid number in the first 7 bytes */
	};
	ssize_t len, before;
	size_t i;

	set_records(_metadata, 123);
	before = read_table(self->want, 4096);
	ASSERT_LT(0, before);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, put_records(bad[i], strlen(bad[i])))
			TH_LOG("'%s' was taken", shown(bad[i]));
		EXPECT_EQ(EINVAL, errno)
			TH_LOG("'%s': %s", shown(bad[i]), strerror(errno));
		EXPECT_EQ(123, get_records()) TH_LOG("after '%s'", shown(bad[i]));
	}
	len = read_table(self->got, 4096);
	EXPECT_EQ(before, len);
	EXPECT_EQ(0, memcmp(self->want, self->got, before));
}

/* What user 65534 may do: read both files. One bit per check that failed. */
static int procfs_as_nobody(void *arg)
{
	int fd, bad = 0;
	char c;

	fd = open(RECORDS, O_WRONLY);
	bad |= !(fd == -1 && errno == EACCES) << 0;
	fd = open(TABLE, O_WRONLY);
	bad |= !(fd == -1 && errno == EACCES) << 1;
	bad |= !(get_records() == 50) << 2;
	fd = open(TABLE, O_RDONLY);
	bad |= !(fd >= 0 && read(fd, &c, 1) == 1 && c == 'r') << 3;
	return bad;
}

TEST_F(procfs, a_user_who_is_not_root_reads_but_does_not_write)
{
	int bad;

	set_records(_metadata, 50);
	bad = as_nobody(procfs_as_nobody, NULL);
	ASSERT_LE(0, bad) TH_LOG("no child ran to its end as user 65534");
	EXPECT_FALSE(bad & 1 << 0) TH_LOG("open(records, O_WRONLY) did not fail with EACCES");
	EXPECT_FALSE(bad & 1 << 1) TH_LOG("open(table, O_WRONLY) did not fail with EACCES");
	EXPECT_FALSE(bad & 1 << 2) TH_LOG("records could not be read");
	EXPECT_FALSE(bad & 1 << 3) TH_LOG("the table could not be read");
	EXPECT_EQ(50, get_records());
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - start->tv_sec + (now.tv_nsec - start->tv_nsec) / 1e9;
}

/*
 * A read() with room for a page or more gets whole lines from one run of
 * start() to stop(): with the lock held across it, they all show one
 * number of records, however often a writer changes it meanwhile.
 */
TEST_F_TIMEOUT(procfs, one_read_sees_one_number_of_records, SLOW_TIMEOUT)
{
	unsigned int i, n, first = 0, of, last_of = 0;
	int fd, wfd, status, rounds, got;
	struct timespec start;
	char *line, *end;
	ssize_t len;
	pid_t pid;

	set_records(_metadata, 3000);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* one file, written as fast as it goes, until killed */
		wfd = open(RECORDS, O_WRONLY);
		for (rounds = 0; wfd >= 0; rounds++)
			if (write(wfd, rounds & 1 ? "3000\n" : "3001\n", 5) != 5)
				_exit(1);
		_exit(1);
	}
	fd = open(TABLE, O_RDONLY);
	ASSERT_LE(0, fd);
	/*
	 * 6000 reads, or 2 seconds on a slow machine (400 to 1300 in a guest
	 * under emulation): without the lock in start() and stop(), such a
	 * guest's 14th read already saw two numbers.
	 */
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (rounds = 0; rounds < 6000 && seconds_since(&start) < 2; rounds++) {
		len = read(fd, self->got, 65536);
		ASSERT_LE(0, len);
		if (!len) {
			ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
			continue;
		}
		self->got[len] = '\0';
		end = self->got + len;
		for (line = self->got, n = 0; line < end; line = strchr(line, '\n') + 1, n++) {
			got = sscanf(line, "record %u of %u", &i, &of);
			ASSERT_EQ(2, got) TH_LOG("round %d: %.30s", rounds, line);
			if (!n) {
				first = i;
				last_of = of;
			}
			ASSERT_EQ(last_of, of) TH_LOG("round %d, line %u", rounds, n + 1);
			ASSERT_EQ(first + n, i) TH_LOG("round %d, line %u", rounds, n + 1);
		}
	}
	close(fd);
	TH_LOG("%d reads", rounds);
	/* still writing: it never failed */
	ASSERT_EQ(0, waitpid(pid, &status, WNOHANG));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
}

/*
 * The files do not hold the module: rmmod goes through while the table
 * is open, procfs removes the entries, and from then on a read of the
 * open file fails with EIO and an lseek with EINVAL (fs/proc/inode.c,
 * proc_reg_read_iter() and proc_reg_llseek()); close still works.
 */
TEST_F_TIMEOUT(procfs, a_table_left_open_reads_eio_once_the_module_is_gone, SLOW_TIMEOUT)
{
	char buf[64];
	int fd;

	if (access(INITSTATE, F_OK))
		SKIP(return, "lkmdemo_procfs is built in");
	fd = open(TABLE, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(buf), read(fd, buf, sizeof(buf)));
	ASSERT_EQ(0, syscall(SYS_delete_module, "lkmdemo_procfs", O_NONBLOCK))
		TH_LOG("delete_module: %s", strerror(errno));
	EXPECT_NE(0, access(INITSTATE, F_OK));
	EXPECT_NE(0, access(TABLE, F_OK));
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, close(fd));
	/* back, for the tests after this one (it starts at its parameter) */
	ASSERT_EQ(0, system("modprobe -q lkmdemo_procfs"));
	ASSERT_EQ(0, access(TABLE, F_OK));
	self->records = ~0u;
}

TEST_HARNESS_MAIN
