// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_slab: a cache of objects of one kind, with a constructor
 *
 * A kmem_cache hands out objects of one size from slabs: pages cut into
 * equal slots. This module makes two caches:
 *
 *   lkmdemo_slab	objects of struct slab_obj, with a constructor that
 *			puts each one in a known state when its slab is made
 *   lkmdemo_slab_plain	plain_size bytes, no constructor: the kernel may
 *			merge it into another cache of that size
 *
 * and holds objects of the first on a list, taken and given back on
 * request. Both caches show in /proc/slabinfo (a merged one under the
 * other cache's name) and in /sys/kernel/slab/, and both are destroyed
 * at unload, after every object is freed. The module's own files are in
 * /sys/kernel/lkmdemo_slab/:
 *
 *   alloc		write N: take N more objects
 *   free		write N: give back the N newest
 *   shrink		write 1: let the cache give its empty slabs back
 *   objects		how many are held
 *   allocated		allocations since load
 *   reused		of them, objects this module had freed before
 *   constructed	how many times the constructor ran
 *   errors		objects that came out not as the constructor left them
 *
 * Try it:
 *
 *   modprobe lkmdemo_slab max_objects=1000
 *   cd /sys/kernel/lkmdemo_slab
 *   echo 1 > alloc; cat objects constructed	(1, and a whole slab)
 *   grep lkmdemo_slab /proc/slabinfo
 *   ls -l /sys/kernel/slab/ | grep lkmdemo_slab
 *   echo 1 > free; echo 1 > alloc; cat reused	(1 if the same object
 *						came back)
 *   echo 2000 > alloc				(Invalid argument)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/types.h>

#include <kunit/visibility.h>

#include "slab.h"

/*
 * 1. The parameters, read at load (or at boot, built in): how many
 * objects the module may hold, and the size of the plain cache's
 * objects, which decides which cache the kernel merges it into.
 */

struct demo_range {
	const char *name;
	unsigned int *value;
	unsigned int min, max;
};

static unsigned int max_objects = 1000;
static unsigned int plain_size = 64;

static struct demo_range max_objects_range = {
	"max_objects", &max_objects, 1, LKMDEMO_SLAB_MAX_OBJECTS_MAX
};

static struct demo_range plain_size_range = {
	"plain_size", &plain_size, LKMDEMO_SLAB_PLAIN_SIZE_MIN,
	LKMDEMO_SLAB_PLAIN_SIZE_MAX
};

static int range_set(const char *val, const struct kernel_param *kp)
{
	const struct demo_range *r = kp->arg;
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < r->min || n > r->max) {
		pr_err("%s: '%.*s' is not a number from %u to %u\n",
		       r->name, (int)strcspn(val, "\n"), val, r->min, r->max);
		return -EINVAL;
	}
	*r->value = n;
	return 0;
}

static int range_get(char *buf, const struct kernel_param *kp)
{
	const struct demo_range *r = kp->arg;

	return sysfs_emit(buf, "%u\n", *r->value);
}

static const struct kernel_param_ops range_ops = {
	.set = range_set,
	.get = range_get,
};

module_param_cb(max_objects, &range_ops, &max_objects_range, 0444);
MODULE_PARM_DESC(max_objects, "Objects the module may hold, 1 to 100000 (default: 1000)");
module_param_cb(plain_size, &range_ops, &plain_size_range, 0444);
MODULE_PARM_DESC(plain_size, "Object size of the cache without a constructor, 8 to 256 bytes (default: 64)");

/*
 * 2. The objects and their constructor. The constructor does not run
 * at each allocation: the cache runs it on every slot of a slab when it
 * makes the slab, and an object freed and allocated again comes back as
 * it was freed, without the constructor. So the rule of a cache with a
 * constructor: give every object back in the state the constructor
 * leaves it in, here a list_head that is empty and an id of 0. Such a
 * cache keeps its own pointer to the next free slot outside the object,
 * and its debug checks do not poison a free object, so nothing else
 * writes to it while it is free.
 *
 * "uses" is left as it is on purpose: it counts the times an object was
 * handed out, and an object that comes back with uses above 0 is one
 * the constructor did not see again.
 */

