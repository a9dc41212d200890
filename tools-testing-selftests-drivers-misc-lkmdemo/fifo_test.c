// SPDX-License-Identifier: GPL-2.0
/*
 * What a program sees of /dev/lkmdemo_fifo0 (drivers/misc/lkmdemo/fifo.c):
 * a device that behaves as pipe(7) and fifo(7) say a named pipe does.
 * Opens that wait for the other end, reads and writes that wait, the
 * same with O_NONBLOCK, end of file, EPIPE and SIGPIPE, poll, signals
 * (in reads, writes and opens), and several readers and writers at once.
 *
 * Every test starts and ends with the device empty and not open.
 *
 * Built in, the module takes lkmdemo_fifo.size and lkmdemo_fifo.fifos
 * from the kernel command line when they are good, else keeps its
 * defaults. A test run boots the kernel with none, with GOOD and with
 * BAD:
 * mod=lkmdemo_fifo
 * GOOD="size=4096 fifos=1"
 * BAD="size=5000 fifos=5"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../../kselftest_harness.h"
#include "lkmdemo_test.h"

#define DEV "/dev/lkmdemo_fifo0"
#define PARAMS "/sys/module/lkmdemo_fifo/parameters/"

static long read_param(const char *name)
{
	char path[128], text[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(text, sizeof(text), f))
		text[0] = '\0';
	fclose(f);
	return strtol(text, NULL, 10);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void on_signal(int sig)
{
}

/* A child that sends @sig to the parent after @ms milliseconds. */
static pid_t signal_later(int ms, int sig)
{
	pid_t parent = getpid(), pid;

	fflush(NULL);
	pid = fork();
	if (!pid) {
		usleep(ms * 1000);
		_exit(kill(parent, sig) ? 1 : 0);
	}
	return pid;
}

/* A child that opens the device with @flags after @ms and writes @text. */
static pid_t open_and_write_later(int ms, int flags, const char *text)
{
	pid_t pid;
	int fd;

	fflush(NULL);
	pid = fork();
	if (!pid) {
		usleep(ms * 1000);
		fd = open(DEV, flags);
		if (fd < 0)
			_exit(1);
		if (text && write(fd, text, strlen(text)) != (ssize_t)strlen(text))
			_exit(2);
		usleep(100 * 1000);
		close(fd);
		_exit(0);
	}
	return pid;
}

static int child_ok(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status);
}

FIXTURE(fifo) {
	long size;
};

