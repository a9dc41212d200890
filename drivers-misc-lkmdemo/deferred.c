// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_deferred: work done later, by timers and workqueues
 *
 * From load to unload four jobs run again and again, each counting its
 * runs:
 *
 *  - a timer_list, every timer_ms milliseconds, in softirq context;
 *  - an hrtimer, every hrtimer_us microseconds, in hard interrupt
 *    context, with a resolution finer than a jiffy;
 *  - delayed work on a workqueue of the module's own, every work_ms
 *    milliseconds, in process context (it may sleep);
 *  - delayed work on the kernel's system_percpu_wq, likewise.
 *
 * Each job arms itself again at the end of its run, reading its period
 * then: a period written to /sys/module/lkmdemo_deferred/parameters/ is
 * taken at the next run. At unload each is stopped with the call that
 * waits for a run in progress and keeps the job from arming itself again
 * (timer_shutdown_sync(), hrtimer_cancel(), cancel_delayed_work_sync()),
 * and only then is the workqueue destroyed: nothing runs after the
 * module's code is gone.
 *
 * The counts are read-only files in /sys/kernel/lkmdemo_deferred/:
 * timer, hrtimer, work and system_work.
 *
 * Try it:
 *
 *   modprobe lkmdemo_deferred timer_ms=10
 *   cd /sys/kernel/lkmdemo_deferred
 *   cat timer; sleep 1; cat timer		(some 100 more)
 *   echo 1000 > /sys/module/lkmdemo_deferred/parameters/timer_ms
 *   echo 0 > /sys/module/lkmdemo_deferred/parameters/timer_ms
 *						(Invalid argument)
 *
 * or boot a kernel with it built in and lkmdemo_deferred.timer_ms=10 on
 * the command line.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/hrtimer.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

/*
 * 1. The periods: parameters checked before they are stored. The jobs
 * read them while a write may store a new one, so both sides use
 * READ_ONCE()/WRITE_ONCE(): a whole value, read once per run.
 */

struct demo_period {
	const char *name;
	unsigned int value;
	unsigned int min;
	unsigned int max;
};

static struct demo_period timer_period = {
	.name = "timer_ms", .value = 100, .min = 1, .max = 10000,
};

static struct demo_period hrtimer_period = {
	.name = "hrtimer_us", .value = 10000, .min = 1000, .max = 10000000,
};

static struct demo_period work_period = {
	.name = "work_ms", .value = 100, .min = 1, .max = 10000,
};

static int period_set(const char *val, const struct kernel_param *kp)
{
	struct demo_period *period = kp->arg;
	unsigned int new;

	if (kstrtouint(val, 0, &new) || new < period->min ||
	    new > period->max) {
		pr_err("%s: '%.*s' is not a number from %u to %u\n",
		       period->name, (int)strcspn(val, "\n"), val,
		       period->min, period->max);
		return -EINVAL;
	}
	WRITE_ONCE(period->value, new);
	return 0;
}

static int period_get(char *buffer, const struct kernel_param *kp)
{
	const struct demo_period *period = kp->arg;

	return scnprintf(buffer, PAGE_SIZE, "%u\n", READ_ONCE(period->value));
}

static const struct kernel_param_ops period_ops = {
	.set = period_set,
	.get = period_get,
};

module_param_cb(timer_ms, &period_ops, &timer_period, 0644);
MODULE_PARM_DESC(timer_ms, "Period of the timer_list, 1 to 10000 ms (default: 100)");
module_param_cb(hrtimer_us, &period_ops, &hrtimer_period, 0644);
MODULE_PARM_DESC(hrtimer_us, "Period of the hrtimer, 1000 to 10000000 us (default: 10000)");
module_param_cb(work_ms, &period_ops, &work_period, 0644);
MODULE_PARM_DESC(work_ms, "Period of both delayed works, 1 to 10000 ms (default: 100)");

/*
 * 2. The jobs. Each callback is given a pointer to its timer or work
 * item and finds the structure around it with container_of() (for a
 * timer_list: timer_container_of()). Each count has one writer, the
 * job's own callback, which never runs twice at once; atomic_long_t
 * lets sysfs read it whole on a 32-bit kernel too.
 */

struct demo_jobs {
	struct timer_list timer;
	struct hrtimer hrtimer;
	struct delayed_work work;		/* on demo_wq */
	struct delayed_work system_work;	/* on system_percpu_wq */
	atomic_long_t timer_runs;
	atomic_long_t hrtimer_runs;
	atomic_long_t work_runs;
	atomic_long_t system_work_runs;
};

static struct demo_jobs jobs;
static struct workqueue_struct *demo_wq;

/* hrtimer_us in nanoseconds: in 64 bits, as 10 s does not fit in 32. */
static ktime_t hrtimer_period_ktime(void)
{
	u64 us = READ_ONCE(hrtimer_period.value);

	return ns_to_ktime(us * NSEC_PER_USEC);
}

/* Softirq context: it must not sleep. */
static void demo_timer_fn(struct timer_list *t)
{
	struct demo_jobs *j = timer_container_of(j, t, timer);

	atomic_long_inc(&j->timer_runs);
	mod_timer(&j->timer, jiffies +
		  msecs_to_jiffies(READ_ONCE(timer_period.value)));
}

/*
 * Hard interrupt context. hrtimer_forward_now() moves the expiry past
 * now by whole periods (a late run does not make the next ones early),
 * and HRTIMER_RESTART arms the timer again.
 */
static enum hrtimer_restart demo_hrtimer_fn(struct hrtimer *t)
{
	struct demo_jobs *j = container_of(t, struct demo_jobs, hrtimer);