#define LKMDEMO_SLAB_MAGIC	0x51abc70eU

struct slab_obj {
	struct list_head link;	/* on held_list while held, else empty */
	unsigned long id;	/* the allocation's number, 0 while free */
	unsigned long uses;	/* times handed out, kept across frees */
	u32 magic;		/* LKMDEMO_SLAB_MAGIC, set by the constructor */
};

static struct kmem_cache *obj_cache;
static struct kmem_cache *plain_cache;

/* Any context may make a slab: the constructor must not sleep. */
static atomic_long_t constructed;

static void slab_obj_ctor(void *p)
{
	struct slab_obj *obj = p;

	INIT_LIST_HEAD(&obj->link);
	obj->id = 0;
	obj->uses = 0;
	obj->magic = LKMDEMO_SLAB_MAGIC;
	atomic_long_inc(&constructed);
}

static bool slab_obj_is_constructed(const struct slab_obj *obj)
{
	return obj->magic == LKMDEMO_SLAB_MAGIC && list_empty(&obj->link) &&
	       !obj->id;
}

/* Back to the state the constructor left it in, then to the cache. */
static void slab_obj_put(struct slab_obj *obj)
{
	list_del_init(&obj->link);
	obj->id = 0;
	kmem_cache_free(obj_cache, obj);
}

/*
 * 3. The objects held, newest first, and the figures. objects_lock
 * protects the list and every figure but "constructed", which the
 * constructor counts wherever the cache calls it.
 */

static DEFINE_MUTEX(objects_lock);
static LIST_HEAD(held_list);
static unsigned long held;
static unsigned long allocated;
static unsigned long reused;
static unsigned long errors;
static unsigned long next_id = 1;

/* Frees every object on @list: the unwinding of an allocation, and unload. */
static void slab_obj_put_all(struct list_head *list)
{
	struct slab_obj *obj, *next;

	list_for_each_entry_safe(obj, next, list, link) {
		slab_obj_put(obj);
		cond_resched();
	}
}

/**
 * lkmdemo_slab_alloc() - take objects from the cache and hold them
 * @n: how many, from 1 to what max_objects leaves room for
 *
 * Each object must come out of the cache in the state the constructor
 * leaves it in; one that does not counts as an error. If the cache runs
 * out of memory part of the way, the objects taken so far are freed
 * again.
 *
 * Return: 0, -EINVAL for a count out of range (nothing is taken), or
 * -ENOMEM (nothing is kept).
 */