FIXTURE_SETUP(fifo)
{
	char buf[4096];
	int fd;

	if (access(DEV, F_OK)) {
		/* A module: load it (built in, the node is there already). */
		if (system("modprobe -q lkmdemo_fifo") || access(DEV, F_OK))
			SKIP(return, "no %s (CONFIG_LKMDEMO_FIFO)", DEV);
	}
	if (geteuid())
		SKIP(return, "not root: the device is 0600");
	self->size = read_param("size");
	ASSERT_LT(0, self->size);
	/* Empty it: O_RDWR never waits, O_NONBLOCK stops at the end. */
	fd = open(DEV, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	signal(SIGPIPE, SIG_DFL);
}

FIXTURE_TEARDOWN(fifo)
{
}

/* The major number /proc/devices gives @name, or -1. */
static int major_of(const char *name)
{
	char line[128], dev[64];
	int major = -1, n;
	FILE *f = fopen("/proc/devices", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %63s", &n, dev) == 2 && !strcmp(dev, name))
			major = n;
	fclose(f);
	return major;
}

TEST_F(fifo, nodes_are_character_devices_0600_of_their_own_major)
{
	long fifos = read_param("fifos");
	int major = major_of("lkmdemo_fifo");
	char path[64];
	struct stat st;
	long i;

	ASSERT_LE(1, fifos);
	ASSERT_LT(0, major) TH_LOG("/proc/devices names lkmdemo_fifo");
	for (i = 0; i < fifos; i++) {
		snprintf(path, sizeof(path), "/dev/lkmdemo_fifo%ld", i);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		EXPECT_TRUE(S_ISCHR(st.st_mode));
		EXPECT_EQ(0600, st.st_mode & 07777);
		EXPECT_EQ(major, major(st.st_rdev));
	}
	snprintf(path, sizeof(path), "/dev/lkmdemo_fifo%ld", fifos);
	EXPECT_NE(0, access(path, F_OK)) TH_LOG("%s", path);
}

TEST_F(fifo, parameters_are_the_ones_given)
{
	long long size, fifos;

	/* Built in: the values on the command line, if they were good. */
	size = builtin_param("lkmdemo_fifo", "size", 0, 4096, 1048576, 65536);
	fifos = builtin_param("lkmdemo_fifo", "fifos", 0, 1, 4, 2);
	if (size >= 0 && (size & (size - 1)))
		size = 65536;	/* not a power of two: refused */
	if (size >= 0)
		EXPECT_EQ(size, self->size);
	if (fifos >= 0)
		EXPECT_EQ(fifos, read_param("fifos"));
}

TEST_F(fifo, what_is_written_is_read_once)
{
	char buf[16] = "";
	int fd = open(DEV, O_RDWR | O_NONBLOCK);

	ASSERT_LE(0, fd);
	EXPECT_EQ(5, write(fd, "hello", 5));
	EXPECT_EQ(3, read(fd, buf, 3));
	EXPECT_EQ(0, memcmp(buf, "hel", 3));
	EXPECT_EQ(2, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "lo", 2));
	EXPECT_EQ(-1, read(fd, buf, 1));
	EXPECT_EQ(EAGAIN, errno);
	/* A stream: no position to move. */
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	close(fd);
}

TEST_F(fifo, read_with_no_writer_is_end_of_file)
{
	char c;
	int fd = open(DEV, O_RDONLY | O_NONBLOCK);

	ASSERT_LE(0, fd) TH_LOG("O_RDONLY | O_NONBLOCK opens at once");
	EXPECT_EQ(0, read(fd, &c, 1));
	close(fd);
}

TEST_F(fifo, open_to_write_with_no_reader_is_enxio_without_waiting)
{
	EXPECT_EQ(-1, open(DEV, O_WRONLY | O_NONBLOCK));
	EXPECT_EQ(ENXIO, errno);
}

TEST_F(fifo, write_with_no_reader_is_epipe_and_sigpipe)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int rd, wr;
	sigset_t pending;

	/* A reader, so that the writer's open does not wait; then none. */
	rd = open(DEV, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, rd);
	wr = open(DEV, O_WRONLY);
	ASSERT_LE(0, wr);
	close(rd);

	/* SIGPIPE blocked: it stays pending, to be seen. */
	sigemptyset(&pending);
	sigaddset(&pending, SIGPIPE);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &pending, NULL));
	EXPECT_EQ(-1, write(wr, "x", 1));
	EXPECT_EQ(EPIPE, errno);
	sigemptyset(&pending);
	ASSERT_EQ(0, sigpending(&pending));
	EXPECT_TRUE(sigismember(&pending, SIGPIPE));
	/* Taken, with a handler, so that it ends nothing. */
	ASSERT_EQ(0, sigaction(SIGPIPE, &sa, NULL));
	sigemptyset(&pending);
	sigaddset(&pending, SIGPIPE);
	ASSERT_EQ(0, sigprocmask(SIG_UNBLOCK, &pending, NULL));
	close(wr);
}

