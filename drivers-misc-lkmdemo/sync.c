// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_sync: one shared state, several threads, and what keeps it right
 *
 * A write of a mode's name to /sys/kernel/lkmdemo_sync/run starts a
 * round: "threads" kernel threads update one shared state "loops" times
 * each, all at once, protected the way the mode says. The write returns
 * when every thread is done, and the files beside "run" say what the
 * round should have counted, what it counted, and what went wrong:
 *
 *   mutex	a counter under a mutex
 *   spinlock	a counter under a spinlock
 *   rwsem	two counters that writers raise together under the write
 *		side of an rw_semaphore and readers compare under the read
 *		side
 *   atomic	an atomic_t, no lock
 *   refcount	a refcount_t, no lock
 *   rcu	a list one writer adds to at the head and trims at the
 *		tail, the old entries freed with kfree_rcu(), walked by
 *		every other thread under rcu_read_lock()
 *   none	a counter with no lock at all, wrong on purpose: updates
 *		may be lost
 *
 * Try it:
 *
 *   modprobe lkmdemo_sync threads=4 loops=10000
 *   cd /sys/kernel/lkmdemo_sync
 *   echo mutex > run; cat expected counted errors	(40000 40000 0)
 *   echo none > run; cat counted			(40000 or less)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include <kunit/visibility.h>

#include "sync.h"

/* How many entries the rcu mode's writer keeps on its list. */
#define DEMO_RCU_KEEP		8U

/*
 * 1. The parameters: how many threads a round starts and how many
 * updates each makes. Both can change between rounds; a round reads
 * them once, when it starts.
 */

/*
 * The name is the parameter's own: kp->name is "threads" in a module
 * but "lkmdemo_sync.threads" built in.
 */
struct demo_range {
	const char *name;
	unsigned int *value;
	unsigned int min, max;
};

static unsigned int threads = 4;
static unsigned int loops = 10000;

static struct demo_range threads_range = {
	"threads", &threads, LKMDEMO_SYNC_THREADS_MIN, LKMDEMO_SYNC_THREADS_MAX
};

static struct demo_range loops_range = {
	"loops", &loops, 1, LKMDEMO_SYNC_LOOPS_MAX
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
	WRITE_ONCE(*r->value, n);
	return 0;
}

static int range_get(char *buf, const struct kernel_param *kp)
{
	const struct demo_range *r = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(*r->value));
}

static const struct kernel_param_ops range_ops = {
	.set = range_set,
	.get = range_get,
};

module_param_cb(threads, &range_ops, &threads_range, 0644);
MODULE_PARM_DESC(threads, "Threads in a round, 2 to 8 (default: 4)");
module_param_cb(loops, &range_ops, &loops_range, 0644);
MODULE_PARM_DESC(loops, "Updates by each thread in a round, 1 to 100000 (default: 10000)");

/*
 * 2. The shared state. Only one round runs at a time (round_lock); the
 * state is reset at the start of each.
 */

struct demo_node {
	struct list_head link;
	struct rcu_head rcu;
	unsigned long seq;
	unsigned long check;	/* ~seq: a reader sees both or the node is bad */
};

static DEFINE_MUTEX(round_lock);

static DEFINE_MUTEX(demo_mutex);
static DEFINE_SPINLOCK(demo_spinlock);
static DECLARE_RWSEM(demo_rwsem);
static unsigned long demo_count;	/* mutex, spinlock, none */
static unsigned long demo_pair[2];	/* rwsem: always equal */
static atomic_t demo_atomic;
static refcount_t demo_ref;
static LIST_HEAD(demo_list);		/* rcu; written under demo_spinlock */
static unsigned int demo_list_len;

/* Added up by the threads of a round: found a lock taken; went wrong. */
static atomic_long_t contended;
static atomic_long_t errors;

/*
 * 3. The modes. Each function is what one thread of a round runs; id
 * is the thread's number, 0 to threads - 1. cond_resched() between
 * updates lets the other threads run on a kernel that preempts no
 * kernel code.
 *
 * A counter goes up by demo_add(): a load, a short pause, a store. The
 * pause widens the window in which another thread, on another CPU,
 * could store in between, so that a lock that is missing loses updates
 * in every round, not once in a while. The accesses are marked because
 * the "none" mode races on them on purpose (below).
 */
static void demo_add(unsigned long *counter)
{
	unsigned long v = READ_ONCE(*counter);

	ndelay(100);
	WRITE_ONCE(*counter, v + 1);
}

static void mode_mutex(unsigned int id, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!mutex_trylock(&demo_mutex)) {
			atomic_long_inc(&contended);
			mutex_lock(&demo_mutex);
		}
		demo_add(&demo_count);
		mutex_unlock(&demo_mutex);
		cond_resched();
	}
}