int lkmdemo_slab_alloc(unsigned int n)
{
	struct slab_obj *obj;
	LIST_HEAD(taken);
	unsigned int i;

	mutex_lock(&objects_lock);
	if (!n || n > max_objects - held) {
		pr_err("alloc: %u is not a number from 1 to %lu (%lu objects held, max_objects=%u)\n",
		       n, max_objects - held, held, max_objects);
		mutex_unlock(&objects_lock);
		return -EINVAL;
	}

	for (i = 0; i < n; i++) {
		obj = kmem_cache_alloc(obj_cache, GFP_KERNEL);
		if (!obj) {
			slab_obj_put_all(&taken);
			mutex_unlock(&objects_lock);
			pr_err("alloc: out of memory after %u of %u objects, freed them\n",
			       i, n);
			return -ENOMEM;
		}
		if (!slab_obj_is_constructed(obj)) {
			errors++;
			pr_err_ratelimited("alloc: an object is not as the constructor left it\n");
			INIT_LIST_HEAD(&obj->link);
		}
		list_add(&obj->link, &taken);
		cond_resched();
	}

	/* All taken: number them and count them, newest first. */
	list_for_each_entry_reverse(obj, &taken, link) {
		if (obj->uses)
			reused++;
		obj->uses++;
		obj->id = next_id++;
	}
	list_splice(&taken, &held_list);
	held += n;
	allocated += n;
	mutex_unlock(&objects_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_slab_alloc);

/**
 * lkmdemo_slab_free() - give the newest objects back to the cache
 * @n: how many, from 1 to the number held
 *
 * Return: 0, or -EINVAL for a count out of range (nothing is freed).
 */
int lkmdemo_slab_free(unsigned int n)
{
	struct slab_obj *obj;
	unsigned int i;

	mutex_lock(&objects_lock);
	if (!n || n > held) {
		pr_err("free: %u is not a number from 1 to %lu (the objects held)\n",
		       n, held);
		mutex_unlock(&objects_lock);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		obj = list_first_entry(&held_list, struct slab_obj, link);
		slab_obj_put(obj);
		cond_resched();
	}
	held -= n;
	mutex_unlock(&objects_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_slab_free);

/**
 * lkmdemo_slab_shrink() - give the cache's empty slabs back to the kernel
 *
 * The cache keeps free objects in per-CPU caches and empty slabs for
 * later; kmem_cache_shrink() flushes the first and frees the second, so
 * that /proc/slabinfo counts only the slabs of objects in use. The
 * constructor runs again for any slab made after.
 */
void lkmdemo_slab_shrink(void)
{
	kmem_cache_shrink(obj_cache);
}
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_slab_shrink);

/**
 * lkmdemo_slab_get_figures() - read every figure at one moment
 * @fig: where to copy them
 *
 * Return: 0, or -EINTR if a signal came while waiting for an allocation
 * or a free in progress.
 */
int lkmdemo_slab_get_figures(struct lkmdemo_slab_figures *fig)
{
	if (mutex_lock_interruptible(&objects_lock))
		return -EINTR;
	fig->objects = held;
	fig->allocated = allocated;
	fig->reused = reused;
	fig->errors = errors;
	fig->max_objects = max_objects;
	fig->constructed = atomic_long_read(&constructed);
	mutex_unlock(&objects_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_slab_get_figures);

/* 4. The files in sysfs. */

static int count_parse(const char *file, const char *buf, unsigned int *n)
{
	if (kstrtouint(buf, 0, n)) {
		pr_err("%s: '%.*s' is not a number\n", file,
		       (int)strcspn(buf, "\n"), buf);
		return -EINVAL;
	}
	return 0;
}

static ssize_t alloc_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	unsigned int n;
	int ret;

	ret = count_parse("alloc", buf, &n);
	if (!ret)
		ret = lkmdemo_slab_alloc(n);
	return ret ? ret : count;
}

static ssize_t free_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	unsigned int n;
	int ret;

	ret = count_parse("free", buf, &n);
	if (!ret)
		ret = lkmdemo_slab_free(n);
	return ret ? ret : count;
}

static ssize_t shrink_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	if (!sysfs_streq(buf, "1")) {
		pr_err("shrink: '%.*s' is not 1\n", (int)strcspn(buf, "\n"),
		       buf);
		return -EINVAL;
	}
	lkmdemo_slab_shrink();
	return count;
}

/* The figures, read under objects_lock: never half of an allocation. */
static ssize_t objects_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct lkmdemo_slab_figures fig;

	if (lkmdemo_slab_get_figures(&fig))
		return -EINTR;
	return sysfs_emit(buf, "%lu\n", fig.objects);
}

static ssize_t allocated_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct lkmdemo_slab_figures fig;

	if (lkmdemo_slab_get_figures(&fig))
		return -EINTR;
	return sysfs_emit(buf, "%lu\n", fig.allocated);
}

static ssize_t reused_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct lkmdemo_slab_figures fig;

	if (lkmdemo_slab_get_figures(&fig))
		return -EINTR;
	return sysfs_emit(buf, "%lu\n", fig.reused);
}

