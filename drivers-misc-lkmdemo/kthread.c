// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_kthread: kernel threads that sleep until they are woken
 *
 * At load (built in: at boot) init starts "threads" kernel threads,
 * named lkmdemo_kt/0, lkmdemo_kt/1 and so on, and waits on a completion
 * until every one of them runs. Each then sleeps on a wait
 * queue until user space wakes them all by a write to
 * /sys/kernel/lkmdemo_kthread/wake. Every thread handles every wake-up
 * exactly once, and /sys/kernel/lkmdemo_kthread/handled counts what the
 * threads handled: after N writes, N times the number of threads. At
 * unload kthread_stop() ends each thread, asleep or not.
 *
 * Try it:
 *
 *   modprobe lkmdemo_kthread threads=3
 *   ps | grep lkmdemo_kt			(three threads)
 *   cd /sys/kernel/lkmdemo_kthread
 *   echo > wake; echo > wake; cat handled	(6)
 *   rmmod lkmdemo_kthread
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/wait.h>

#define DEMO_THREADS_MAX 8

/* 1. How many threads: a parameter checked before it is stored. */

static unsigned int threads = 2;

static int threads_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < 1 || n > DEMO_THREADS_MAX) {
		pr_err("threads: '%.*s' is not a number from 1 to %d\n",
		       (int)strcspn(val, "\n"), val, DEMO_THREADS_MAX);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops threads_ops = {
	.set = threads_set,
	.get = param_get_uint,
};

/* 0444: the threads are started once, at init; a later value would lie. */
module_param_cb(threads, &threads_ops, &threads, 0444);
MODULE_PARM_DESC(threads, "How many kernel threads to start, 1 to 8 (default: 2)");

/*
 * 2. The threads. A write to "wake" adds one to wake_gen and wakes the
 * wait queue; each thread remembers the last generation it handled, so
 * it handles every wake-up once even when two come while it runs.
 */

struct demo_thread {
	struct task_struct *task;
	unsigned long seen;		/* the last wake_gen handled */
};

static struct demo_thread *demo_threads;
static unsigned int demo_nr_threads;	/* started, and to stop */
static DECLARE_COMPLETION(demo_ready);
static DECLARE_WAIT_QUEUE_HEAD(demo_wait);
static atomic_long_t wake_gen = ATOMIC_LONG_INIT(0);
static atomic_long_t handled = ATOMIC_LONG_INIT(0);

static bool demo_woken(struct demo_thread *t)
{
	return atomic_long_read(&wake_gen) != t->seen;
}

/*
 * The thread's function. kthread_stop() sets "should stop" and wakes the
 * thread, so the thread waits for either. wait_event_idle() sleeps in
 * TASK_IDLE: no signal wakes it (a kernel thread has none to take), and
 * unlike a plain uninterruptible sleep it does not count in the load
 * average or look like a hung task.
 */
static int demo_thread_fn(void *data)
{
	struct demo_thread *t = data;
	unsigned long gen;

	complete(&demo_ready);
	while (!kthread_should_stop()) {
		wait_event_idle(demo_wait, demo_woken(t) || kthread_should_stop());
		gen = atomic_long_read(&wake_gen);
		atomic_long_add(gen - t->seen, &handled);
		t->seen = gen;
	}
	return 0;
}

/*
 * kthread_stop() waits for the thread to return and gives its return
 * value. A thread stopped before it ever ran returns -EINTR without
 * running demo_thread_fn() at all: the kernel checks first.
 */
static void demo_threads_stop(void)
{
	while (demo_nr_threads)
		kthread_stop(demo_threads[--demo_nr_threads].task);
}

static int demo_threads_start(unsigned int n)
{
	struct task_struct *task;
	unsigned int i;

	demo_threads = kcalloc(n, sizeof(*demo_threads), GFP_KERNEL);
	if (!demo_threads)
		return -ENOMEM;

	for (i = 0; i < n; i++) {
		/* At most 15 characters: what ps shows of a name. */
		task = kthread_run(demo_thread_fn, &demo_threads[i],
				   "lkmdemo_kt/%u", i);
		if (IS_ERR(task)) {
			demo_threads_stop();
			kfree(demo_threads);
			return PTR_ERR(task);
		}
		demo_threads[i].task = task;
		demo_nr_threads++;
	}

	/* One complete() per thread, one wait per thread. */
	for (i = 0; i < n; i++)
		wait_for_completion(&demo_ready);
	return 0;
}

/* 3. The files in sysfs: wake (write-only) and handled (read-only). */

static ssize_t wake_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	atomic_long_inc(&wake_gen);
	wake_up_all(&demo_wait);
	return count;
}

static ssize_t handled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&handled));
}

static struct kobj_attribute wake_attr = __ATTR_WO(wake);
static struct kobj_attribute handled_attr = __ATTR_RO(handled);

static struct attribute *demo_attrs[] = {
	&wake_attr.attr,
	&handled_attr.attr,
	NULL
};

static const struct attribute_group demo_group = {
	.attrs = demo_attrs,
};

static struct kobject *demo_kobj;

/*
 * 4. Load and unload. The threads run before the files that wake them
 * exist; at unload the files go first, then the threads.
 */

static int __init kthread_demo_init(void)
{
	int ret;

	ret = demo_threads_start(threads);
	if (ret)
		return ret;

	demo_kobj = kobject_create_and_add("lkmdemo_kthread", kernel_kobj);
	if (!demo_kobj) {
		ret = -ENOMEM;
		goto err_stop;
	}
	ret = sysfs_create_group(demo_kobj, &demo_group);
	if (ret)
		goto err_put_kobj;

	pr_info("%u threads started, each asleep until woken\n", threads);
	return 0;

err_put_kobj:
	kobject_put(demo_kobj);
err_stop:
	demo_threads_stop();
	kfree(demo_threads);
	return ret;
}
module_init(kthread_demo_init);

static void __exit kthread_demo_exit(void)
{
	kobject_put(demo_kobj);
	demo_threads_stop();
	kfree(demo_threads);
	pr_info("%u threads stopped after %ld wake-ups handled\n", threads,
		atomic_long_read(&handled));
}
module_exit(kthread_demo_exit);

MODULE_DESCRIPTION("lkmdemo: kernel threads that sleep on a wait queue until woken");
MODULE_AUTHOR("The lkmdemo developers <lkmdemo@example.org>");
MODULE_LICENSE("GPL");
