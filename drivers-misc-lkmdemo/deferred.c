// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_deferred: work done later, by timers and workqueues
 *
 * Four jobs, each started by giving it a period and stopped by setting
 * the period back to 0, each counting its runs:
 *
 *  - a timer_list, every timer_ms milliseconds, in softirq context;
 *  - an hrtimer, every hrtimer_us microseconds, in hard interrupt
 *    context, with a resolution finer than a jiffy;
 *  - delayed work on a workqueue of the module's own, every work_ms
 *    milliseconds, in process context (it may sleep);
 *  - delayed work on the kernel's system_percpu_wq, likewise.
 *
 * Every period is 0 by default: loaded or built in, the module does
 * nothing until it is asked. A running job arms itself again at the end
 * of each run, reading its period then, so a new period is taken at the
 * next run. Whatever runs is stopped at unload with the call that waits
 * for a run in progress and keeps the job from arming itself again
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
 *						(stopped)
 *   echo 20000 > /sys/module/lkmdemo_deferred/parameters/timer_ms
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
 * 1. The jobs. Each callback is given a pointer to its timer or work
 * item and finds the structure around it with container_of() (for a
 * timer_list: timer_container_of()). Each count has one writer, the
 * job's own callback, which never runs twice at once; atomic_long_t
 * lets sysfs read it whole on a 32-bit kernel too.
 *
 * A callback reads its period once, with READ_ONCE(), as a write to the
 * parameter may store a new one meanwhile (with WRITE_ONCE()). A period
 * of 0 means: this run is the last, do not arm again.
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

static unsigned int timer_ms;
static unsigned int hrtimer_us;
static unsigned int work_ms;

/* hrtimer_us in nanoseconds: in 64 bits, as 10 s does not fit in 32. */
static ktime_t us_ktime(unsigned int us)
{
	return ns_to_ktime((u64)us * NSEC_PER_USEC);
}

/* Softirq context: it must not sleep. */
static void demo_timer_fn(struct timer_list *t)
{
	struct demo_jobs *j = timer_container_of(j, t, timer);
	unsigned int ms = READ_ONCE(timer_ms);

	atomic_long_inc(&j->timer_runs);
	if (ms)
		mod_timer(&j->timer, jiffies + msecs_to_jiffies(ms));
}

/*
 * Hard interrupt context. hrtimer_forward_now() moves the expiry past
 * now by whole periods (a late run does not make the next ones early),
 * and HRTIMER_RESTART arms the timer again.
 */
static enum hrtimer_restart demo_hrtimer_fn(struct hrtimer *t)
{
	struct demo_jobs *j = container_of(t, struct demo_jobs, hrtimer);
	unsigned int us = READ_ONCE(hrtimer_us);

	atomic_long_inc(&j->hrtimer_runs);
	if (!us)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, us_ktime(us));
	return HRTIMER_RESTART;
}

/* Process context: a worker thread of demo_wq runs it. */
static void demo_work_fn(struct work_struct *w)
{
	struct demo_jobs *j = container_of(to_delayed_work(w),
					   struct demo_jobs, work);
	unsigned int ms = READ_ONCE(work_ms);

	atomic_long_inc(&j->work_runs);
	if (ms)
		queue_delayed_work(demo_wq, &j->work, msecs_to_jiffies(ms));
}

/* Process context too, on a workqueue that every driver shares. */
static void demo_system_work_fn(struct work_struct *w)
{
	struct demo_jobs *j = container_of(to_delayed_work(w),
					   struct demo_jobs, system_work);
	unsigned int ms = READ_ONCE(work_ms);

	atomic_long_inc(&j->system_work_runs);
	if (ms)
		queue_delayed_work(system_percpu_wq, &j->system_work,
				   msecs_to_jiffies(ms));
}

/*
 * 2. Starting and stopping, when a period changes from or to 0, at load
 * and at unload. The kernel calls period_set() below for a write to a
 * parameter with the module's parameter lock held; init and exit take
 * the same lock with kernel_param_lock(), so the three never overlap.
 * Until init has set jobs_ready, and again from the start of exit, a
 * write only stores its period: there is no workqueue yet, or no more.
 * (At boot and at load, the periods given are stored before init runs,
 * one after another, with no file in sysfs to write to yet.)
 */

static bool jobs_ready;

enum demo_job { DEMO_TIMER, DEMO_HRTIMER, DEMO_WORK };

static void demo_job_start(struct demo_jobs *j, enum demo_job job)
{
	switch (job) {
	case DEMO_TIMER:
		mod_timer(&j->timer, jiffies +
			  msecs_to_jiffies(READ_ONCE(timer_ms)));
		break;
	case DEMO_HRTIMER:
		hrtimer_start(&j->hrtimer, us_ktime(READ_ONCE(hrtimer_us)),
			      HRTIMER_MODE_REL);
		break;
	case DEMO_WORK:
		queue_delayed_work(demo_wq, &j->work,
				   msecs_to_jiffies(READ_ONCE(work_ms)));
		queue_delayed_work(system_percpu_wq, &j->system_work,
				   msecs_to_jiffies(READ_ONCE(work_ms)));
		break;
	}
}

