// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_sysfs: attributes of a kobject in sysfs
 *
 * /sys/kernel/lkmdemo_sysfs/ is a kobject with one attribute group:
 *
 *  - value   0644  a number from 0 to "limit"; writing a new one stores
 *                  it, anything else fails with EINVAL and changes
 *                  nothing;
 *  - changes 0444  how many times value has changed since the load;
 *  - limit   0444  the largest value, the module parameter of that name;
 *  - reset   0200  writing "1" sets value back to 0; anything else fails
 *                  with EINVAL.
 *
 * Every change of value calls sysfs_notify() on value and changes: a
 * program that has read one of them and waits in poll() for POLLPRI
 * wakes up. A write that leaves value as it was is no change.
 *
 * Try it:
 *
 *   modprobe lkmdemo_sysfs limit=1000
 *   cd /sys/kernel/lkmdemo_sysfs
 *   echo 42 > value; cat value changes
 *   echo 1001 > value	(Invalid argument)
 *   echo 1 > reset
 *
 * or boot a kernel with it built in and lkmdemo_sysfs.limit=1000 on the
 * command line.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/types.h>

#define DEMO_LIMIT_MIN		1
#define DEMO_LIMIT_MAX		1000000

/* 1. The largest value: a parameter checked before it is stored. */

static int limit = 100;

static int limit_set(const char *val, const struct kernel_param *kp)
{
	int new;
	int ret;

	ret = kstrtoint(val, 0, &new);
	if (ret || new < DEMO_LIMIT_MIN || new > DEMO_LIMIT_MAX) {
		pr_err("limit: '%.*s' is not a number from %d to %d\n",
		       (int)strcspn(val, "\n"), val, DEMO_LIMIT_MIN,
		       DEMO_LIMIT_MAX);
		return -EINVAL;
	}
	*(int *)kp->arg = new;
	return 0;
}

static const struct kernel_param_ops limit_ops = {
	.set = limit_set,
	.get = param_get_int,
};

/* 0444: value is checked against it, so it must not change under value. */
module_param_cb(limit, &limit_ops, &limit, 0444);
MODULE_PARM_DESC(limit, "Largest value, 1 to 1000000 (default: 100)");

/*
 * 2. The state that the attributes show and change. Names start with
 * demo_, not sysfs_: built in, sysfs_init() would be the kernel's own.
 */

static DEFINE_MUTEX(demo_lock);	/* value and changes */
static int value;
static u64 changes;

static struct kobject *demo_kobj;

/*
 * Set value to @new. A change is counted and announced: sysfs_notify()
 * wakes whoever polls value or changes. It looks the file up by name and
 * may sleep, so it is called after the lock is dropped.
 */
static void value_set(int new)
{
	bool changed;

	mutex_lock(&demo_lock);
	changed = new != value;
	if (changed) {
		value = new;
		changes++;
	}
	mutex_unlock(&demo_lock);

	if (changed) {
		sysfs_notify(demo_kobj, NULL, "value");
		sysfs_notify(demo_kobj, NULL, "changes");
	}
}

/*
 * 3. The attributes. show() fills a page with sysfs_emit(), which never
 * writes past it. store() gets what was written, NUL-terminated, with any
 * newline "echo" added, and returns the bytes it used or an error. A
 * refusal is logged, rate-limited (a loop of bad writes must not flood
 * the log), with the bytes as written, escaped (%*pE).
 */

/* value: 0644, read by anyone, written by root. */
static ssize_t value_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	int val;

	mutex_lock(&demo_lock);
	val = value;
	mutex_unlock(&demo_lock);
	return sysfs_emit(buf, "%d\n", val);
}

static ssize_t value_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	int new;

	/* kstrtoint() takes one trailing newline, no other trailing byte. */
	if (kstrtoint(buf, 10, &new) || new < 0 || new > limit) {
		pr_err_ratelimited("value: \"%*pE\" is not a number from 0 to %d\n",
				   (int)count, buf, limit);
		return -EINVAL;
	}
	value_set(new);
	return count;
}

/* changes: 0444, how many times value changed since the load. */
static ssize_t changes_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	u64 n;

	mutex_lock(&demo_lock);
	n = changes;
	mutex_unlock(&demo_lock);
	return sysfs_emit(buf, "%llu\n", n);
}

/* limit: 0444, the parameter, which does not change after the load. */
static ssize_t limit_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", limit);
}

/* reset: 0200, an action. It has no show(): there is nothing to read. */
static ssize_t reset_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	/* sysfs_streq(): "1" or "1\n", nothing else. */
	if (!sysfs_streq(buf, "1")) {
		pr_err_ratelimited("reset: \"%*pE\" is not 1\n", (int)count, buf);
		return -EINVAL;
	}
	value_set(0);
	return count;
}

static struct kobj_attribute value_attr = __ATTR_RW(value);
static struct kobj_attribute changes_attr = __ATTR_RO(changes);
static struct kobj_attribute limit_attr = __ATTR_RO(limit);
static struct kobj_attribute reset_attr = __ATTR_WO(reset);

static struct attribute *demo_attrs[] = {
	&value_attr.attr,
	&changes_attr.attr,
	&limit_attr.attr,
	&reset_attr.attr,
	NULL
};

/* No name: the files go in the kobject's own directory. */
static const struct attribute_group demo_group = {
	.attrs = demo_attrs,
};

/* 4. init and exit. */

static int __init demo_init(void)
{
	int ret;

	/* kernel_kobj is /sys/kernel; the kobject is freed by its last put. */
	demo_kobj = kobject_create_and_add(KBUILD_MODNAME, kernel_kobj);
	if (!demo_kobj)
		return -ENOMEM;

	ret = sysfs_create_group(demo_kobj, &demo_group);
	if (ret)
		goto err_put_kobj;

	pr_info("/sys/kernel/%s: value from 0 to %d\n", KBUILD_MODNAME, limit);
	return 0;

err_put_kobj:
	kobject_put(demo_kobj);
	return ret;
}
module_init(demo_init);

/*
 * Removing the directory waits for every show() and store() in progress
 * and stops new ones: a file still open stays open, but each later
 * read() or write() on it fails with ENODEV, and none reaches this
 * module's code once it is gone.
 */
static void __exit demo_exit(void)
{
	kobject_put(demo_kobj);
}
module_exit(demo_exit);

MODULE_DESCRIPTION("lkmdemo: attributes of a kobject in sysfs");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_LICENSE("GPL");