TEST_F(fifo, a_full_device_takes_short_writes_whole_or_not_at_all)
{
	char *buf = calloc(1, self->size);
	int fd = open(DEV, O_RDWR | O_NONBLOCK);

	ASSERT_TRUE(!!buf);
	ASSERT_LE(0, fd);
	/* It holds exactly "size" bytes. */
	EXPECT_EQ(self->size, write(fd, buf, self->size));
	EXPECT_EQ(-1, write(fd, buf, 1));
	EXPECT_EQ(EAGAIN, errno);
	/* 100 bytes of room: PIPE_BUF bytes wait for room for all of them ... */
	EXPECT_EQ(100, read(fd, buf, 100));
	EXPECT_EQ(-1, write(fd, buf, PIPE_BUF));
	EXPECT_EQ(EAGAIN, errno);
	/* ... a longer write takes what fits. */
	EXPECT_EQ(100, write(fd, buf, PIPE_BUF + 1));
	close(fd);
	free(buf);
}

TEST_F(fifo, poll_says_readable_writable_hangup_and_error)
{
	struct pollfd r = { .events = POLLIN }, w = { .events = POLLOUT };
	char c;

	r.fd = open(DEV, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r.fd);
	w.fd = open(DEV, O_WRONLY);
	ASSERT_LE(0, w.fd);

	EXPECT_EQ(0, poll(&r, 1, 0)) TH_LOG("empty, with a writer: nothing");
	EXPECT_EQ(1, poll(&w, 1, 0));
	EXPECT_EQ(POLLOUT, w.revents);
	EXPECT_EQ(1, write(w.fd, "x", 1));
	EXPECT_EQ(1, poll(&r, 1, 0));
	EXPECT_EQ(POLLIN, r.revents);

	close(w.fd);
	EXPECT_EQ(1, poll(&r, 1, 0));
	EXPECT_EQ(POLLIN | POLLHUP, r.revents) TH_LOG("a byte left, no writer");
	EXPECT_EQ(1, read(r.fd, &c, 1));
	EXPECT_EQ(1, poll(&r, 1, 0));
	EXPECT_EQ(POLLHUP, r.revents) TH_LOG("empty, no writer");

	w.fd = open(DEV, O_WRONLY);
	ASSERT_LE(0, w.fd);
	close(r.fd);
	EXPECT_EQ(1, poll(&w, 1, 0));
	EXPECT_EQ(POLLOUT | POLLERR, w.revents) TH_LOG("no reader");
	close(w.fd);
}

