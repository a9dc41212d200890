// SPDX-License-Identifier: GPL-2.0
/*
 * What a program sees of /sys/kernel/debug/lkmdemo_debugfs
 * (drivers/misc/lkmdemo/debugfs.c): each typed file's value and format,
 * writes and their refusals, the custom file "window", the modes, a user
 * who is not root, and files held open while the module is unloaded.
 *
 * Each test leaves the values as the module set them at load.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../kselftest_harness.h"
#include "lkmdemo_test.h"

#define DEBUGFS "/sys/kernel/debug"
#define DIR DEBUGFS "/lkmdemo_debugfs"
#define INITSTATE "/sys/module/lkmdemo_debugfs/initstate"
#define DEBUGFS_MAGIC 0x64626720	/* include/uapi/linux/magic.h */

static const unsigned char signature[] = {
	'L', 'K', 'M', 'D', 0x00, 0x01, 0xfe, 0xff
};

/* The whole content of @name, or -1 with errno; @buf is NUL-terminated. */
static ssize_t get(const char *name, char *buf, size_t size)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), DIR "/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* One write() of @text to @name: 0, or -1 with errno. */
static int put(const char *name, const char *text)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), DIR "/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void restore(void)
{
	char path[128];
	int fd;

	put("threshold", "100");
	put("enabled", "Y");
	put("window", "10 90");
	snprintf(path, sizeof(path), DIR "/signature");
	fd = open(path, O_WRONLY);
	if (fd >= 0) {
		pwrite(fd, signature, sizeof(signature), 0);
		close(fd);
	}
}

FIXTURE(debugfs) {
	int unused;
};

FIXTURE_SETUP(debugfs)
{
	struct statfs sfs;

	if (statfs(DEBUGFS, &sfs) || sfs.f_type != DEBUGFS_MAGIC)
		SKIP(return, "debugfs is not mounted on %s", DEBUGFS);
	if (geteuid())
		SKIP(return, "not root: debugfs is root's (mode 0700)");
	if (access(DIR, F_OK)) {
		/* A module: load it (built in, the directory is there). */
		if (system("modprobe -q lkmdemo_debugfs") || access(DIR, F_OK))
			SKIP(return, "no %s (CONFIG_LKMDEMO_DEBUGFS)", DIR);
	}
	restore();
}

FIXTURE_TEARDOWN(debugfs)
{
	if (!access(DIR, F_OK))
		restore();
}

static mode_t mode_of(const char *name)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), DIR "%s%s", *name ? "/" : "", name);
	if (stat(path, &st))
		return (mode_t)-1;
	return st.st_mode & 07777;
}

TEST_F(debugfs, the_directory_and_files_have_their_modes)
{
	EXPECT_EQ(0755, mode_of(""));
	EXPECT_EQ(0644, mode_of("threshold"));
	EXPECT_EQ(0644, mode_of("enabled"));
	EXPECT_EQ(0444, mode_of("features"));
	EXPECT_EQ(0444, mode_of("signature"));
	EXPECT_EQ(0444, mode_of("primes"));
	EXPECT_EQ(0644, mode_of("window"));
}

TEST_F(debugfs, threshold_reads_100_in_decimal)
{
	char buf[32];

	ASSERT_LT(0, get("threshold", buf, sizeof(buf)));
	EXPECT_STREQ("100\n", buf);
}

TEST_F(debugfs, enabled_reads_y)
{
	char buf[32];

	ASSERT_LT(0, get("enabled", buf, sizeof(buf)));
	EXPECT_STREQ("Y\n", buf);
}

TEST_F(debugfs, features_reads_sixteen_hex_digits)
{
	char buf[32];

	ASSERT_LT(0, get("features", buf, sizeof(buf)));
	EXPECT_STREQ("0x8000000000000001\n", buf);
}

TEST_F(debugfs, signature_reads_its_eight_bytes)
{
	char buf[32];

	ASSERT_EQ(sizeof(signature), get("signature", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, signature, sizeof(signature)));
}

TEST_F(debugfs, primes_reads_space_separated)
{
	char buf[64];

	ASSERT_LT(0, get("primes", buf, sizeof(buf)));
	EXPECT_STREQ("2 3 5 7 11 13\n", buf);
}