static void mode_spinlock(unsigned int id, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		/*
		 * Not spin_trylock() first, as for the mutex: sparse checks
		 * each spinlock's lock and unlock, and cannot follow a
		 * trylock followed by a lock. Instead, the holder counts
		 * when another CPU spins for the lock.
		 */
		spin_lock(&demo_spinlock);
		demo_add(&demo_count);
		if (spin_is_contended(&demo_spinlock))
			atomic_long_inc(&contended);
		spin_unlock(&demo_spinlock);
		cond_resched();
	}
}

/*
 * Writers raise both counters, one after the other; a reader that
 * could see them in between would find them different. The read side
 * is shared: readers do not wait for each other, only for a writer.
 */
static void mode_rwsem(unsigned int id, unsigned int n)
{
	unsigned long a, b;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!down_write_trylock(&demo_rwsem)) {
			atomic_long_inc(&contended);
			down_write(&demo_rwsem);
		}
		demo_add(&demo_pair[0]);
		demo_add(&demo_pair[1]);
		up_write(&demo_rwsem);

		down_read(&demo_rwsem);
		a = demo_pair[0];
		b = demo_pair[1];
		up_read(&demo_rwsem);
		if (a != b)
			atomic_long_inc(&errors);
		cond_resched();
	}
}

static void mode_atomic(unsigned int id, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		atomic_inc(&demo_atomic);
		cond_resched();
	}
}

/*
 * A refcount_t is an atomic counter that refuses to wrap: past its
 * limit it saturates and warns, and an increment from 0 (an object
 * already freed) warns too. The round starts it at 1, as an object's
 * count starts when the object is made.
 */
static void mode_refcount(unsigned int id, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		refcount_inc(&demo_ref);
		cond_resched();
	}
}

/*
 * Thread 0 writes: it adds nodes numbered 1 to n at the head, each
 * filled in before list_add_rcu() publishes it, and removes the oldest
 * once there are more than DEMO_RCU_KEEP. A removed node may still be
 * read by a reader that found it before; kfree_rcu() frees it only
 * after every such reader has left its read-side critical section.
 * Every other thread reads: it walks the list n times and checks that
 * each node is whole and that the numbers fall from head to tail.
 */
static void rcu_write(unsigned int n)
{
	struct demo_node *node, *old;
	unsigned int i;

	for (i = 1; i <= n; i++) {
		node = kmalloc_obj(*node);
		if (!node) {
			atomic_long_inc(&errors);
			continue;
		}
		node->seq = i;
		node->check = ~node->seq;

		old = NULL;
		spin_lock(&demo_spinlock);
		list_add_rcu(&node->link, &demo_list);
		if (++demo_list_len > DEMO_RCU_KEEP) {
			old = list_last_entry(&demo_list, struct demo_node, link);
			list_del_rcu(&old->link);
			demo_list_len--;
		}
		spin_unlock(&demo_spinlock);
		if (old)
			kfree_rcu(old, rcu);
		cond_resched();
	}
}

static void rcu_read(unsigned int n)
{
	struct demo_node *node;
	unsigned long prev;
	unsigned int i;

	for (i = 0; i < n; i++) {
		prev = ULONG_MAX;
		rcu_read_lock();
		list_for_each_entry_rcu(node, &demo_list, link) {
			if (node->check != ~node->seq || node->seq >= prev)
				atomic_long_inc(&errors);
			prev = node->seq;
		}
		rcu_read_unlock();
		cond_resched();
	}
}

static void mode_rcu(unsigned int id, unsigned int n)
{
	if (id == 0)
		rcu_write(n);
	else
		rcu_read(n);
}

/*
 * Wrong on purpose: demo_add() with no lock. Another thread can store
 * between this thread's load and its store, and one of the two updates
 * is lost. READ_ONCE() and WRITE_ONCE() in demo_add() mark the race as
 * meant: the compiler makes one load and one store, and KCSAN, which
 * reports plain accesses that race, leaves marked ones alone.
 */
static void mode_none(unsigned int id, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		demo_add(&demo_count);
		cond_resched();
	}
}

struct demo_mode {
	const char *name;
	void (*run)(unsigned int id, unsigned int n);
};

static const struct demo_mode demo_modes[] = {
	{ "mutex", mode_mutex },
	{ "spinlock", mode_spinlock },
	{ "rwsem", mode_rwsem },
	{ "atomic", mode_atomic },
	{ "refcount", mode_refcount },
	{ "rcu", mode_rcu },
	{ "none", mode_none },
};

#define DEMO_MODE_NONE	(ARRAY_SIZE(demo_modes) - 1)

/* What rcu's writer counted: the newest node's number, or 0. */
static unsigned long rcu_newest(void)
{
	struct demo_node *node;

	node = list_first_entry_or_null(&demo_list, struct demo_node, link);
	return node ? node->seq : 0;
}