TEST_F_TIMEOUT(fifo, an_open_to_read_waits_for_a_writer, SLOW_TIMEOUT)
{
	/*
	 * The clock is read before the fork, where the child's 300 ms
	 * start: read after it, on a CPU that stalls for 100 ms (a busy
	 * host under QEMU), it starts late and the wait looks short.
	 */
	long long start = now_ms();
	pid_t pid = open_and_write_later(300, O_WRONLY, "hi");
	char buf[4] = "";
	int fd;

	ASSERT_LT(0, pid);
	fd = open(DEV, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_LE(250, now_ms() - start) TH_LOG("open returned before the writer came");
	EXPECT_EQ(2, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hi", 2));
	/* The writer closes: end of file. */
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	close(fd);
	EXPECT_TRUE(child_ok(pid));
}

TEST_F_TIMEOUT(fifo, an_open_to_write_waits_for_a_reader, SLOW_TIMEOUT)
{
	long long start = now_ms();
	pid_t pid = open_and_write_later(300, O_RDONLY, NULL);
	int fd;

	ASSERT_LT(0, pid);
	fd = open(DEV, O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_LE(250, now_ms() - start) TH_LOG("open returned before the reader came");
	close(fd);
	EXPECT_TRUE(child_ok(pid));
}

TEST_F_TIMEOUT(fifo, a_blocking_read_waits_for_a_write, SLOW_TIMEOUT)
{
	int fd = open(DEV, O_RDWR);
	long long start = now_ms();
	pid_t pid = open_and_write_later(300, O_WRONLY, "wake");
	char buf[8] = "";

	ASSERT_LE(0, fd);
	ASSERT_LT(0, pid);
	EXPECT_EQ(4, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "wake", 4));
	EXPECT_LE(250, now_ms() - start);
	close(fd);
	EXPECT_TRUE(child_ok(pid));
}

TEST_F_TIMEOUT(fifo, a_signal_ends_a_blocking_read_with_eintr, SLOW_TIMEOUT)
{
	/* No SA_RESTART: the interrupted read() fails with EINTR. */
	struct sigaction sa = { .sa_handler = on_signal };
	int fd = open(DEV, O_RDWR);
	pid_t pid;
	char c;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	/* A child, not a timer: tinyconfig kernels have no POSIX timers. */
	pid = signal_later(300, SIGUSR1);
	ASSERT_LT(0, pid);
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(EINTR, errno);
	EXPECT_TRUE(child_ok(pid));
	signal(SIGUSR1, SIG_DFL);
	close(fd);
}

TEST_F_TIMEOUT(fifo, sa_restart_restarts_a_blocking_read, SLOW_TIMEOUT)
{
	/* SA_RESTART: the read goes on after the handler, as on a pipe. */
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	int fd = open(DEV, O_RDWR);
	pid_t sig, wr;
	char buf[8] = "";

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	sig = signal_later(200, SIGUSR1);
	wr = open_and_write_later(600, O_WRONLY, "late");
	ASSERT_LT(0, sig);
	ASSERT_LT(0, wr);
	EXPECT_EQ(4, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "late", 4));
	EXPECT_TRUE(child_ok(sig));
	EXPECT_TRUE(child_ok(wr));
	signal(SIGUSR1, SIG_DFL);
	close(fd);
}

TEST_F_TIMEOUT(fifo, a_signal_cuts_a_long_write_short, SLOW_TIMEOUT)
{
	struct sigaction sa = { .sa_handler = on_signal };
	size_t len = self->size + 4 * PIPE_BUF;
	char *buf = calloc(1, len);
	int fd = open(DEV, O_RDWR);
	pid_t pid;

	ASSERT_TRUE(!!buf);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	/* 10 bytes of room: the write puts them in, then waits for more. */
	ASSERT_EQ(self->size - 10, write(fd, buf, self->size - 10));
	pid = signal_later(300, SIGUSR1);
	ASSERT_LT(0, pid);
	EXPECT_EQ(10, write(fd, buf, len)) TH_LOG("what went in before the signal");
	EXPECT_TRUE(child_ok(pid));
	signal(SIGUSR1, SIG_DFL);
	close(fd);
	free(buf);
}

/*
 * fifo(7): an open for reading goes on when a writer opened while it
 * waited, even if that writer has closed again before the open looks.
 * The child makes sure of that order: it runs on the parent's CPU
 * under SCHED_FIFO, which the woken parent cannot preempt, so it opens
 * and closes before the parent runs again. It tries to open only once
 * the parent's open has counted its reader (O_WRONLY | O_NONBLOCK fails
 * with ENXIO until then). A SIGUSR1 after 20 s ends an open that
 * missed it.
 */
TEST_F_TIMEOUT(fifo, an_open_to_read_goes_on_after_a_writer_came_and_went, SLOW_TIMEOUT)
{
	struct sched_param rt = { .sched_priority = 1 };
	struct sigaction sa = { .sa_handler = on_signal };
	pid_t pid, guard;
	cpu_set_t one;
	char c;
	int fd;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	fflush(NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (sched_setscheduler(0, SCHED_FIFO, &rt))
			_exit(1);
		while ((fd = open(DEV, O_WRONLY | O_NONBLOCK)) < 0) {
			if (errno != ENXIO)
				_exit(2);
			usleep(10 * 1000);
		}
		close(fd);
		_exit(0);
	}
	guard = signal_later(20000, SIGUSR1);
	ASSERT_LT(0, guard);
	fd = open(DEV, O_RDONLY);
	EXPECT_LE(0, fd) TH_LOG("open: %s (EINTR: it missed the writer)", strerror(errno));
	kill(guard, SIGKILL);
	waitpid(guard, NULL, 0);
	EXPECT_TRUE(child_ok(pid)) TH_LOG("the writer opened and closed");
	if (fd >= 0) {
		EXPECT_EQ(0, read(fd, &c, 1)) TH_LOG("no writer now: end of file");
		close(fd);
	}
	signal(SIGUSR1, SIG_DFL);
}

/*
 * A signal ends an open that waits for the other end, with EINTR (no
 * SA_RESTART), and the open counts for nothing after it: a reader that
 * gave up does not let a writer open with O_NONBLOCK, a writer that
 * gave up does not keep a reader from its end of file.
 */
TEST_F_TIMEOUT(fifo, a_signal_ends_a_waiting_open_which_then_counts_for_nothing, SLOW_TIMEOUT)
{
	struct sigaction sa = { .sa_handler = on_signal };
	pid_t pid;
	char c;
	int fd;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));

	pid = signal_later(300, SIGUSR1);
	ASSERT_LT(0, pid);
	EXPECT_EQ(-1, open(DEV, O_RDONLY)) TH_LOG("a reader with no writer waits");
	EXPECT_EQ(EINTR, errno);
	EXPECT_TRUE(child_ok(pid));
	EXPECT_EQ(-1, open(DEV, O_WRONLY | O_NONBLOCK)) TH_LOG("the reader is not counted");
	EXPECT_EQ(ENXIO, errno);

	pid = signal_later(300, SIGUSR1);
	ASSERT_LT(0, pid);
	EXPECT_EQ(-1, open(DEV, O_WRONLY)) TH_LOG("a writer with no reader waits");
	EXPECT_EQ(EINTR, errno);
	EXPECT_TRUE(child_ok(pid));
	fd = open(DEV, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, read(fd, &c, 1)) TH_LOG("the writer is not counted: end of file");
	close(fd);
	signal(SIGUSR1, SIG_DFL);
}