TEST_F(debugfs, window_reads_low_and_high)
{
	char buf[32];

	ASSERT_LT(0, get("window", buf, sizeof(buf)));
	EXPECT_STREQ("10 90\n", buf);
}

TEST_F(debugfs, threshold_takes_decimal_and_hex)
{
	char buf[32];

	ASSERT_EQ(0, put("threshold", "250\n"));
	ASSERT_LT(0, get("threshold", buf, sizeof(buf)));
	EXPECT_STREQ("250\n", buf);
	ASSERT_EQ(0, put("threshold", "0x10"));
	ASSERT_LT(0, get("threshold", buf, sizeof(buf)));
	EXPECT_STREQ("16\n", buf);
}

TEST_F(debugfs, threshold_refuses_what_is_not_a_number)
{
	static const char * const bad[] = { "abc", "-1", "12x", "" };
	char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, put("threshold", bad[i])) TH_LOG("'%s' taken", bad[i]);
		EXPECT_EQ(EINVAL, errno) TH_LOG("'%s'", bad[i]);
	}
	ASSERT_LT(0, get("threshold", buf, sizeof(buf)));
	EXPECT_STREQ("100\n", buf);
}

/* debugfs parses a u64 and stores its low 32 bits: no range check. */
TEST_F(debugfs, threshold_keeps_the_low_32_bits_of_a_bigger_number)
{
	char buf[32];

	ASSERT_EQ(0, put("threshold", "4294967297"));
	ASSERT_LT(0, get("threshold", buf, sizeof(buf)));
	EXPECT_STREQ("1\n", buf);
}

TEST_F(debugfs, enabled_takes_what_kstrtobool_takes)
{
	char buf[32];

	ASSERT_EQ(0, put("enabled", "n\n"));
	ASSERT_LT(0, get("enabled", buf, sizeof(buf)));
	EXPECT_STREQ("N\n", buf);
	ASSERT_EQ(0, put("enabled", "1"));
	ASSERT_LT(0, get("enabled", buf, sizeof(buf)));
	EXPECT_STREQ("Y\n", buf);
	ASSERT_EQ(0, put("enabled", "off"));
	ASSERT_LT(0, get("enabled", buf, sizeof(buf)));
	EXPECT_STREQ("N\n", buf);
}

/*
 * The bool file claims every byte it is given: what kstrtobool() does not
 * take is dropped without an error, and the value stays.
 */
TEST_F(debugfs, enabled_ignores_what_is_not_a_bool)
{
	char buf[32];

	EXPECT_EQ(0, put("enabled", "maybe"));
	ASSERT_LT(0, get("enabled", buf, sizeof(buf)));
	EXPECT_STREQ("Y\n", buf);
	EXPECT_EQ(0, put("enabled", "xN"));
	ASSERT_LT(0, get("enabled", buf, sizeof(buf)));
	EXPECT_STREQ("Y\n", buf);
}

/*
 * Root opens a 0444 file for writing (CAP_DAC_OVERRIDE); what refuses the
 * write is the file's code: a typed number without a setter says EACCES,
 * a file without a write method EINVAL.
 */
TEST_F(debugfs, read_only_files_refuse_writes_even_from_root)
{
	char buf[64];

	EXPECT_EQ(-1, put("features", "0x1"));
	EXPECT_EQ(EACCES, errno);
	ASSERT_LT(0, get("features", buf, sizeof(buf)));
	EXPECT_STREQ("0x8000000000000001\n", buf);

	EXPECT_EQ(-1, put("primes", "1 2 3"));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_LT(0, get("primes", buf, sizeof(buf)));
	EXPECT_STREQ("2 3 5 7 11 13\n", buf);
}

/*
 * A blob file has a write method whatever its mode (6.12 has it; 6.1 has
 * none and refuses with EINVAL), and 0444 stops all but root: the bytes
 * are written in place, never past the end.
 */