/* After a round: no thread reads the list, so it is freed at once. */
static void rcu_free_list(void)
{
	struct demo_node *node, *next;

	list_for_each_entry_safe(node, next, &demo_list, link) {
		list_del(&node->link);
		kfree(node);
	}
	demo_list_len = 0;
}

/*
 * 4. A round. The threads wait on "go" until all of them exist, so that
 * they start together. Each ends with kthread_complete_and_exit(): a
 * thread that called complete() and then returned would still be
 * running this module's code after the round, and the module could be
 * unloaded under it; the kernel's function completes and exits in one.
 */

static struct {
	const struct demo_mode *mode;
	unsigned int threads, loops;
	bool abort;
	struct completion go;
	struct completion done;
	struct lkmdemo_sync_figures fig;	/* the last round's */
} demo_round = {
	.go = COMPLETION_INITIALIZER(demo_round.go),
	.done = COMPLETION_INITIALIZER(demo_round.done),
};

static int round_thread(void *data)
{
	unsigned int id = (uintptr_t)data;

	wait_for_completion(&demo_round.go);
	if (!demo_round.abort)
		demo_round.mode->run(id, demo_round.loops);
	kthread_complete_and_exit(&demo_round.done, 0);
}

static void round_reset(void)
{
	demo_count = 0;
	demo_pair[0] = 0;
	demo_pair[1] = 0;
	atomic_set(&demo_atomic, 0);
	refcount_set(&demo_ref, 1);
	atomic_long_set(&contended, 0);
	atomic_long_set(&errors, 0);
}

static void round_count(void)
{
	const struct demo_mode *m = demo_round.mode;
	struct lkmdemo_sync_figures *f = &demo_round.fig;

	f->expected = (unsigned long)demo_round.threads * demo_round.loops;
	if (m->run == mode_rwsem) {
		f->counted = demo_pair[0];
		/* Every writer raised both: they end equal. */
		if (demo_pair[1] != demo_pair[0])
			atomic_long_inc(&errors);
	} else if (m->run == mode_atomic) {
		f->counted = atomic_read(&demo_atomic);
	} else if (m->run == mode_refcount) {
		f->counted = refcount_read(&demo_ref) - 1;
	} else if (m->run == mode_rcu) {
		/* One writer: its updates are the nodes it published. */
		f->expected = demo_round.loops;
		f->counted = rcu_newest();
		if (demo_list_len != min(demo_round.loops, DEMO_RCU_KEEP))
			atomic_long_inc(&errors);
		rcu_free_list();
	} else {
		f->counted = demo_count;
	}
	f->errors = atomic_long_read(&errors);
	f->contended = atomic_long_read(&contended);
}

/* One line in the log for each round, an error if a lock failed. */
static void report(const struct demo_mode *m)
{
	const struct lkmdemo_sync_figures *f = &demo_round.fig;
	char what[64];

	snprintf(what, sizeof(what), "%s: %u threads x %u loops", m->name,
		 demo_round.threads, demo_round.loops);
	if (f->counted == f->expected && !f->errors)
		pr_info("%s: expected %lu, counted %lu, ok\n", what,
			f->expected, f->counted);
	else if (m == &demo_modes[DEMO_MODE_NONE])
		pr_info("%s: expected %lu, counted %lu: %lu updates lost without a lock\n",
			what, f->expected, f->counted, f->expected - f->counted);
	else
		pr_err("%s: expected %lu, counted %lu, %lu errors\n", what,
		       f->expected, f->counted, f->errors);
}

static int round_run(const struct demo_mode *m, unsigned int nthreads,
		     unsigned int nloops)
{
	struct task_struct *task;
	unsigned int i, started;
	int ret = 0;

	round_reset();
	demo_round.mode = m;
	demo_round.threads = nthreads;
	demo_round.loops = nloops;
	demo_round.abort = false;
	reinit_completion(&demo_round.go);
	reinit_completion(&demo_round.done);

	for (started = 0; started < demo_round.threads; started++) {
		task = kthread_run(round_thread, (void *)(uintptr_t)started,
				   "lkmdemo_sync/%u", started);
		if (IS_ERR(task)) {
			ret = PTR_ERR(task);
			demo_round.abort = true;
			break;
		}
	}
	complete_all(&demo_round.go);
	for (i = 0; i < started; i++)
		wait_for_completion(&demo_round.done);
	if (ret) {
		/* Nothing to show of a round that did not run. */
		rcu_free_list();
		memset(&demo_round.fig, 0, sizeof(demo_round.fig));
		demo_round.mode = NULL;
		return ret;
	}

	round_count();
	report(m);
	return 0;
}

