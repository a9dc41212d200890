// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the cache of lkmdemo_slab
 *
 * Each case takes and gives back objects through lkmdemo_slab_alloc()
 * and lkmdemo_slab_free(), the functions behind the "alloc" and "free"
 * files, and reads the figures before and after: every object comes out
 * of the cache as its constructor left it, also when it was freed and
 * taken again; the constructor runs for whole slabs, not for each
 * allocation; and a count out of range is refused with nothing changed.
 * Every case gives back what it took.
 *
 * Built in, the suite runs during boot; as a module, modprobe
 * lkmdemo_slab_kunit runs it. Results are in the kernel log as KTAP.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "../slab.h"

/* How many objects a case takes at once; the default max_objects is 1000. */
#define BATCH	500

static void get_figures(struct kunit *test, struct lkmdemo_slab_figures *f)
{
	KUNIT_ASSERT_EQ(test, lkmdemo_slab_get_figures(f), 0);
}

/* Skip a case when max_objects leaves no room for a batch. */
static void need_room(struct kunit *test, const struct lkmdemo_slab_figures *f)
{
	if (f->max_objects - f->objects < BATCH)
		kunit_skip(test, "room for %lu objects, not %u (max_objects=%lu)",
			   f->max_objects - f->objects, BATCH, f->max_objects);
}

/*
 * An allocation that did not reuse an object got a new one, which the
 * constructor ran on when its slab was made: at least one run for each
 * since the cache was made. Not for each in this case: a slab made
 * before it (built in, slab.sh's) may have had slots left, constructed
 * and never handed out.
 */
static void objects_come_constructed(struct kunit *test)
{
	struct lkmdemo_slab_figures a, b;

	get_figures(test, &a);
	need_room(test, &a);
	KUNIT_ASSERT_EQ(test, lkmdemo_slab_alloc(BATCH), 0);
	get_figures(test, &b);
	KUNIT_EXPECT_EQ(test, b.objects, a.objects + BATCH);
	KUNIT_EXPECT_EQ(test, b.allocated, a.allocated + BATCH);
	KUNIT_EXPECT_EQ(test, b.errors, a.errors);
	KUNIT_EXPECT_GE(test, b.constructed, b.allocated - b.reused);
	KUNIT_EXPECT_EQ(test, lkmdemo_slab_free(BATCH), 0);
}

/*
 * Objects freed and taken again, one at a time and in batches, come
 * back as the constructor left them: the module restores that state
 * before each free, and the cache keeps it while the object is free.
 */
static void freed_objects_come_back_constructed(struct kunit *test)
{
	struct lkmdemo_slab_figures a, b;
	unsigned int i;

	get_figures(test, &a);
	need_room(test, &a);
	for (i = 0; i < 200; i++) {
		KUNIT_ASSERT_EQ(test, lkmdemo_slab_alloc(1), 0);
		KUNIT_ASSERT_EQ(test, lkmdemo_slab_free(1), 0);
	}
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_EQ(test, lkmdemo_slab_alloc(BATCH), 0);
		KUNIT_ASSERT_EQ(test, lkmdemo_slab_free(BATCH / 2), 0);
		KUNIT_ASSERT_EQ(test, lkmdemo_slab_free(BATCH / 2), 0);
	}
	get_figures(test, &b);
	KUNIT_EXPECT_EQ(test, b.objects, a.objects);
	KUNIT_EXPECT_EQ(test, b.allocated, a.allocated + 200 + 4 * BATCH);
	KUNIT_EXPECT_EQ(test, b.errors, a.errors);
	KUNIT_EXPECT_LE(test, b.reused - a.reused, b.allocated - a.allocated);
	kunit_info(test, "%lu allocations, %lu of reused objects, %lu constructor runs\n",
		   b.allocated - a.allocated, b.reused - a.reused,
		   b.constructed - a.constructed);
}

/*
 * From an empty cache (no object held, shrunk), two allocations make a
 * slab, and the constructor runs on each of its slots: more than two.
 * (Two, not one: with KFENCE, one allocation in a while comes from its
 * own pool, constructed alone.)
 */
static void constructor_runs_for_whole_slabs(struct kunit *test)
{
	struct lkmdemo_slab_figures a, b;

	get_figures(test, &a);
	if (a.objects)
		kunit_skip(test, "%lu objects are held through sysfs", a.objects);
	lkmdemo_slab_shrink();
	get_figures(test, &a);
	KUNIT_ASSERT_EQ(test, lkmdemo_slab_alloc(2), 0);
	get_figures(test, &b);
	KUNIT_EXPECT_GT(test, b.constructed - a.constructed, 2);
	KUNIT_EXPECT_EQ(test, lkmdemo_slab_free(2), 0);
}

/*
 * A refused count returns -EINVAL and changes no figure; the most the
 * room allows is taken.
 */
static void refuses_bad_counts(struct kunit *test)
{
	struct lkmdemo_slab_figures a, b;
	unsigned int room;

	get_figures(test, &a);
	if (a.objects == a.max_objects)
		kunit_skip(test, "max_objects=%lu are held", a.max_objects);
	KUNIT_ASSERT_EQ(test, lkmdemo_slab_alloc(1), 0);
	get_figures(test, &a);
	room = a.max_objects - a.objects;
	KUNIT_EXPECT_EQ(test, lkmdemo_slab_alloc(0), -EINVAL);
	KUNIT_EXPECT_EQ(test, lkmdemo_slab_alloc(room + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, lkmdemo_slab_alloc(UINT_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, lkmdemo_slab_free(0), -EINVAL);
	KUNIT_EXPECT_EQ(test, lkmdemo_slab_free(a.objects + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, lkmdemo_slab_free(UINT_MAX), -EINVAL);
	get_figures(test, &b);
	KUNIT_EXPECT_EQ(test, memcmp(&a, &b, sizeof(a)), 0);

	if (room) {
		KUNIT_EXPECT_EQ(test, lkmdemo_slab_alloc(room), 0);
		KUNIT_EXPECT_EQ(test, lkmdemo_slab_alloc(1), -EINVAL);
		get_figures(test, &b);
		KUNIT_EXPECT_EQ(test, b.objects, a.max_objects);
		KUNIT_EXPECT_EQ(test, lkmdemo_slab_free(room), 0);
	}
	KUNIT_EXPECT_EQ(test, lkmdemo_slab_free(1), 0);
}

static struct kunit_case lkmdemo_slab_test_cases[] = {
	KUNIT_CASE(objects_come_constructed),
	KUNIT_CASE(freed_objects_come_back_constructed),
	KUNIT_CASE(constructor_runs_for_whole_slabs),
	KUNIT_CASE(refuses_bad_counts),
	{}
};

static struct kunit_suite lkmdemo_slab_test_suite = {
	.name = "lkmdemo_slab",
	.test_cases = lkmdemo_slab_test_cases,
};

kunit_test_suite(lkmdemo_slab_test_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the cache of lkmdemo_slab");