/*
 * A job arms itself again, so it is stopped by a call that is made for
 * that: it waits for a callback that is running and leaves nothing
 * armed. A bare timer_delete() or cancel_delayed_work() would return
 * while a run may still be going, and that run could arm the job again.
 * The period is 0 by now, so a run that starts later does not arm it.
 */
static void demo_job_stop(struct demo_jobs *j, enum demo_job job)
{
	switch (job) {
	case DEMO_TIMER:
		timer_delete_sync(&j->timer);
		break;
	case DEMO_HRTIMER:
		hrtimer_cancel(&j->hrtimer);
		break;
	case DEMO_WORK:
		cancel_delayed_work_sync(&j->work);
		cancel_delayed_work_sync(&j->system_work);
		break;
	}
}

/*
 * 3. The periods: parameters checked before they are stored, 0 or a
 * number from min to max. One set of operations serves the three, with
 * what differs in a struct demo_period that the parameter points to.
 */

struct demo_period {
	const char *name;
	unsigned int *value;
	unsigned int min;
	unsigned int max;
	enum demo_job job;
};

static struct demo_period timer_period = {
	.name = "timer_ms", .value = &timer_ms,
	.min = 1, .max = 10000, .job = DEMO_TIMER,
};

static struct demo_period hrtimer_period = {
	.name = "hrtimer_us", .value = &hrtimer_us,
	.min = 1000, .max = 10000000, .job = DEMO_HRTIMER,
};

static struct demo_period work_period = {
	.name = "work_ms", .value = &work_ms,
	.min = 1, .max = 10000, .job = DEMO_WORK,
};

static int period_set(const char *val, const struct kernel_param *kp)
{
	const struct demo_period *period = kp->arg;
	unsigned int new, old;

	if (kstrtouint(val, 0, &new) ||
	    (new && (new < period->min || new > period->max))) {
		pr_err("%s: '%.*s' is neither 0 nor a number from %u to %u\n",
		       period->name, (int)strcspn(val, "\n"), val,
		       period->min, period->max);
		return -EINVAL;
	}

	old = *period->value;
	WRITE_ONCE(*period->value, new);
	if (jobs_ready && !old && new)
		demo_job_start(&jobs, period->job);
	else if (jobs_ready && old && !new)
		demo_job_stop(&jobs, period->job);
	return 0;
}

static int period_get(char *buffer, const struct kernel_param *kp)
{
	const struct demo_period *period = kp->arg;

	return scnprintf(buffer, PAGE_SIZE, "%u\n", READ_ONCE(*period->value));
}

static const struct kernel_param_ops period_ops = {
	.set = period_set,
	.get = period_get,
};

module_param_cb(timer_ms, &period_ops, &timer_period, 0644);
MODULE_PARM_DESC(timer_ms, "Period of the timer_list: 0 (stopped, the default) or 1 to 10000 ms");
module_param_cb(hrtimer_us, &period_ops, &hrtimer_period, 0644);
MODULE_PARM_DESC(hrtimer_us, "Period of the hrtimer: 0 (stopped, the default) or 1000 to 10000000 us");
module_param_cb(work_ms, &period_ops, &work_period, 0644);
MODULE_PARM_DESC(work_ms, "Period of both delayed works: 0 (stopped, the default) or 1 to 10000 ms");

/* 4. The counts in sysfs, read-only. */

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
 * 5. Load and unload. The workqueue and the sysfs files exist before the
 * first job can run; at unload the jobs stop first, then what they use
 * goes.
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

	timer_setup(&jobs.timer, demo_timer_fn, 0);
	hrtimer_setup(&jobs.hrtimer, demo_hrtimer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL);
	INIT_DELAYED_WORK(&jobs.work, demo_work_fn);
	INIT_DELAYED_WORK(&jobs.system_work, demo_system_work_fn);

	kernel_param_lock(THIS_MODULE);
	jobs_ready = true;
	if (timer_ms)
		demo_job_start(&jobs, DEMO_TIMER);
	if (hrtimer_us)
		demo_job_start(&jobs, DEMO_HRTIMER);
	if (work_ms)
		demo_job_start(&jobs, DEMO_WORK);
	pr_info("timer_ms=%u hrtimer_us=%u work_ms=%u (0: stopped)\n",
		timer_ms, hrtimer_us, work_ms);
	kernel_param_unlock(THIS_MODULE);
	return 0;

err_put_kobj:
	kobject_put(demo_kobj);
err_destroy_wq:
	destroy_workqueue(demo_wq);
	return ret;
}
module_init(deferred_init);

/*
 * Once jobs_ready is false no write starts a job, so each stop below is
 * final: timer_shutdown_sync() even keeps the timer from being armed
 * again, and cancel_delayed_work_sync() and hrtimer_cancel() wait for a
 * run that arms its job as it ends, and cancel that too.
 */
static void __exit deferred_exit(void)
{
	kernel_param_lock(THIS_MODULE);
	jobs_ready = false;
	kernel_param_unlock(THIS_MODULE);

	timer_shutdown_sync(&jobs.timer);
	hrtimer_cancel(&jobs.hrtimer);
	cancel_delayed_work_sync(&jobs.work);
	cancel_delayed_work_sync(&jobs.system_work);
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
