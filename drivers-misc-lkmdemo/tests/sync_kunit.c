// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the rounds of lkmdemo_sync
 *
 * Each case runs rounds through lkmdemo_sync_round(), the function
 * behind the "run" file, and checks what they counted: exactly what
 * they should under every lock and with the atomics, never more without
 * one, and nothing at all for a round it must refuse.
 *
 * Built in, the suite runs during boot; as a module, modprobe
 * lkmdemo_sync_kunit runs it. Results are in the kernel log as KTAP.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "../sync.h"

/* The counts the cases try: the fewest threads, and the most. */
static const struct {
	unsigned int threads, loops;
} sizes[] = {
	{ LKMDEMO_SYNC_THREADS_MIN, 2000 },
	{ LKMDEMO_SYNC_THREADS_MAX, 500 },
	{ 3, 1 },
};

static void locks_count_every_update_once(struct kunit *test)
{
	static const char * const modes[] = {
		"mutex", "spinlock", "rwsem", "atomic", "refcount",
	};
	struct lkmdemo_sync_figures f;
	unsigned long want;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			want = (unsigned long)sizes[j].threads * sizes[j].loops;
			KUNIT_ASSERT_EQ_MSG(test, lkmdemo_sync_round(modes[i], sizes[j].threads,
								     sizes[j].loops, &f),
					    0, "%s", modes[i]);
			KUNIT_EXPECT_EQ_MSG(test, f.expected, want, "%s %u x %u", modes[i],
					    sizes[j].threads, sizes[j].loops);
			KUNIT_EXPECT_EQ_MSG(test, f.counted, want, "%s %u x %u", modes[i],
					    sizes[j].threads, sizes[j].loops);
			KUNIT_EXPECT_EQ_MSG(test, f.errors, 0, "%s %u x %u", modes[i],
					    sizes[j].threads, sizes[j].loops);
		}
	}
}

/*
 * rcu: one writer's updates, whatever the number of readers; fewer
 * updates than the list keeps, and many more.
 */
static void rcu_counts_the_writers_updates(struct kunit *test)
{
	struct lkmdemo_sync_figures f;
	size_t j;

	for (j = 0; j < ARRAY_SIZE(sizes); j++) {
		KUNIT_ASSERT_EQ(test, lkmdemo_sync_round("rcu", sizes[j].threads,
							 sizes[j].loops, &f), 0);
		KUNIT_EXPECT_EQ(test, f.expected, sizes[j].loops);
		KUNIT_EXPECT_EQ(test, f.counted, sizes[j].loops);
		KUNIT_EXPECT_EQ_MSG(test, f.errors, 0, "%u x %u", sizes[j].threads,
				    sizes[j].loops);
	}
}

/* No lock: updates may be lost, but none is ever made up. */
static void none_never_counts_too_many(struct kunit *test)
{
	struct lkmdemo_sync_figures f;

	KUNIT_ASSERT_EQ(test, lkmdemo_sync_round("none\n", 4, 5000, &f), 0);
	KUNIT_EXPECT_EQ(test, f.expected, 20000);
	KUNIT_EXPECT_LE(test, f.counted, f.expected);
	KUNIT_EXPECT_EQ(test, f.contended, 0);
}

/* A refused round returns -EINVAL and leaves the figures alone. */
static void refuses_what_it_cannot_run(struct kunit *test)
{
	static const struct {
		const char *mode;
		unsigned int threads, loops;
	} bad[] = {
		{ "mutexes", 4, 100 },
		{ "", 4, 100 },
		{ "MUTEX", 4, 100 },
		{ "mutex", LKMDEMO_SYNC_THREADS_MIN - 1, 100 },
		{ "mutex", LKMDEMO_SYNC_THREADS_MAX + 1, 100 },
		{ "mutex", 4, 0 },
		{ "mutex", 4, LKMDEMO_SYNC_LOOPS_MAX + 1 },
	};
	struct lkmdemo_sync_figures f;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&f, 0xa5, sizeof(f));
		KUNIT_EXPECT_EQ_MSG(test, lkmdemo_sync_round(bad[i].mode, bad[i].threads,
							     bad[i].loops, &f),
				    -EINVAL, "'%s' %u x %u", bad[i].mode, bad[i].threads,
				    bad[i].loops);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(&f, 0xa5, sizeof(f)),
				      "'%s' %u x %u", bad[i].mode, bad[i].threads,
				      bad[i].loops);
	}
}

static struct kunit_case lkmdemo_sync_test_cases[] = {
	KUNIT_CASE(locks_count_every_update_once),
	KUNIT_CASE(rcu_counts_the_writers_updates),
	KUNIT_CASE(none_never_counts_too_many),
	KUNIT_CASE(refuses_what_it_cannot_run),
	{}
};

static struct kunit_suite lkmdemo_sync_test_suite = {
	.name = "lkmdemo_sync",
	.test_cases = lkmdemo_sync_test_cases,
};

kunit_test_suite(lkmdemo_sync_test_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the rounds of lkmdemo_sync");