/**
 * lkmdemo_sync_round() - run one round and wait for its end
 * @mode: the mode's name, as written to "run" (a final newline is allowed)
 * @nthreads: how many threads, LKMDEMO_SYNC_THREADS_MIN to _MAX
 * @nloops: how many updates each, 1 to LKMDEMO_SYNC_LOOPS_MAX
 * @fig: where to copy what the round found, or NULL
 *
 * Rounds run one at a time; this waits for one in progress, and for the
 * whole round. Its figures are shown in sysfs until the next round, or
 * cleared when a round's threads cannot all be started.
 *
 * Return: 0, -EINVAL for an unknown mode or a count out of range (and
 * nothing changed), -EINTR if a signal came while waiting for another
 * round, or the error of a thread that could not be started.
 */
int lkmdemo_sync_round(const char *mode, unsigned int nthreads,
		       unsigned int nloops, struct lkmdemo_sync_figures *fig)
{
	const struct demo_mode *m = NULL;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(demo_modes); i++)
		if (sysfs_streq(mode, demo_modes[i].name))
			m = &demo_modes[i];
	if (!m) {
		pr_err("run: '%.*s' is not a mode: mutex, spinlock, rwsem, atomic, refcount, rcu or none\n",
		       (int)strcspn(mode, "\n"), mode);
		return -EINVAL;
	}
	if (nthreads < LKMDEMO_SYNC_THREADS_MIN ||
	    nthreads > LKMDEMO_SYNC_THREADS_MAX ||
	    nloops < 1 || nloops > LKMDEMO_SYNC_LOOPS_MAX)
		return -EINVAL;

	ret = mutex_lock_interruptible(&round_lock);
	if (ret)
		return ret;
	ret = round_run(m, nthreads, nloops);
	if (!ret && fig)
		*fig = demo_round.fig;
	mutex_unlock(&round_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_sync_round);

/* 5. The files in sysfs. */

static ssize_t run_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	int ret;

	ret = lkmdemo_sync_round(buf, READ_ONCE(threads), READ_ONCE(loops),
				 NULL);
	return ret ? ret : count;
}

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	const char *name;

	/* A round holds the lock to its end: a signal ends the wait. */
	if (mutex_lock_interruptible(&round_lock))
		return -EINTR;
	name = demo_round.mode ? demo_round.mode->name : "";
	mutex_unlock(&round_lock);
	return sysfs_emit(buf, "%s\n", name);
}

/* A round's figures, read under round_lock: never half of a round. */
static ssize_t round_show(char *buf, const unsigned long *value)
{
	unsigned long v;

	if (mutex_lock_interruptible(&round_lock))
		return -EINTR;
	v = *value;
	mutex_unlock(&round_lock);
	return sysfs_emit(buf, "%lu\n", v);
}

static ssize_t expected_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return round_show(buf, &demo_round.fig.expected);
}

static ssize_t counted_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return round_show(buf, &demo_round.fig.counted);
}

static ssize_t errors_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return round_show(buf, &demo_round.fig.errors);
}

static ssize_t contended_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return round_show(buf, &demo_round.fig.contended);
}

static struct kobj_attribute run_attr = __ATTR_WO(run);
static struct kobj_attribute mode_attr = __ATTR_RO(mode);
static struct kobj_attribute expected_attr = __ATTR_RO(expected);
static struct kobj_attribute counted_attr = __ATTR_RO(counted);
static struct kobj_attribute errors_attr = __ATTR_RO(errors);
static struct kobj_attribute contended_attr = __ATTR_RO(contended);

static struct attribute *demo_attrs[] = {
	&run_attr.attr,
	&mode_attr.attr,
	&expected_attr.attr,
	&counted_attr.attr,
	&errors_attr.attr,
	&contended_attr.attr,
	NULL
};

static const struct attribute_group demo_group = {
	.attrs = demo_attrs,
};

static struct kobject *demo_kobj;

/*
 * 6. Load and unload. Nothing runs between rounds, so init only makes
 * the files. At unload, removing them waits for a write to "run" in
 * progress, and so for its round.
 */

static int __init sync_demo_init(void)
{
	int ret;

	demo_kobj = kobject_create_and_add("lkmdemo_sync", kernel_kobj);
	if (!demo_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(demo_kobj, &demo_group);
	if (ret) {
		kobject_put(demo_kobj);
		return ret;
	}

	pr_info("ready: %u threads x %u loops a round\n", threads, loops);
	return 0;
}
module_init(sync_demo_init);

static void __exit sync_demo_exit(void)
{
	kobject_put(demo_kobj);
	pr_info("unloaded\n");
}
module_exit(sync_demo_exit);

MODULE_DESCRIPTION("lkmdemo: a shared state updated by several threads under each kind of lock");
MODULE_AUTHOR("The lkmdemo developers <lkmdemo@example.org>");
MODULE_LICENSE("GPL");
