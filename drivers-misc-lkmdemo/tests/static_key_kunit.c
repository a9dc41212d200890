// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the key of lkmdemo_static_key
 *
 * Each case switches the key through lkmdemo_static_key_set(), the
 * function behind the "enabled" parameter, and checks what changes:
 * the side lkmdemo_static_key_branch() runs, the counts behind
 * "run", and the instruction at every place the code tests the key.
 * Values and counts the module must refuse change nothing. Every case
 * leaves the key as it found it.
 *
 * Built in, the suite runs during boot; as a module, modprobe
 * lkmdemo_static_key_kunit runs it. Results are in the kernel log as
 * KTAP.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "../static_key.h"

/* The key as each case found it, set back when the case ends. */
static int static_key_test_init(struct kunit *test)
{
	struct lkmdemo_static_key_counts *c;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	lkmdemo_static_key_counts(c);
	test->priv = c;
	return 0;
}

static void static_key_test_exit(struct kunit *test)
{
	const struct lkmdemo_static_key_counts *c = test->priv;

	lkmdemo_static_key_set(c->enabled ? "1" : "0");
}

static void branch_follows_the_key(struct kunit *test)
{
	struct lkmdemo_static_key_counts before, after;

	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set("0"), 0);
	lkmdemo_static_key_counts(&before);
	KUNIT_EXPECT_FALSE(test, before.enabled);
	KUNIT_EXPECT_FALSE(test, lkmdemo_static_key_branch());
	lkmdemo_static_key_counts(&after);
	KUNIT_EXPECT_EQ(test, after.off - before.off, 1);
	KUNIT_EXPECT_EQ(test, after.on - before.on, 0);

	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set("1"), 0);
	lkmdemo_static_key_counts(&before);
	KUNIT_EXPECT_TRUE(test, before.enabled);
	KUNIT_EXPECT_TRUE(test, lkmdemo_static_key_branch());
	lkmdemo_static_key_counts(&after);
	KUNIT_EXPECT_EQ(test, after.off - before.off, 0);
	KUNIT_EXPECT_EQ(test, after.on - before.on, 1);
}

/* Every run of a round takes the side of the key, with no exception. */
static void run_counts_one_side(struct kunit *test)
{
	static const char * const states[] = { "off", "on" };
	struct lkmdemo_static_key_counts before, after;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(states); i++) {
		KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set(states[i]), 0);
		lkmdemo_static_key_counts(&before);
		KUNIT_ASSERT_EQ(test, lkmdemo_static_key_run("1000\n"), 0);
		lkmdemo_static_key_counts(&after);
		KUNIT_EXPECT_EQ_MSG(test, after.off - before.off, i ? 0 : 1000,
				    "key %s", states[i]);
		KUNIT_EXPECT_EQ_MSG(test, after.on - before.on, i ? 1000 : 0,
				    "key %s", states[i]);
	}
}

/* A switch counts once; a value the key already has counts nothing. */
static void switches_count_changes_only(struct kunit *test)
{
	struct lkmdemo_static_key_counts before, after;

	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set("n"), 0);
	lkmdemo_static_key_counts(&before);
	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set("y"), 0);
	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set("1\n"), 0);
	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set(NULL), 0);
	lkmdemo_static_key_counts(&after);
	KUNIT_EXPECT_TRUE(test, after.enabled);
	KUNIT_EXPECT_EQ(test, after.switches - before.switches, 1);

	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set("off"), 0);
	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set("0"), 0);
	lkmdemo_static_key_counts(&after);
	KUNIT_EXPECT_FALSE(test, after.enabled);
	KUNIT_EXPECT_EQ(test, after.switches - before.switches, 2);
}

/*
 * With jump labels, every site holds a nop while the key is off and a
 * jump of the same size while it is on, and the nop comes back exactly.
 */
