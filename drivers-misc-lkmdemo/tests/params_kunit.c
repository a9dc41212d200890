// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the range check of the lkmdemo_params "ratio" parameter
 *
 * Built in, the suite runs during boot; as a module, modprobe
 * lkmdemo_params_kunit runs it. Results are in the kernel log as KTAP.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/module.h>

#include "../params.h"

/* A value the parser never produces, to see that errors store nothing. */
#define UNTOUCHED	0xdeadbeef

static void ratio_accepts_range_bounds(struct kunit *test)
{
	unsigned int ratio = UNTOUCHED;

	KUNIT_EXPECT_EQ(test, lkmdemo_params_parse_ratio("1", &ratio), 0);
	KUNIT_EXPECT_EQ(test, ratio, LKMDEMO_PARAMS_RATIO_MIN);
	KUNIT_EXPECT_EQ(test, lkmdemo_params_parse_ratio("100", &ratio), 0);
	KUNIT_EXPECT_EQ(test, ratio, LKMDEMO_PARAMS_RATIO_MAX);
}

static void ratio_accepts_trailing_newline(struct kunit *test)
{
	unsigned int ratio = UNTOUCHED;

	/* "echo 42 > .../ratio" writes "42\n". */
	KUNIT_EXPECT_EQ(test, lkmdemo_params_parse_ratio("42\n", &ratio), 0);
	KUNIT_EXPECT_EQ(test, ratio, 42);
}

static void ratio_rejects_out_of_range(struct kunit *test)
{
	static const char * const bad[] = { "0", "101", "4294967295" };
	unsigned int ratio = UNTOUCHED;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, lkmdemo_params_parse_ratio(bad[i], &ratio),
				    -ERANGE, "value '%s'", bad[i]);
		KUNIT_EXPECT_EQ(test, ratio, UNTOUCHED);
	}
}

static void ratio_rejects_overflow(struct kunit *test)
{
	unsigned int ratio = UNTOUCHED;

	KUNIT_EXPECT_EQ(test, lkmdemo_params_parse_ratio("4294967296", &ratio),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, ratio, UNTOUCHED);
}

static void ratio_rejects_non_numbers(struct kunit *test)
{
	static const char * const bad[] = {
		"", "abc", "12abc", "-1", " 5", "5 ", "0x10", "1.5", "\n",
	};
	unsigned int ratio = UNTOUCHED;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, lkmdemo_params_parse_ratio(bad[i], &ratio),
				    -EINVAL, "value '%s'", bad[i]);
		KUNIT_EXPECT_EQ(test, ratio, UNTOUCHED);
	}
}

static struct kunit_case lkmdemo_params_test_cases[] = {
	KUNIT_CASE(ratio_accepts_range_bounds),
	KUNIT_CASE(ratio_accepts_trailing_newline),
	KUNIT_CASE(ratio_rejects_out_of_range),
	KUNIT_CASE(ratio_rejects_overflow),
	KUNIT_CASE(ratio_rejects_non_numbers),
	{}
};

static struct kunit_suite lkmdemo_params_test_suite = {
	.name = "lkmdemo_params",
	.test_cases = lkmdemo_params_test_cases,
};

kunit_test_suite(lkmdemo_params_test_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the lkmdemo_params ratio parameter");
