// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the parser of the lkmdemo_debugfs "window" file
 *
 * The file takes two numbers that must agree, "LOW HIGH", and sets both
 * or neither. These cases call the parser directly, with texts that a
 * program could write, without debugfs in between.
 *
 * Built in, the suite runs during boot; as a module, modprobe
 * lkmdemo_debugfs_kunit runs it. Results are in the kernel log as KTAP.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/string.h>

#include "../debugfs.h"

/* A value the parser never stores, to see that a refusal stores nothing. */
#define UNTOUCHED	0xdeadbeef

static void window_takes_two_numbers(struct kunit *test)
{
	static const struct {
		const char *line;
		unsigned int low, high;
	} good[] = {
		{ "10 90", 10, 90 },
		{ "0 0", 0, 0 },
		{ "5 5\n", 5, 5 },	/* echo's newline */
		{ "0 1000", 0, LKMDEMO_DEBUGFS_WINDOW_MAX },
		{ "1000 1000\n", 1000, 1000 },
		{ "007 010", 7, 10 },	/* base 10: 010 is ten */
	};
	unsigned int low, high;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		low = UNTOUCHED;
		high = UNTOUCHED;
		KUNIT_EXPECT_EQ_MSG(test, lkmdemo_debugfs_parse_window(good[i].line, &low, &high),
				    0, "line '%s'", good[i].line);
		KUNIT_EXPECT_EQ_MSG(test, low, good[i].low, "line '%s'", good[i].line);
		KUNIT_EXPECT_EQ_MSG(test, high, good[i].high, "line '%s'", good[i].line);
	}
}

/* Each text is refused with -EINVAL, and neither bound is stored. */
static void expect_refused(struct kunit *test, const char * const *lines,
			   size_t n)
{
	unsigned int low, high;
	size_t i;

	for (i = 0; i < n; i++) {
		low = UNTOUCHED;
		high = UNTOUCHED;
		KUNIT_EXPECT_EQ_MSG(test, lkmdemo_debugfs_parse_window(lines[i], &low, &high),
				    -EINVAL, "line '%s'", lines[i]);
		KUNIT_EXPECT_EQ_MSG(test, low, UNTOUCHED, "line '%s'", lines[i]);
		KUNIT_EXPECT_EQ_MSG(test, high, UNTOUCHED, "line '%s'", lines[i]);
	}
}

static void window_refuses_bounds_that_disagree(struct kunit *test)
{
	static const char * const bad[] = {
		"91 90",	/* LOW above HIGH */
		"0 1001",	/* HIGH above the largest */
		"1001 1001",
		"0 4294967295",
		"0 4294967296",	/* not an unsigned int at all */
	};

	expect_refused(test, bad, ARRAY_SIZE(bad));
}

static void window_refuses_what_is_not_two_numbers(struct kunit *test)
{
	static const char * const bad[] = {
		"", "\n", "10", "10\n", "10 ", " 10 90", "10  90", "10 90 ",
		"10 90\n\n", "10\t90", "10,90", "10 90 100", "-1 5", "1 5x",
		"0x10 90", "ten ninety",
		/* what kstrtouint() alone would take */
		"+10 90", "10 +90", "10\n 90",
	};

	expect_refused(test, bad, ARRAY_SIZE(bad));
}

static void window_refuses_a_text_that_does_not_fit(struct kunit *test)
{
	char line[LKMDEMO_DEBUGFS_WINDOW_TEXT + 8];
	unsigned int low = UNTOUCHED, high = UNTOUCHED;
	const char *tail = "1 2";
	size_t zeros;

	/* Leading zeros: the longest text that fits is taken ... */
	zeros = LKMDEMO_DEBUGFS_WINDOW_TEXT - 1 - strlen(tail);
	memset(line, '0', zeros);
	strscpy(line + zeros, tail, sizeof(line) - zeros);
	KUNIT_ASSERT_EQ(test, strlen(line), LKMDEMO_DEBUGFS_WINDOW_TEXT - 1);
	KUNIT_EXPECT_EQ(test, lkmdemo_debugfs_parse_window(line, &low, &high), 0);
	KUNIT_EXPECT_EQ(test, low, 1);
	KUNIT_EXPECT_EQ(test, high, 2);

	/* ... and one byte more is refused, not cut to fit. */
	low = UNTOUCHED;
	high = UNTOUCHED;
	memset(line, '0', zeros + 1);
	strscpy(line + zeros + 1, tail, sizeof(line) - zeros - 1);
	KUNIT_EXPECT_EQ(test, lkmdemo_debugfs_parse_window(line, &low, &high), -EINVAL);
	KUNIT_EXPECT_EQ(test, low, UNTOUCHED);
	KUNIT_EXPECT_EQ(test, high, UNTOUCHED);
}

static struct kunit_case lkmdemo_debugfs_test_cases[] = {
	KUNIT_CASE(window_takes_two_numbers),
	KUNIT_CASE(window_refuses_bounds_that_disagree),
	KUNIT_CASE(window_refuses_what_is_not_two_numbers),
	KUNIT_CASE(window_refuses_a_text_that_does_not_fit),
	{}
};

static struct kunit_suite lkmdemo_debugfs_test_suite = {
	.name = "lkmdemo_debugfs",
	.test_cases = lkmdemo_debugfs_test_cases,
};

kunit_test_suite(lkmdemo_debugfs_test_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the lkmdemo_debugfs window parser");