	atomic_long_inc(&j->hrtimer_runs);
	hrtimer_forward_now(t, hrtimer_period_ktime());
	return HRTIMER_RESTART;
}

/* Process context: a worker thread of demo_wq runs it. */
static void demo_work_fn(struct work_struct *w)
{
	struct demo_jobs *j = container_of(to_delayed_work(w),
					   struct demo_jobs, work);

	atomic_long_inc(&j->work_runs);
	queue_delayed_work(demo_wq, &j->work,
			   msecs_to_jiffies(READ_ONCE(work_period.value)));
}

/* Process context too, on a workqueue that every driver shares. */
static void demo_system_work_fn(struct work_struct *w)
{
	struct demo_jobs *j = container_of(to_delayed_work(w),
					   struct demo_jobs, system_work);

	atomic_long_inc(&j->system_work_runs);
	queue_delayed_work(system_percpu_wq, &j->system_work,
			   msecs_to_jiffies(READ_ONCE(work_period.value)));
}

static void demo_jobs_start(struct demo_jobs *j)
{
	timer_setup(&j->timer, demo_timer_fn, 0);
	mod_timer(&j->timer, jiffies +
		  msecs_to_jiffies(READ_ONCE(timer_period.value)));

	hrtimer_setup(&j->hrtimer, demo_hrtimer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL);
	hrtimer_start(&j->hrtimer, hrtimer_period_ktime(), HRTIMER_MODE_REL);

	INIT_DELAYED_WORK(&j->work, demo_work_fn);
	queue_delayed_work(demo_wq, &j->work,
			   msecs_to_jiffies(READ_ONCE(work_period.value)));

	INIT_DELAYED_WORK(&j->system_work, demo_system_work_fn);
	queue_delayed_work(system_percpu_wq, &j->system_work,
			   msecs_to_jiffies(READ_ONCE(work_period.value)));
}

/*
 * Each job arms itself again, so each is stopped by a call that is made
 * for that: it waits for a callback that is running and leaves nothing
 * armed, even when the callback arms the job as it ends. A bare
 * timer_delete() or cancel_delayed_work() would return while a run is
 * still going, and that run would arm the job again.
 */
static void demo_jobs_stop(struct demo_jobs *j)
{
	timer_shutdown_sync(&j->timer);
	hrtimer_cancel(&j->hrtimer);
	cancel_delayed_work_sync(&j->work);
	cancel_delayed_work_sync(&j->system_work);
}

/* 3. The counts in sysfs, read-only. */

static ssize_t demo_show_runs(char *buf, atomic_long_t *runs)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(runs));
}

static ssize_t timer_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return demo_show_runs(buf, &jobs.timer_runs);
}

static ssize_t hrtimer_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return demo_show_runs(buf, &jobs.hrtimer_runs);
}

static ssize_t work_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return demo_show_runs(buf, &jobs.work_runs);
}

static ssize_t system_work_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return demo_show_runs(buf, &jobs.system_work_runs);
}

static struct kobj_attribute timer_attr = __ATTR_RO(timer);
static struct kobj_attribute hrtimer_attr = __ATTR_RO(hrtimer);
static struct kobj_attribute work_attr = __ATTR_RO(work);
static struct kobj_attribute system_work_attr = __ATTR_RO(system_work);

static struct attribute *demo_attrs[] = {
	&timer_attr.attr,
	&hrtimer_attr.attr,
	&work_attr.attr,
	&system_work_attr.attr,
	NULL
};

static const struct attribute_group demo_group = {
	.attrs = demo_attrs,
};

static struct kobject *demo_kobj;

/*
 * 4. Load and unload. The workqueue and the sysfs files exist before the
 * first job runs; at unload the jobs stop first, then what they use goes.
 */

static int __init deferred_init(void)
{
	int ret;

	/* WQ_UNBOUND: its work may run on any CPU, not the queueing one. */
	demo_wq = alloc_workqueue("lkmdemo_deferred", WQ_UNBOUND, 0);
	if (!demo_wq)
		return -ENOMEM;

	demo_kobj = kobject_create_and_add("lkmdemo_deferred", kernel_kobj);
	if (!demo_kobj) {
		ret = -ENOMEM;
		goto err_destroy_wq;
	}
	ret = sysfs_create_group(demo_kobj, &demo_group);
	if (ret)
		goto err_put_kobj;

	demo_jobs_start(&jobs);
	pr_info("timer every %u ms, hrtimer every %u us, work every %u ms\n",
		READ_ONCE(timer_period.value), READ_ONCE(hrtimer_period.value),
		READ_ONCE(work_period.value));
	return 0;

err_put_kobj:
	kobject_put(demo_kobj);
err_destroy_wq:
	destroy_workqueue(demo_wq);
	return ret;
}
module_init(deferred_init);

static void __exit deferred_exit(void)
{
	demo_jobs_stop(&jobs);
	kobject_put(demo_kobj);
	destroy_workqueue(demo_wq);
	pr_info("stopped after %ld timer, %ld hrtimer, %ld work and %ld system work runs\n",
		atomic_long_read(&jobs.timer_runs),
		atomic_long_read(&jobs.hrtimer_runs),
		atomic_long_read(&jobs.work_runs),
		atomic_long_read(&jobs.system_work_runs));
}
module_exit(deferred_exit);

MODULE_DESCRIPTION("lkmdemo: a timer, an hrtimer and delayed work that stop at unload");
MODULE_AUTHOR("The lkmdemo developers <lkmdemo@example.org>");
MODULE_LICENSE("GPL");