TEST_F(debugfs, a_0444_blob_is_written_in_place_by_root_or_not_at_all)
{
	int fd = open(DIR "/signature", O_WRONLY);
	char buf[32];
	ssize_t n;

	ASSERT_LE(0, fd) TH_LOG("open to write: %s", strerror(errno));
	n = write(fd, "lk", 2);
	if (n < 0) {
		EXPECT_EQ(EINVAL, errno);
		close(fd);
		ASSERT_EQ(sizeof(signature), get("signature", buf, sizeof(buf)));
		EXPECT_EQ(0, memcmp(buf, signature, sizeof(signature)));
		return;
	}
	EXPECT_EQ(2, n);
	EXPECT_EQ(6, write(fd, "0123456789", 10));	/* cut at the end */
	EXPECT_EQ(0, write(fd, "x", 1));	/* and nothing past it */
	ASSERT_EQ(sizeof(signature), get("signature", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "lk012345", 8));
	close(fd);	/* the teardown writes the bytes back */
}

TEST_F(debugfs, window_is_set_whole)
{
	char buf[32];

	ASSERT_EQ(0, put("window", "20 30\n"));
	ASSERT_LT(0, get("window", buf, sizeof(buf)));
	EXPECT_STREQ("20 30\n", buf);
	ASSERT_EQ(0, put("window", "1000 1000"));
	ASSERT_LT(0, get("window", buf, sizeof(buf)));
	EXPECT_STREQ("1000 1000\n", buf);
	ASSERT_EQ(0, put("window", "0 0"));
	ASSERT_LT(0, get("window", buf, sizeof(buf)));
	EXPECT_STREQ("0 0\n", buf);
}

TEST_F(debugfs, window_refuses_bad_input_and_changes_nothing)
{
	static const char * const bad[] = {
		"30 20",		/* low above high */
		"10 1001",		/* high above 1000 */
		"abc", "10", "10 ", " 10 20", "10  20", "10 20 30",
		"-1 5", "10,20", "0x10 20", "+10 20", "10\n 20",
		"1 00000000000000000000000000000002",	/* too long */
	};
	char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, put("window", bad[i])) TH_LOG("'%s' taken", bad[i]);
		EXPECT_EQ(EINVAL, errno) TH_LOG("'%s'", bad[i]);
	}
	ASSERT_LT(0, get("window", buf, sizeof(buf)));
	EXPECT_STREQ("10 90\n", buf);
}

TEST_F(debugfs, window_refuses_a_write_past_the_start)
{
	char buf[32];
	int fd = open(DIR "/window", O_WRONLY);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, pwrite(fd, "20 30", 5, 1));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	ASSERT_LT(0, get("window", buf, sizeof(buf)));
	EXPECT_STREQ("10 90\n", buf);
}

