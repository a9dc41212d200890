// SPDX-License-Identifier: GPL-2.0
/*
 * What a program sees of /dev/lkmdemo_chardev (drivers/misc/lkmdemo/chardev.c):
 * read, write, lseek, poll, the ioctls, and every refusal, as root and as a
 * user who is not root, with several processes at once.
 *
 * The device is one buffer that every open file shares: each test starts
 * from an empty buffer of the size the module was loaded with, and leaves
 * it so.
 *
 * Built in, the module takes lkmdemo_chardev.size from the kernel command
 * line when it is from 16 to 1048576, else keeps its default. A test run
 * boots the kernel with none, with GOOD and with BAD:
 * mod=lkmdemo_chardev
 * GOOD="size=8192"
 * BAD="size=8"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/lkmdemo_chardev.h>

#include "../../../kselftest_harness.h"
#include "lkmdemo_test.h"

#define DEV "/dev/lkmdemo_chardev"
#define SIZE_PARAM "/sys/module/lkmdemo_chardev/parameters/size"

FIXTURE(chardev) {
	int fd;
	__u32 size;
	void *bad;	/* a page the test may not touch: PROT_NONE */
};

FIXTURE_SETUP(chardev)
{
	self->fd = -1;
	self->bad = mmap(NULL, getpagesize(), PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->bad != MAP_FAILED);
	if (access(DEV, F_OK)) {
		/* A module: load it (built in, the node is there already). */
		if (system("modprobe -q lkmdemo_chardev") || access(DEV, F_OK))
			SKIP(return, "no %s (CONFIG_LKMDEMO_CHARDEV)", DEV);
	}
	if (geteuid())
		SKIP(return, "not root: the tests empty and resize the buffer");
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	ASSERT_EQ(0, ioctl(self->fd, LKMDEMO_CHARDEV_GET_SIZE, &self->size));
	ASSERT_EQ(0, ioctl(self->fd, LKMDEMO_CHARDEV_CLEAR));
}

FIXTURE_TEARDOWN(chardev)
{
	if (self->fd < 0)
		return;
	ioctl(self->fd, LKMDEMO_CHARDEV_CLEAR);
	ioctl(self->fd, LKMDEMO_CHARDEV_SET_SIZE, &self->size);
	close(self->fd);
}

/* The bytes the device holds now, at most @len of them, without reading. */
static ssize_t peek(int fd, char *buf, size_t len)
{
	struct lkmdemo_chardev_peek p = {
		.buf = (__u64)(unsigned long)buf,
		.offset = 0,
		.count = len,
	};

	if (ioctl(fd, LKMDEMO_CHARDEV_PEEK, &p))
		return -1;
	return p.count;
}

static __u32 get_size(int fd)
{
	__u32 size = 0;

	ioctl(fd, LKMDEMO_CHARDEV_GET_SIZE, &size);
	return size;
}

static void set_size(struct __test_metadata *_metadata, int fd, __u32 size)
{
	ASSERT_EQ(0, ioctl(fd, LKMDEMO_CHARDEV_SET_SIZE, &size))
		TH_LOG("SET_SIZE %u: %s", size, strerror(errno));
}