/*
 * Wait until @pid sleeps (its state in /proc is S), for 20 s at most:
 * a child that is to wake its parent, and so must not act before the
 * parent waits. Returns 0 once it does.
 */
static int wait_asleep(pid_t pid)
{
	char path[64], line[512], *p;
	int i, n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 2000; i++) {
		f = fopen(path, "r");
		if (!f)
			return -1;
		n = fread(line, 1, sizeof(line) - 1, f);
		fclose(f);
		line[n > 0 ? n : 0] = '\0';
		/* "pid (comm) S ...": the comm may hold spaces and parentheses. */
		p = strrchr(line, ')');
		if (p && p[1] == ' ' && p[2] == 'S')
			return 0;
		usleep(10 * 1000);
	}
	return -1;
}

/*
 * A child that opens the device to read, says so on @ready, and closes
 * it once the parent, having said "w" on @go, sleeps.
 */
static pid_t read_end_until_writer_waits(int ready, int go)
{
	pid_t parent = getpid(), pid;
	char c;
	int fd;

	fflush(NULL);
	pid = fork();
	if (!pid) {
		fd = open(DEV, O_RDONLY | O_NONBLOCK);
		if (fd < 0 || write(ready, "r", 1) != 1)
			_exit(1);
		if (read(go, &c, 1) != 1 || wait_asleep(parent))
			_exit(2);
		close(fd);
		_exit(0);
	}
	return pid;
}

