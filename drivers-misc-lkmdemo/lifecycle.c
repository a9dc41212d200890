// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_lifecycle: an init that can fail at any step, and its unwinding
 *
 * The init function takes four steps, each of which can fail: it
 * allocates a buffer, allocates a workqueue (visible in
 * /sys/bus/workqueue/devices/), creates a directory in /sys/kernel/ and
 * registers a misc device (/dev/lkmdemo_lifecycle). When a step fails,
 * init jumps to the label that undoes the step before it; the labels are
 * in the reverse order of the steps, so after one label the code goes on
 * into the labels of the earlier steps and everything done so far is
 * undone. The exit function undoes all four steps in the same reverse
 * order.
 *
 * The parameter fail_at=N makes step N fail the way it fails for real
 * (the call behind it is skipped and its error is returned), so every
 * error path can be tried. init's error code is what insmod and modprobe
 * report.
 *
 * Try it:
 *
 *   modprobe lkmdemo_lifecycle; cat /dev/lkmdemo_lifecycle
 *   rmmod lkmdemo_lifecycle
 *   modprobe lkmdemo_lifecycle fail_at=3; dmesg | tail -n 4
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#define LIFECYCLE_BUF_SIZE	64

enum lifecycle_step {
	STEP_NONE,
	STEP_BUFFER,
	STEP_WORKQUEUE,
	STEP_KOBJECT,
	STEP_MISCDEV,
	STEP_LAST = STEP_MISCDEV,
};

static const char * const step_names[] = {
	[STEP_NONE]	 = "none",
	[STEP_BUFFER]	 = "buffer",
	[STEP_WORKQUEUE] = "workqueue",
	[STEP_KOBJECT]	 = "kobject",
	[STEP_MISCDEV]	 = "misc device",
};

static unsigned int fail_at;

/* 0 (no step fails) to STEP_LAST; the kernel refuses the rest with EINVAL. */
static int fail_at_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, STEP_NONE, STEP_LAST);
}

static const struct kernel_param_ops fail_at_ops = {
	.set = fail_at_set,
	.get = param_get_uint,
};

module_param_cb(fail_at, &fail_at_ops, &fail_at, 0444);
MODULE_PARM_DESC(fail_at,
		 "Make init step N fail: 1 buffer, 2 workqueue, 3 kobject, 4 misc device (default: 0, none)");

/* What the four steps made, for the exit function to undo. */
static char *lifecycle_buf;
static size_t lifecycle_len;
static struct workqueue_struct *lifecycle_wq;
static struct kobject *lifecycle_kobj;

static ssize_t lifecycle_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	return simple_read_from_buffer(ubuf, count, ppos, lifecycle_buf,
				       lifecycle_len);
}

static const struct file_operations lifecycle_fops = {
	.owner	= THIS_MODULE,
	.read	= lifecycle_read,
	.llseek	= default_llseek,
};

static struct miscdevice lifecycle_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= KBUILD_MODNAME,
	.fops	= &lifecycle_fops,
	.mode	= 0444,
};

/* Should @step fail because fail_at names it? */
static bool __init injected(enum lifecycle_step step)
{
	return fail_at == step;
}

/* Log which step failed and with what; return @err for init to return. */
static int __init step_failed(enum lifecycle_step step, int err)
{
	pr_err("init step %d (%s) failed with %d%s\n", step, step_names[step],
	       err, injected(step) ? " (fail_at)" : "");
	return err;
}

static void step_undone(enum lifecycle_step step)
{
	pr_info("undo step %d (%s)\n", step, step_names[step]);
}

static int __init lifecycle_init(void)
{
	int err;

	/* Step 1: memory. kzalloc() fails with NULL: -ENOMEM. */
	lifecycle_buf = injected(STEP_BUFFER) ? NULL :
			kzalloc(LIFECYCLE_BUF_SIZE, GFP_KERNEL);
	if (!lifecycle_buf)
		return step_failed(STEP_BUFFER, -ENOMEM);
	lifecycle_len = scnprintf(lifecycle_buf, LIFECYCLE_BUF_SIZE,
				  "%s: all %d init steps done\n",
				  KBUILD_MODNAME, STEP_LAST);

	/*
	 * Step 2: a workqueue; WQ_SYSFS shows it in sysfs. WQ_UNBOUND: its
	 * work may run on any CPU (a workqueue says whether it is per-CPU
	 * or unbound). NULL: -ENOMEM.
	 */
	lifecycle_wq = injected(STEP_WORKQUEUE) ? NULL :
		       alloc_workqueue("%s", WQ_UNBOUND | WQ_SYSFS, 0,
				       KBUILD_MODNAME);
	if (!lifecycle_wq) {
		err = step_failed(STEP_WORKQUEUE, -ENOMEM);
		goto undo_buffer;
	}

	/* Step 3: /sys/kernel/lkmdemo_lifecycle/. NULL: -ENOMEM. */
	lifecycle_kobj = injected(STEP_KOBJECT) ? NULL :
			 kobject_create_and_add(KBUILD_MODNAME, kernel_kobj);
	if (!lifecycle_kobj) {
		err = step_failed(STEP_KOBJECT, -ENOMEM);
		goto undo_workqueue;
	}

	/*
	 * Step 4: /dev/lkmdemo_lifecycle. misc_register() returns an error
	 * code; -EBUSY is the one it gives when no minor number is free.
	 */
	err = injected(STEP_MISCDEV) ? -EBUSY :
	      misc_register(&lifecycle_miscdev);
	if (err) {
		step_failed(STEP_MISCDEV, err);
		goto undo_kobject;
	}

	pr_info("init: all %d steps done\n", STEP_LAST);
	return 0;

	/* Each label undoes one step; the code then goes on to the one before. */
undo_kobject:
	kobject_put(lifecycle_kobj);
	step_undone(STEP_KOBJECT);
undo_workqueue:
	destroy_workqueue(lifecycle_wq);
	step_undone(STEP_WORKQUEUE);
undo_buffer:
	kfree(lifecycle_buf);
	step_undone(STEP_BUFFER);
	return err;
}
module_init(lifecycle_init);

static void __exit lifecycle_exit(void)
{
	misc_deregister(&lifecycle_miscdev);
	step_undone(STEP_MISCDEV);
	kobject_put(lifecycle_kobj);
	step_undone(STEP_KOBJECT);
	destroy_workqueue(lifecycle_wq);
	step_undone(STEP_WORKQUEUE);
	kfree(lifecycle_buf);
	step_undone(STEP_BUFFER);
	pr_info("exit: all steps undone\n");
}
module_exit(lifecycle_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_DESCRIPTION("An init that can fail at any step and unwinds with goto labels");
MODULE_VERSION("1.0");