TEST_F(chardev, node_is_a_misc_device_0644)
{
	struct stat st;

	ASSERT_EQ(0, stat(DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0644, st.st_mode & 07777);
	EXPECT_EQ(10, major(st.st_rdev));	/* MISC_MAJOR */
}

TEST_F(chardev, size_is_the_module_parameter)
{
	char text[32] = "";
	FILE *f = fopen(SIZE_PARAM, "r");
	long long expected;

	ASSERT_TRUE(!!f) TH_LOG("%s: %s", SIZE_PARAM, strerror(errno));
	ASSERT_TRUE(!!fgets(text, sizeof(text), f));
	fclose(f);
	/* The size at load: each test leaves the buffer that size. */
	EXPECT_EQ(strtoul(text, NULL, 10), self->size);
	/* Built in: the size on the command line, if it was good. */
	expected = builtin_param("lkmdemo_chardev", "size", 0, LKMDEMO_CHARDEV_MIN_SIZE,
				 LKMDEMO_CHARDEV_MAX_SIZE, 4096);
	if (expected >= 0)
		EXPECT_EQ(expected, strtoul(text, NULL, 10)) TH_LOG("/proc/cmdline");
}

TEST_F(chardev, what_is_written_is_read_back)
{
	char buf[16] = "";

	ASSERT_EQ(5, write(self->fd, "hello", 5));
	ASSERT_EQ(5, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
}

TEST_F(chardev, each_open_file_reads_every_byte)
{
	char a[8] = "", b[8] = "";
	int other = open(DEV, O_RDONLY);

	ASSERT_LE(0, other);
	ASSERT_EQ(6, write(self->fd, "shared", 6));
	EXPECT_EQ(6, read(self->fd, a, sizeof(a)));
	EXPECT_EQ(6, read(other, b, sizeof(b)));
	EXPECT_EQ(0, memcmp(a, b, 6));
	close(other);
}

TEST_F(chardev, small_reads_give_the_same_bytes)
{
	char data[300], got[300];
	size_t i, done = 0;
	ssize_t n;

	for (i = 0; i < sizeof(data); i++)
		data[i] = 'a' + i % 26;
	ASSERT_EQ(sizeof(data), write(self->fd, data, sizeof(data)));
	while (done < sizeof(got)) {
		n = read(self->fd, got + done, 7);
		ASSERT_LT(0, n);
		done += n;
	}
	EXPECT_EQ(0, memcmp(data, got, sizeof(data)));
}

TEST_F(chardev, lseek_moves_within_the_data)
{
	char data[100], c;
	int i;

	for (i = 0; i < 100; i++)
		data[i] = i;
	ASSERT_EQ(100, write(self->fd, data, 100));
	EXPECT_EQ(10, lseek(self->fd, 10, SEEK_SET));
	ASSERT_EQ(1, read(self->fd, &c, 1));
	EXPECT_EQ(10, c);
	EXPECT_EQ(6, lseek(self->fd, -5, SEEK_CUR));
	EXPECT_EQ(100, lseek(self->fd, 0, SEEK_END));
	EXPECT_EQ(99, lseek(self->fd, -1, SEEK_END));
	ASSERT_EQ(1, read(self->fd, &c, 1));
	EXPECT_EQ(99, c);
}

TEST_F(chardev, lseek_outside_the_data_is_refused)
{
	ASSERT_EQ(10, write(self->fd, "0123456789", 10));
	ASSERT_EQ(4, lseek(self->fd, 4, SEEK_SET));
	EXPECT_EQ(-1, lseek(self->fd, 11, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, -1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, 1, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	/* and the position is where it was */
	EXPECT_EQ(4, lseek(self->fd, 0, SEEK_CUR));
}

TEST_F(chardev, a_full_buffer_cuts_a_write_short_then_refuses_it)
{
	char buf[LKMDEMO_CHARDEV_MIN_SIZE + 1];

	set_size(_metadata, self->fd, LKMDEMO_CHARDEV_MIN_SIZE);
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(10, write(self->fd, buf, 10));
	EXPECT_EQ(LKMDEMO_CHARDEV_MIN_SIZE - 10, write(self->fd, buf, 10));
	EXPECT_EQ(-1, write(self->fd, buf, 1));
	EXPECT_EQ(ENOSPC, errno);
	/* read to the end of a full buffer: then end of file */
	EXPECT_EQ(LKMDEMO_CHARDEV_MIN_SIZE, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
}

TEST_F(chardev, o_nonblock_read_with_nothing_to_read_is_eagain)
{
	char c;
	int nb = open(DEV, O_RDONLY | O_NONBLOCK);

	ASSERT_LE(0, nb);
	EXPECT_EQ(-1, read(nb, &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(1, write(self->fd, "!", 1));
	EXPECT_EQ(1, read(nb, &c, 1));
	EXPECT_EQ(-1, read(nb, &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	close(nb);
}

/* In a child: wait @ms, then write @text through a file of its own. */
static pid_t write_later(int ms, const char *text)
{
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	usleep(ms * 1000);
	fd = open(DEV, O_WRONLY);
	_exit(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : 1);
}

TEST_F(chardev, a_blocking_read_waits_for_a_write)
{
	char buf[8] = "";
	int status;
	pid_t pid = write_later(300, "wake");

	ASSERT_LT(0, pid);
	EXPECT_EQ(4, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "wake", 4));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
}

static void on_signal(int sig)
{
}

TEST_F(chardev, a_signal_ends_a_blocking_read_with_eintr)
{
	/* No SA_RESTART: the interrupted read() returns EINTR. */
	struct sigaction sa = { .sa_handler = on_signal };
	pid_t parent = getpid(), pid;
	int status;
	char c;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	/* A child, not a timer: tinyconfig kernels have no POSIX timers. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		usleep(300 * 1000);
		_exit(kill(parent, SIGUSR1) ? 1 : 0);
	}
	EXPECT_EQ(-1, read(self->fd, &c, 1));
	EXPECT_EQ(EINTR, errno);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	signal(SIGUSR1, SIG_DFL);
}

TEST_F(chardev, poll_says_readable_and_writable)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN | POLLOUT };
	int ro = open(DEV, O_RDONLY);

	ASSERT_LE(0, ro);
	/* empty: writable only */
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
	ASSERT_EQ(3, write(self->fd, "abc", 3));
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN | POLLOUT, p.revents);
	/* full: readable only */
	set_size(_metadata, self->fd, LKMDEMO_CHARDEV_MIN_SIZE);
	ASSERT_EQ(LKMDEMO_CHARDEV_MIN_SIZE - 3,
		  write(self->fd, "0123456789abcdef", LKMDEMO_CHARDEV_MIN_SIZE - 3));
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN, p.revents);
	/* a file opened to read is never writable */
	p.fd = ro;
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN, p.revents);
	close(ro);
}

TEST_F(chardev, poll_wakes_when_a_write_comes)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	int status;
	pid_t pid = write_later(300, "x");

	ASSERT_LT(0, pid);
	EXPECT_EQ(1, poll(&p, 1, 10000));
	EXPECT_EQ(POLLIN, p.revents);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
}

TEST_F(chardev, set_size_keeps_the_data)
{
	char buf[8] = "";

	ASSERT_EQ(5, write(self->fd, "12345", 5));
	set_size(_metadata, self->fd, 100);
	EXPECT_EQ(100, get_size(self->fd));
	EXPECT_EQ(5, peek(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "12345", 5));
}

TEST_F(chardev, set_size_out_of_range_is_einval_and_changes_nothing)
{
	__u32 bad[] = { 0, LKMDEMO_CHARDEV_MIN_SIZE - 1,
			LKMDEMO_CHARDEV_MAX_SIZE + 1, 0xffffffff };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_CHARDEV_SET_SIZE, &bad[i]));
		EXPECT_EQ(EINVAL, errno) TH_LOG("size %u", bad[i]);
		EXPECT_EQ(self->size, get_size(self->fd));
	}
}

TEST_F(chardev, set_size_below_the_data_is_ebusy)
{
	char data[40], buf[40];
	__u32 small = LKMDEMO_CHARDEV_MIN_SIZE;

	memset(data, 'd', sizeof(data));
	ASSERT_EQ(40, write(self->fd, data, 40));
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_CHARDEV_SET_SIZE, &small));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(self->size, get_size(self->fd));
	EXPECT_EQ(40, peek(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(data, buf, 40));
}