TEST_F(debugfs, window_reads_in_small_pieces_and_seeks)
{
	char buf[32] = "";
	int fd = open(DIR "/window", O_RDONLY);
	size_t done = 0;
	ssize_t n;

	ASSERT_LE(0, fd);
	while ((n = read(fd, buf + done, 2)) > 0)
		done += n;
	EXPECT_EQ(0, n);
	EXPECT_STREQ("10 90\n", buf);
	EXPECT_EQ(3, lseek(fd, 3, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(3, read(fd, buf, sizeof(buf)));
	EXPECT_STREQ("90\n", buf);
	close(fd);
}

/*
 * What user 65534 meets: debugfs is mounted 0700, so the walk stops at
 * its root with EACCES, whatever the files' own modes. One bit per check
 * that failed.
 */
static int debugfs_as_nobody(void *arg)
{
	struct stat st;
	int bad = 0;

	bad |= !(open(DIR "/threshold", O_RDONLY) == -1 && errno == EACCES) << 0;
	bad |= !(open(DIR "/window", O_WRONLY) == -1 && errno == EACCES) << 1;
	bad |= !(stat(DIR, &st) == -1 && errno == EACCES) << 2;
	bad |= !(open(DEBUGFS, O_RDONLY | O_DIRECTORY) == -1 && errno == EACCES) << 3;
	return bad;
}

TEST_F(debugfs, a_user_who_is_not_root_is_refused)
{
	struct stat st;
	int bad;

	ASSERT_EQ(0, stat(DEBUGFS, &st));
	if (st.st_mode & 0007)
		SKIP(return, "%s is mounted with mode %o: open to others",
		     DEBUGFS, st.st_mode & 07777);
	bad = as_nobody(debugfs_as_nobody, NULL);
	ASSERT_LE(0, bad) TH_LOG("no child ran to its end as user 65534");
	EXPECT_FALSE(bad & 1 << 0) TH_LOG("open threshold to read: not EACCES");
	EXPECT_FALSE(bad & 1 << 1) TH_LOG("open window to write: not EACCES");
	EXPECT_FALSE(bad & 1 << 2) TH_LOG("stat of the directory: not EACCES");
	EXPECT_FALSE(bad & 1 << 3) TH_LOG("open %s: not EACCES", DEBUGFS);
}

/*
 * No file of debugfs holds the module: rmmod goes through while they are
 * open, and debugfs then refuses every call on them with EIO, except the
 * u32 array, whose text was made at open and is the file's own. Before
 * 6.13 (the series' backport to 6.12 and 6.1) window is a file_operations
 * with .owner, which holds the module while it is open: rmmod is refused
 * with EWOULDBLOCK until it is closed, and the typed files go on as above.
 */
TEST_F_TIMEOUT(debugfs, files_open_at_rmmod_fail_with_eio_after_it, SLOW_TIMEOUT)
{
	int threshold, window, primes, signature, enabled, features;
	char buf[64];

	if (access(INITSTATE, F_OK))
		SKIP(return, "lkmdemo_debugfs is built in");
	threshold = open(DIR "/threshold", O_RDWR);
	window = open(DIR "/window", O_RDWR);
	primes = open(DIR "/primes", O_RDONLY);
	signature = open(DIR "/signature", O_RDONLY);
	enabled = open(DIR "/enabled", O_RDONLY);
	features = open(DIR "/features", O_RDONLY);
	ASSERT_LE(0, threshold);
	ASSERT_LE(0, window);
	ASSERT_LE(0, primes);
	ASSERT_LE(0, signature);
	ASSERT_LE(0, enabled);
	ASSERT_LE(0, features);
	ASSERT_LT(0, pread(window, buf, sizeof(buf), 0));

	if (syscall(SYS_delete_module, "lkmdemo_debugfs", O_NONBLOCK)) {
		ASSERT_EQ(EWOULDBLOCK, errno)
			TH_LOG("delete_module: %s", strerror(errno));
		TH_LOG("window holds the module (.owner): closed, rmmod again");
		ASSERT_LT(0, pread(window, buf, sizeof(buf), 0));
		close(window);
		window = -1;
		ASSERT_EQ(0, syscall(SYS_delete_module, "lkmdemo_debugfs",
				     O_NONBLOCK))
			TH_LOG("delete_module: %s", strerror(errno));
	}
	EXPECT_NE(0, access(INITSTATE, F_OK));
	EXPECT_EQ(-1, access(DIR, F_OK));
	EXPECT_EQ(ENOENT, errno);

	EXPECT_EQ(-1, read(threshold, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(-1, write(threshold, "5", 1));
	EXPECT_EQ(EIO, errno);
	if (window >= 0) {
		EXPECT_EQ(-1, pread(window, buf, sizeof(buf), 0));
		EXPECT_EQ(EIO, errno);
		EXPECT_EQ(-1, write(window, "1 2", 3));
		EXPECT_EQ(EIO, errno);
		EXPECT_EQ(-1, lseek(window, 0, SEEK_SET));
		EXPECT_EQ(EIO, errno);
	}
	EXPECT_EQ(-1, pread(signature, buf, sizeof(buf), 0));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(-1, read(enabled, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(-1, read(features, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(14, read(primes, buf, sizeof(buf) - 1));
	EXPECT_STREQ("2 3 5 7 11 13\n", buf);

	close(threshold);
	if (window >= 0)
		close(window);
	close(primes);
	close(signature);
	close(enabled);
	close(features);
	ASSERT_EQ(0, system("modprobe -q lkmdemo_debugfs"));
	EXPECT_EQ(0, access(DIR "/window", F_OK));
}

TEST_HARNESS_MAIN