static ssize_t constructed_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct lkmdemo_slab_figures fig;

	if (lkmdemo_slab_get_figures(&fig))
		return -EINTR;
	return sysfs_emit(buf, "%lu\n", fig.constructed);
}

static ssize_t errors_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct lkmdemo_slab_figures fig;

	if (lkmdemo_slab_get_figures(&fig))
		return -EINTR;
	return sysfs_emit(buf, "%lu\n", fig.errors);
}

static struct kobj_attribute alloc_attr = __ATTR_WO(alloc);
static struct kobj_attribute free_attr = __ATTR_WO(free);
static struct kobj_attribute shrink_attr = __ATTR_WO(shrink);
static struct kobj_attribute objects_attr = __ATTR_RO(objects);
static struct kobj_attribute allocated_attr = __ATTR_RO(allocated);
static struct kobj_attribute reused_attr = __ATTR_RO(reused);
static struct kobj_attribute constructed_attr = __ATTR_RO(constructed);
static struct kobj_attribute errors_attr = __ATTR_RO(errors);

static struct attribute *demo_attrs[] = {
	&alloc_attr.attr,
	&free_attr.attr,
	&shrink_attr.attr,
	&objects_attr.attr,
	&allocated_attr.attr,
	&reused_attr.attr,
	&constructed_attr.attr,
	&errors_attr.attr,
	NULL
};

static const struct attribute_group demo_group = {
	.attrs = demo_attrs,
};

static struct kobject *demo_kobj;

/*
 * 5. Load and unload. The caches exist before the files that use them.
 * At unload, removing the files waits for a write in progress; then
 * every object goes back before its cache is destroyed, or the slab
 * code would report the objects left in it and keep the cache.
 */

static int __init slab_demo_init(void)
{
	struct kmem_cache_args args = {
		.ctor = slab_obj_ctor,
	};
	int ret;

	/* A cache with a constructor is never merged with another. */
	obj_cache = kmem_cache_create("lkmdemo_slab", sizeof(struct slab_obj),
				      &args, 0);
	if (!obj_cache)
		return -ENOMEM;

	/* NULL: no constructor and no alignment of its own. */
	plain_cache = kmem_cache_create("lkmdemo_slab_plain", plain_size, NULL,
					0);
	if (!plain_cache) {
		ret = -ENOMEM;
		goto err_destroy_obj_cache;
	}

	demo_kobj = kobject_create_and_add("lkmdemo_slab", kernel_kobj);
	if (!demo_kobj) {
		ret = -ENOMEM;
		goto err_destroy_plain_cache;
	}
	ret = sysfs_create_group(demo_kobj, &demo_group);
	if (ret)
		goto err_put_kobj;

	pr_info("ready: lkmdemo_slab of %zu-byte objects with a constructor, lkmdemo_slab_plain of %u-byte objects without, max_objects=%u\n",
		sizeof(struct slab_obj), plain_size, max_objects);
	return 0;

err_put_kobj:
	kobject_put(demo_kobj);
err_destroy_plain_cache:
	kmem_cache_destroy(plain_cache);
err_destroy_obj_cache:
	kmem_cache_destroy(obj_cache);
	return ret;
}
module_init(slab_demo_init);

static void __exit slab_demo_exit(void)
{
	unsigned long n;

	kobject_put(demo_kobj);
	n = held;
	slab_obj_put_all(&held_list);
	held = 0;
	kmem_cache_destroy(plain_cache);
	kmem_cache_destroy(obj_cache);
	pr_info("unloaded: freed %lu objects; the constructor ran %ld times\n",
		n, atomic_long_read(&constructed));
}
module_exit(slab_demo_exit);

MODULE_DESCRIPTION("lkmdemo: a kmem_cache with a constructor, and one the kernel may merge");
MODULE_AUTHOR("The lkmdemo developers <lkmdemo@example.org>");
MODULE_LICENSE("GPL");