TEST_F(chardev, clear_drops_the_data)
{
	char c;
	int nb = open(DEV, O_RDONLY | O_NONBLOCK);

	ASSERT_LE(0, nb);
	ASSERT_EQ(3, write(self->fd, "abc", 3));
	ASSERT_EQ(0, ioctl(self->fd, LKMDEMO_CHARDEV_CLEAR));
	EXPECT_EQ(0, peek(self->fd, &c, 1));
	EXPECT_EQ(-1, read(nb, &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	close(nb);
}

TEST_F(chardev, stats_count_opens_and_bytes)
{
	struct lkmdemo_chardev_stats before, after, mine;
	char buf[8];
	int other;

	ASSERT_EQ(0, ioctl(self->fd, LKMDEMO_CHARDEV_GET_STATS, &before));
	other = open(DEV, O_RDWR);
	ASSERT_LE(0, other);
	ASSERT_EQ(4, write(other, "abcd", 4));
	ASSERT_EQ(2, read(other, buf, 2));
	ASSERT_EQ(0, ioctl(self->fd, LKMDEMO_CHARDEV_GET_STATS, &after));
	ASSERT_EQ(0, ioctl(other, LKMDEMO_CHARDEV_GET_STATS, &mine));
	EXPECT_EQ(before.opens + 1, after.opens);
	EXPECT_EQ(before.bytes_written + 4, after.bytes_written);
	EXPECT_EQ(before.bytes_read + 2, after.bytes_read);
	/* each file counts its own */
	EXPECT_EQ(0, after.file_bytes_written);
	EXPECT_EQ(4, mine.file_bytes_written);
	EXPECT_EQ(2, mine.file_bytes_read);
	close(other);
}

TEST_F(chardev, peek_copies_without_moving_the_position)
{
	struct lkmdemo_chardev_peek p;
	char buf[8] = "";

	ASSERT_EQ(6, write(self->fd, "abcdef", 6));
	p = (struct lkmdemo_chardev_peek){
		.buf = (__u64)(unsigned long)buf, .offset = 2, .count = 3,
	};
	ASSERT_EQ(0, ioctl(self->fd, LKMDEMO_CHARDEV_PEEK, &p));
	EXPECT_EQ(3, p.count);
	EXPECT_EQ(0, memcmp(buf, "cde", 3));
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
	/* a count past the data is cut to it; an offset past it is refused */
	p.offset = 4;
	p.count = 100;
	ASSERT_EQ(0, ioctl(self->fd, LKMDEMO_CHARDEV_PEEK, &p));
	EXPECT_EQ(2, p.count);
	p.offset = 7;
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_CHARDEV_PEEK, &p));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(chardev, an_unknown_ioctl_is_enotty)
{
	EXPECT_EQ(-1, ioctl(self->fd, _IO(LKMDEMO_CHARDEV_IOC_MAGIC, 99)));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR('T', 1, int), self->bad));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(chardev, a_bad_pointer_is_efault_and_changes_nothing)
{
	struct lkmdemo_chardev_stats stats;
	struct lkmdemo_chardev_peek p = { .buf = (__u64)(unsigned long)self->bad, .count = 3 };
	char buf[8];

	ASSERT_EQ(3, write(self->fd, "abc", 3));
	EXPECT_EQ(-1, read(self->fd, self->bad, 3));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(-1, write(self->fd, self->bad, 3));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(3, peek(self->fd, buf, sizeof(buf)));

	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_CHARDEV_GET_SIZE, self->bad));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_CHARDEV_SET_SIZE, self->bad));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(self->size, get_size(self->fd));
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_CHARDEV_GET_STATS, self->bad));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_CHARDEV_PEEK, self->bad));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_CHARDEV_PEEK, &p));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, ioctl(self->fd, LKMDEMO_CHARDEV_GET_STATS, &stats));
	EXPECT_EQ(3, stats.file_bytes_written);
	EXPECT_EQ(0, stats.file_bytes_read);
}

