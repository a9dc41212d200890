// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_fifo_bench: the same bytes through pipe(2) and through
 * /dev/lkmdemo_fifo0, in the same boot, and the ratio of the two.
 *
 * Throughput: a writer process writes MIB mebibytes in writes of 4 KiB,
 * then of 64 KiB; the reader reads them in reads of 64 KiB until end of
 * file. Latency: one byte sent and one sent back, ROUNDS times, through
 * two pipes and through /dev/lkmdemo_fifo0 and /dev/lkmdemo_fifo1. With
 * two CPUs or more, the writer runs on CPU 0 and the reader on CPU 1.
 *
 * Each figure is the median of three runs, pipe and device taking turns,
 * so that a neighbour that takes the CPU for a while (a test run builds
 * kernels beside its guests) weighs on both alike.
 *
 *   lkmdemo_fifo_bench [MIB [ROUNDS]]	(default: 16 1000)
 *
 * Each figure is a line starting with "# bench: ". It is a measurement,
 * not a test: the program fails only when it cannot measure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEV0 "/dev/lkmdemo_fifo0"
#define DEV1 "/dev/lkmdemo_fifo1"
#define KIB 1024
#define MIB (1024 * 1024)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define RUNS 3

static int ncpus;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_cpu(int cpu)
{
	cpu_set_t set;

	if (ncpus < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void die(const char *what)
{
	fprintf(stderr, "lkmdemo_fifo_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A channel: pipe(2), or the device opened once for each end. */
static void channel(const char *dev, int fds[2])
{
	static char drain[4096];

	if (!dev) {
		if (pipe(fds))
			die("pipe");
		return;
	}
	/*
	 * The reader first, without waiting; then the writer finds it.
	 * What an earlier program left in the device is read first.
	 */
	fds[0] = open(dev, O_RDWR | O_NONBLOCK);
	if (fds[0] < 0)
		die(dev);
	while (read(fds[0], drain, sizeof(drain)) > 0)
		;
	close(fds[0]);
	fds[0] = open(dev, O_RDONLY | O_NONBLOCK);
	if (fds[0] < 0)
		die(dev);
	if (fcntl(fds[0], F_SETFL, 0))
		die("fcntl");
	fds[1] = open(dev, O_WRONLY);
	if (fds[1] < 0)
		die(dev);
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* MB/s (10^6 bytes a second) for @total bytes in writes of @wsize. */
static double throughput(const char *dev, size_t wsize, size_t total)
{
	static char buf[64 * KIB];
	size_t got = 0;
	double start;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	memset(buf, 'x', sizeof(buf));
	channel(dev, fds);
	start = now();
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		size_t left = total;

		close(fds[0]);
		on_cpu(0);
		while (left) {
			if (write_all(fds[1], buf, wsize))
				_exit(1);
			left -= wsize;
		}
		_exit(0);
	}
	close(fds[1]);
	on_cpu(1);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			got += n;
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid || status || got != total) {
		fprintf(stderr, "lkmdemo_fifo_bench: %s: %zu of %zu bytes\n",
			dev ? dev : "pipe", got, total);
		exit(1);
	}
	return total / (now() - start) / 1e6;
}

/* Microseconds for one byte there and one back, on average. */
static double round_trip(const char *there, const char *back, int rounds)
{
	int a[2], b[2], i, status;
	double start;
	pid_t pid;
	char c = 'x';

	channel(there, a);
	channel(back, b);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(a[1]);
		close(b[0]);
		on_cpu(1);
		while (read(a[0], &c, 1) == 1)
			if (write(b[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	on_cpu(0);
	start = now();
	for (i = 0; i < rounds; i++)
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			die("round trip");
	start = now() - start;
	close(a[1]);
	close(b[0]);
	if (waitpid(pid, &status, 0) != pid || status)
		die("the echoing child");
	return start / rounds * 1e6;
}

/* The middle one of RUNS figures. */
static double median(double *v)
{
	double t;
	int i, j;

	for (i = 1; i < RUNS; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[RUNS / 2];
}

int main(int argc, char **argv)
{
	size_t total = (argc > 1 ? atoi(argv[1]) : 16) * (size_t)MIB;
	int rounds = argc > 2 ? atoi(argv[2]) : 1000;
	static const size_t wsizes[] = { 4 * KIB, 64 * KIB };
	double p[RUNS], f[RUNS], pm, fm;
	size_t i;
	int r;

	if (!total || rounds < 1) {
		fprintf(stderr, "usage: lkmdemo_fifo_bench [MIB [ROUNDS]]\n");
		return 2;
	}
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (access(DEV0, F_OK) && system("modprobe -q lkmdemo_fifo"))
		;	/* the open below says what is missing */
	printf("# bench: lkmdemo_fifo against pipe(2): %zu MiB, medians of %d runs, %d CPU%s%s\n",
	       total / MIB, RUNS, ncpus, ncpus == 1 ? "" : "s",
	       ncpus > 1 ? ", writer on CPU 0, reader on CPU 1" : "");
	for (i = 0; i < ARRAY_SIZE(wsizes); i++) {
		for (r = 0; r < RUNS; r++) {
			p[r] = throughput(NULL, wsizes[i], total);
			f[r] = throughput(DEV0, wsizes[i], total);
		}
		pm = median(p);
		fm = median(f);
		printf("# bench: %zu KiB writes: pipe %.0f MB/s, ", wsizes[i] / KIB, pm);
		printf("lkmdemo_fifo %.0f MB/s, ratio %.2f\n", fm, fm / pm);
		fflush(stdout);
	}
	if (access(DEV1, F_OK)) {
		printf("# bench: 1-byte round trip: no %s (fifos=1)\n", DEV1);
		return 0;
	}
	for (r = 0; r < RUNS; r++) {
		p[r] = round_trip(NULL, NULL, rounds);
		f[r] = round_trip(DEV0, DEV1, rounds);
	}
	pm = median(p);
	fm = median(f);
	printf("# bench: 1-byte round trip: pipe %.1f us, lkmdemo_fifo %.1f us, ratio %.2f\n",
	       pm, fm, fm / pm);
	return 0;
}