static void code_changes_with_the_key(struct kunit *test)
{
	struct lkmdemo_static_key_site off[LKMDEMO_STATIC_KEY_SITES_MAX];
	struct lkmdemo_static_key_site on[LKMDEMO_STATIC_KEY_SITES_MAX];
	struct lkmdemo_static_key_site back[LKMDEMO_STATIC_KEY_SITES_MAX];
	int n, i;

	if (!IS_ENABLED(CONFIG_JUMP_LABEL)) {
		KUNIT_EXPECT_EQ(test, lkmdemo_static_key_sites(off, ARRAY_SIZE(off)), 0);
		kunit_skip(test, "without CONFIG_JUMP_LABEL no code is patched");
	}

	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set("0"), 0);
	n = lkmdemo_static_key_sites(off, ARRAY_SIZE(off));
	KUNIT_ASSERT_GE(test, n, 1);
	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set("1"), 0);
	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_sites(on, ARRAY_SIZE(on)), n);
	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set("0"), 0);
	KUNIT_ASSERT_EQ(test, lkmdemo_static_key_sites(back, ARRAY_SIZE(back)), n);

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_TRUE_MSG(test, off[i].size == 2 || off[i].size == 4 ||
				      off[i].size == 5, "site %d: %u bytes", i, off[i].size);
		KUNIT_EXPECT_EQ(test, on[i].offset, off[i].offset);
		KUNIT_EXPECT_EQ(test, on[i].size, off[i].size);
		KUNIT_EXPECT_FALSE(test, off[i].jump);
		KUNIT_EXPECT_TRUE(test, on[i].jump);
		KUNIT_EXPECT_FALSE(test, back[i].jump);
		KUNIT_EXPECT_NE_MSG(test, memcmp(off[i].insn, on[i].insn, off[i].size), 0,
				    "site %d: off %*ph, on %*ph", i, (int)off[i].size,
				    off[i].insn, (int)on[i].size, on[i].insn);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(off[i].insn, back[i].insn, off[i].size), 0,
				    "site %d: off %*ph, off again %*ph", i,
				    (int)off[i].size, off[i].insn, (int)back[i].size,
				    back[i].insn);
	}
}

/* A value that is not a bool returns -EINVAL and switches nothing. */
static void set_refuses_what_is_not_a_bool(struct kunit *test)
{
	static const char * const bad[] = { "2", "perhaps", "", "\n", "-1", "x" };
	struct lkmdemo_static_key_counts before, after;
	size_t i, j;

	for (j = 0; j < 2; j++) {
		KUNIT_ASSERT_EQ(test, lkmdemo_static_key_set(j ? "1" : "0"), 0);
		lkmdemo_static_key_counts(&before);
		for (i = 0; i < ARRAY_SIZE(bad); i++)
			KUNIT_EXPECT_EQ_MSG(test, lkmdemo_static_key_set(bad[i]), -EINVAL,
					    "'%s'", bad[i]);
		lkmdemo_static_key_counts(&after);
		KUNIT_EXPECT_EQ(test, after.enabled, before.enabled);
		KUNIT_EXPECT_EQ(test, after.switches, before.switches);
	}
}

/* A count out of range returns -EINVAL and runs nothing. */
static void run_refuses_bad_counts(struct kunit *test)
{
	static const char * const bad[] = {
		"0", "100001", "-1", "abc", "", "5 6", "99999999999",
	};
	struct lkmdemo_static_key_counts before, after;
	size_t i;

	lkmdemo_static_key_counts(&before);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, lkmdemo_static_key_run(bad[i]), -EINVAL,
				    "'%s'", bad[i]);
	lkmdemo_static_key_counts(&after);
	KUNIT_EXPECT_EQ(test, after.off, before.off);
	KUNIT_EXPECT_EQ(test, after.on, before.on);

	KUNIT_EXPECT_EQ(test, lkmdemo_static_key_run("100000"), 0);
	lkmdemo_static_key_counts(&after);
	KUNIT_EXPECT_EQ(test, after.off + after.on - before.off - before.on,
			LKMDEMO_STATIC_KEY_RUN_MAX);
}

static struct kunit_case lkmdemo_static_key_test_cases[] = {
	KUNIT_CASE(branch_follows_the_key),
	KUNIT_CASE(run_counts_one_side),
	KUNIT_CASE(switches_count_changes_only),
	KUNIT_CASE(code_changes_with_the_key),
	KUNIT_CASE(set_refuses_what_is_not_a_bool),
	KUNIT_CASE(run_refuses_bad_counts),
	{}
};

static struct kunit_suite lkmdemo_static_key_test_suite = {
	.name = "lkmdemo_static_key",
	.init = static_key_test_init,
	.exit = static_key_test_exit,
	.test_cases = lkmdemo_static_key_test_cases,
};

kunit_test_suite(lkmdemo_static_key_test_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the key of lkmdemo_static_key");