/* A writer waiting for room gets EPIPE (and SIGPIPE) when the last reader goes. */
TEST_F_TIMEOUT(fifo, a_writer_waiting_for_room_gets_epipe_when_the_last_reader_closes, SLOW_TIMEOUT)
{
	char *buf = calloc(1, self->size);
	int fd, ready[2], go[2];
	sigset_t pipe_sig;
	pid_t pid;
	char c;

	ASSERT_TRUE(!!buf);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	pid = read_end_until_writer_waits(ready[1], go[0]);
	ASSERT_LT(0, pid);
	ASSERT_EQ(1, read(ready[0], &c, 1)) TH_LOG("the reader opened it");
	fd = open(DEV, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(self->size, write(fd, buf, self->size));
	/* SIGPIPE blocked, so that it does not end the test. */
	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &pipe_sig, NULL));
	ASSERT_EQ(1, write(go[1], "w", 1));
	EXPECT_EQ(-1, write(fd, "x", 1)) TH_LOG("full: it waits, then has no reader");
	EXPECT_EQ(EPIPE, errno);
	EXPECT_TRUE(child_ok(pid)) TH_LOG("the reader saw the writer wait, and closed");
	close(fd);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	free(buf);
}

/*
 * A child that, once the parent sleeps, opens the device to write and
 * writes a byte (@to_write), or to read and reads PIPE_BUF bytes; then
 * keeps it open until the parent closes @hold's write end, so that only
 * the write or the read can have woken the parent, not the close.
 */
static pid_t when_asleep(bool to_write, int hold[2])
{
	pid_t parent = getpid(), pid;
	char buf[PIPE_BUF];
	ssize_t n;
	int fd;

	fflush(NULL);
	pid = fork();
	if (!pid) {
		close(hold[1]);
		if (wait_asleep(parent))
			_exit(1);
		fd = open(DEV, to_write ? O_WRONLY : O_RDONLY | O_NONBLOCK);
		if (fd < 0)
			_exit(2);
		n = to_write ? write(fd, "x", 1) : read(fd, buf, sizeof(buf));
		if (n != (to_write ? 1 : (ssize_t)sizeof(buf)))
			_exit(3);
		/* 0: the parent closed it; the device closes as the child ends. */
		_exit(read(hold[0], buf, 1) ? 4 : 0);
	}
	return pid;
}

/*
 * poll() @pfd with a timeout while a when_asleep() child writes a byte
 * (@to_write) or reads PIPE_BUF bytes: it must be woken by that, and
 * see its event. At its timeout poll() looks once more, and would find
 * the byte or the room even if nothing had woken it, so it must return
 * long before.
 */
static void poll_woken_by(struct __test_metadata *_metadata,
			  struct pollfd *pfd, bool to_write)
{
	const char *what = to_write ? "write" : "read";
	long long start;
	int hold[2];
	pid_t pid;

	ASSERT_EQ(0, pipe(hold));
	pid = when_asleep(to_write, hold);
	ASSERT_LT(0, pid);
	start = now_ms();
	EXPECT_EQ(1, poll(pfd, 1, 20000));
	EXPECT_EQ(pfd->events, pfd->revents);
	EXPECT_GT(10000, now_ms() - start) TH_LOG("the %s did not wake it", what);
	close(hold[1]);
	close(hold[0]);
	EXPECT_TRUE(child_ok(pid)) TH_LOG("the child saw the poll sleep, and did its %s", what);
}

/* poll() with a timeout sleeps until a write gives bytes, or a read room. */
TEST_F_TIMEOUT(fifo, poll_sleeps_until_there_are_bytes_or_room, SLOW_TIMEOUT)
{
	struct pollfd r = { .events = POLLIN }, w = { .events = POLLOUT };
	char *buf = calloc(1, self->size);

	ASSERT_TRUE(!!buf);
	r.fd = open(DEV, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r.fd);
	w.fd = open(DEV, O_WRONLY);
	ASSERT_LE(0, w.fd);

	poll_woken_by(_metadata, &r, true);
	EXPECT_EQ(1, read(r.fd, buf, self->size));

	ASSERT_EQ(self->size, write(w.fd, buf, self->size));
	EXPECT_EQ(0, poll(&w, 1, 0)) TH_LOG("full: no room");
	poll_woken_by(_metadata, &w, false);
	close(w.fd);
	close(r.fd);
	free(buf);
}