/*
 * What user 65534 may do: the node's mode lets it read, and every change
 * wants CAP_SYS_ADMIN. One bit per check that failed.
 */
static int chardev_as_nobody(void *arg)
{
	__u32 *size_now = arg, size = 64;
	int fd, bad = 0;

	/* 0644: no open for writing */
	fd = open(DEV, O_WRONLY);
	bad |= !(fd == -1 && errno == EACCES) << 0;
	fd = open(DEV, O_RDONLY);
	if (fd < 0)
		return bad | 1 << 4;
	bad |= !(get_size(fd) == *size_now) << 1;
	bad |= !(ioctl(fd, LKMDEMO_CHARDEV_SET_SIZE, &size) == -1 && errno == EPERM) << 2;
	bad |= !(ioctl(fd, LKMDEMO_CHARDEV_CLEAR) == -1 && errno == EPERM) << 3;
	return bad;
}

TEST_F(chardev, a_user_who_is_not_root)
{
	char two[2];
	int bad;

	ASSERT_EQ(2, write(self->fd, "ok", 2));
	bad = as_nobody(chardev_as_nobody, &self->size);
	ASSERT_LE(0, bad) TH_LOG("no child ran to its end as user 65534");
	EXPECT_FALSE(bad & 1 << 0) TH_LOG("open(O_WRONLY) did not fail with EACCES");
	EXPECT_FALSE(bad & 1 << 1) TH_LOG("GET_SIZE did not give the size");
	EXPECT_FALSE(bad & 1 << 2) TH_LOG("SET_SIZE did not fail with EPERM");
	EXPECT_FALSE(bad & 1 << 3) TH_LOG("CLEAR did not fail with EPERM");
	EXPECT_FALSE(bad & 1 << 4) TH_LOG("open(O_RDONLY) failed");
	/* refused: nothing changed */
	EXPECT_EQ(self->size, get_size(self->fd));
	EXPECT_EQ(2, peek(self->fd, two, sizeof(two)));
}