/*
 * Writers write records of 12 bytes (writer, number, and the number's
 * complement), each whole since it is less than PIPE_BUF; readers read
 * 8 records at most at a time. The readers start late, so that the
 * writers fill the device and then write into less room than a record:
 * 12 does not divide the device's size, and a record written in parts
 * would come out cut, which a reader would see. Every record must be
 * read exactly once, and each reader must see each writer's records in
 * order. The test holds the device open for reading and writing until
 * every child has it open and the writers are done, so that no open
 * waits; then it closes it, and the readers end at end of file once
 * the device is empty.
 */
#define WRITERS 3
#define READERS 3
#define RECORDS 2000
#define RECLEN 12

static int reader(int ready, uint32_t (*seen)[RECORDS])
{
	uint32_t rec[3 * 8], last[WRITERS];
	int fd = open(DEV, O_RDONLY), bad = 0, w, n;
	ssize_t got;

	if (fd < 0 || write(ready, "r", 1) != 1)
		return 1;
	usleep(300 * 1000);
	for (w = 0; w < WRITERS; w++)
		last[w] = UINT32_MAX;
	while ((got = read(fd, rec, sizeof(rec))) > 0) {
		if (got % RECLEN)
			return 3;	/* a record cut in two */
		for (n = 0; n < got / 4; n += 3) {
			w = rec[n];
			if (w >= WRITERS || rec[n + 1] >= RECORDS || rec[n + 2] != ~rec[n + 1])
				return 4;	/* not a record: parts mixed */
			if (last[w] != UINT32_MAX && rec[n + 1] <= last[w])
				bad = 1;	/* out of order */
			last[w] = rec[n + 1];
			__atomic_fetch_add(&seen[w][rec[n + 1]], 1, __ATOMIC_RELAXED);
		}
	}
	return got < 0 ? 5 : bad ? 6 : 0;
}

static int writer(int id)
{
	int fd = open(DEV, O_WRONLY), j;
	uint32_t rec[3];

	if (fd < 0)
		return 1;
	for (j = 0; j < RECORDS; j++) {
		rec[0] = id;
		rec[1] = j;
		rec[2] = ~j;
		if (write(fd, rec, RECLEN) != RECLEN)
			return 2;
	}
	return 0;
}

TEST_F_TIMEOUT(fifo, several_readers_and_writers_lose_and_repeat_nothing, SLOW_TIMEOUT)
{
	size_t len = sizeof(uint32_t) * WRITERS * RECORDS;
	uint32_t (*seen)[RECORDS];
	pid_t pids[WRITERS + READERS];
	int i, j, keep, ready[2];
	char c;

	seen = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(seen != MAP_FAILED);
	keep = open(DEV, O_RDWR);
	ASSERT_LE(0, keep);
	ASSERT_EQ(0, pipe(ready));
	fflush(NULL);
	for (i = 0; i < WRITERS + READERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			close(keep);
			_exit(i < WRITERS ? writer(i) : reader(ready[1], seen));
		}
	}
	for (i = 0; i < WRITERS; i++)
		EXPECT_TRUE(child_ok(pids[i])) TH_LOG("writer %d", i);
	for (i = 0; i < READERS; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1)) TH_LOG("a reader opened it");
	close(ready[0]);
	close(ready[1]);
	close(keep);
	for (i = WRITERS; i < WRITERS + READERS; i++)
		EXPECT_TRUE(child_ok(pids[i])) TH_LOG("reader %d", i - WRITERS);
	for (i = 0; i < WRITERS; i++)
		for (j = 0; j < RECORDS; j++)
			if (seen[i][j] != 1) {
				EXPECT_EQ(1, seen[i][j]) TH_LOG("writer %d record %d", i, j);
				break;
			}
	munmap(seen, len);
}

TEST_HARNESS_MAIN