/* .owner: while a file of the device is open, the module stays. */
TEST_F_TIMEOUT(chardev, a_module_with_an_open_file_is_not_unloaded, SLOW_TIMEOUT)
{
	if (access("/sys/module/lkmdemo_chardev/initstate", F_OK))
		SKIP(return, "lkmdemo_chardev is built in");
	EXPECT_EQ(-1, syscall(SYS_delete_module, "lkmdemo_chardev", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_EQ(0, access("/sys/module/lkmdemo_chardev/initstate", F_OK));
	EXPECT_LT(0, get_size(self->fd));
}

/*
 * Several writers and readers at once: every record written is in the
 * buffer once, whole, and every reader reads exactly what the buffer holds.
 */
#define WRITERS 4
#define READERS 2
#define RECORDS 200
#define RECLEN 10	/* "w%d r%05d\n" */

TEST_F_TIMEOUT(chardev, concurrent_writers_and_readers_lose_and_repeat_nothing, SLOW_TIMEOUT)
{
	static char all[WRITERS * RECORDS * RECLEN];
	static char seen[WRITERS][RECORDS];
	char rec[32], *got;
	pid_t pids[WRITERS + READERS];
	int i, w, r, status, fd;
	ssize_t n;
	size_t done;

	set_size(_metadata, self->fd, sizeof(all) + LKMDEMO_CHARDEV_MIN_SIZE);
	for (i = 0; i < WRITERS + READERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i])
			continue;
		if (i < WRITERS) {
			fd = open(DEV, O_WRONLY);
			for (r = 0; fd >= 0 && r < RECORDS; r++) {
				if (snprintf(rec, sizeof(rec), "w%d r%05d\n", i, r) != RECLEN ||
				    write(fd, rec, RECLEN) != RECLEN)
					_exit(1);
			}
			_exit(fd < 0);
		}
		/* a reader: everything, then compare with the buffer */
		got = malloc(sizeof(all));
		fd = open(DEV, O_RDONLY);
		for (done = 0; got && fd >= 0 && done < sizeof(all); done += n) {
			n = read(fd, got + done, sizeof(all) - done);
			if (n <= 0)
				_exit(2);
		}
		_exit(!got || fd < 0 || peek(fd, all, sizeof(all)) != sizeof(all) ||
		      memcmp(all, got, sizeof(all)) ? 3 : 0);
	}
	for (i = 0; i < WRITERS + READERS; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_EQ(0, status) TH_LOG("%s %d", i < WRITERS ? "writer" : "reader", i);
	}

	ASSERT_EQ(sizeof(all), peek(self->fd, all, sizeof(all)));
	for (i = 0; i < WRITERS * RECORDS; i++) {
		memcpy(rec, all + i * RECLEN, RECLEN);
		rec[RECLEN] = '\0';
		n = sscanf(rec, "w%d r%d\n", &w, &r);
		ASSERT_EQ(2, n) TH_LOG("record %d: %s", i, rec);
		ASSERT_TRUE(w >= 0 && w < WRITERS && r >= 0 && r < RECORDS);
		EXPECT_EQ(0, seen[w][r]) TH_LOG("w%d r%d twice", w, r);
		seen[w][r] = 1;
	}
}

TEST_HARNESS_MAIN
