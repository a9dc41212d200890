// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_static_key: a branch that costs a nop, switched at run time
 *
 * A static key is a flag that code tests millions of times and that
 * changes once in a while. Tested with static_branch_unlikely(), it is
 * not a load and a compare: the kernel compiles the test into a single
 * instruction, a nop while the key is off, and when the key is switched
 * it rewrites that instruction into a jump to the code for "on", in
 * every place the key is tested. Switching is slow; testing costs
 * almost nothing.
 *
 * The parameter "enabled" switches the key of this module. The function
 * lkmdemo_static_key_branch() tests it and counts which side ran. The
 * files in /sys/kernel/lkmdemo_static_key/ run that function and show
 * the counts and, in "code", the instruction at the place it tests the
 * key: its offset in the function and its bytes, before and after a
 * switch.
 *
 * Try it:
 *
 *   modprobe lkmdemo_static_key
 *   cd /sys/kernel/lkmdemo_static_key
 *   cat code		(x86_64: lkmdemo_static_key_branch+0x4: 66 90 (nop))
 *   echo 1 > /sys/module/lkmdemo_static_key/parameters/enabled
 *   cat code		(lkmdemo_static_key_branch+0x4: eb 1b (jump))
 *   echo 1000 > run; cat runs_off runs_on switches	(0 1000 1)
 *
 * or boot a kernel with it built in and lkmdemo_static_key.enabled=1 on
 * the command line.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/jump_label.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>

#include <kunit/visibility.h>

#include "static_key.h"

/*
 * 1. The key, and the code that tests it. A key defined false starts
 * off; static_branch_unlikely() says that "on" is the rare case, so the
 * compiler puts the code for it out of line and the code for "off"
 * right after the nop.
 */

static DEFINE_STATIC_KEY_FALSE(demo_key);

/* Runs of each side; any CPU may run the function at any time. */
static atomic_long_t runs_off;
static atomic_long_t runs_on;

/**
 * lkmdemo_static_key_branch() - test the key, count which side ran
 *
 * noinline keeps the test in this one function, so that "code" can give
 * the place of the test as an offset in it.
 *
 * Return: true when the key was on.
 */
noinline bool lkmdemo_static_key_branch(void)
{
	if (static_branch_unlikely(&demo_key)) {
		atomic_long_inc(&runs_on);
		return true;
	}
	atomic_long_inc(&runs_off);
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_static_key_branch);

/*
 * 2. Switching. static_branch_enable() and static_branch_disable()
 * rewrite code that other CPUs may be running, and may sleep, so they
 * are called from process context only, and one at a time here:
 * key_lock is held around every switch, around every read of the code
 * (which then never sees an instruction half rewritten), and around
 * "run" (whose runs then all see one state of the key).
 *
 * Built in, the kernel parses the command line, and calls the
 * parameter's set function, in start_kernel(), long before any initcall
 * runs. jump_label_init() has run by then, so a switch would work, but
 * with one CPU and no scheduler yet; as a module, the set function runs
 * before init too. Either way it only records the value until init sets
 * key_ready, and init switches the key. From the start of exit, a write
 * only records the value again.
 */

static DEFINE_MUTEX(key_lock);
static bool enabled;		/* the parameter; written under key_lock */
static bool key_ready;		/* init has run, exit has not */
static unsigned long switches;	/* times the key changed */

static void key_switch(bool on)
{
	lockdep_assert_held(&key_lock);

	if (on == static_key_enabled(&demo_key))
		return;
	if (on)
		static_branch_enable(&demo_key);
	else
		static_branch_disable(&demo_key);
	switches++;
	pr_info("key switched %s\n", str_on_off(on));
}

/**
 * lkmdemo_static_key_set() - switch the key, as a write to "enabled" does
 * @val: what a bool parameter takes (kstrtobool(): 1, y, on, 0, n, off,
 *	 ...), or NULL, meaning on, for "enabled" alone on the command line
 *	 or the modprobe line
 *
 * Before init, and from the start of exit, it only records the value.
 * A value the key already has changes nothing.
 *
 * Return: 0, or -EINVAL (and nothing changed) for a value that is not
 * a bool.
 */
int lkmdemo_static_key_set(const char *val)
{
	bool on = true;

	if (val && kstrtobool(val, &on)) {
		pr_err("enabled: '%.*s' is not 1, y, on, 0, n or off\n",
		       (int)strcspn(val, "\n"), val);
		return -EINVAL;
	}

	mutex_lock(&key_lock);
	WRITE_ONCE(enabled, on);
	if (key_ready)
		key_switch(on);
	mutex_unlock(&key_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_static_key_set);

static int enabled_set(const char *val, const struct kernel_param *kp)
{
	return lkmdemo_static_key_set(val);
}

/* Y or N, as the kernel shows a bool parameter. */
static int enabled_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", READ_ONCE(enabled) ? 'Y' : 'N');
}

/* KERNEL_PARAM_OPS_FL_NOARG: "enabled" may come without a value. */
static const struct kernel_param_ops enabled_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = enabled_set,
	.get = enabled_get,
};

module_param_cb(enabled, &enabled_ops, NULL, 0644);
MODULE_PARM_DESC(enabled, "Switch the key on: y/n, 1/0 or on/off; a bare 'enabled' means on (default: off)");

/**
 * lkmdemo_static_key_run() - run lkmdemo_static_key_branch() a number of times
 * @count: how many times, 1 to LKMDEMO_STATIC_KEY_RUN_MAX, as text (a
 *	   final newline is allowed)
 *
 * The key cannot be switched during the runs, so that all of them take
 * the same side.
 *
 * Return: 0, or -EINVAL (and nothing run) for a count that is not a
 * number in range.
 */
int lkmdemo_static_key_run(const char *count)
{
	unsigned int n, i;

	if (kstrtouint(count, 0, &n) || n < 1 ||
	    n > LKMDEMO_STATIC_KEY_RUN_MAX) {
		pr_err("run: '%.*s' is not a number from 1 to %d\n",
		       (int)strcspn(count, "\n"), count,
		       LKMDEMO_STATIC_KEY_RUN_MAX);
		return -EINVAL;
	}

	mutex_lock(&key_lock);
	for (i = 0; i < n; i++) {
		lkmdemo_static_key_branch();
		cond_resched();
	}
	mutex_unlock(&key_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_static_key_run);

/**
 * lkmdemo_static_key_counts() - what the module counted, all at one time
 * @c: where to copy the counts
 */
void lkmdemo_static_key_counts(struct lkmdemo_static_key_counts *c)
{
	mutex_lock(&key_lock);
	c->off = atomic_long_read(&runs_off);
	c->on = atomic_long_read(&runs_on);
	c->switches = switches;
	c->enabled = static_key_enabled(&demo_key);
	mutex_unlock(&key_lock);
}
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_static_key_counts);

/*
 * 3. What a switch changes in the code. For each place where code tests
 * a key, the compiler leaves a jump entry in the section __jump_table:
 * the address of the instruction, the address to jump to, and the key.
 * A switch walks the key's entries and rewrites each instruction: a
 * nop, or a jump to the code for the other side. Reading the entries of
 * this key shows where they are and what is there now.
 *
 * Without CONFIG_JUMP_LABEL there is no table and nothing to rewrite:
 * static_branch_unlikely() loads the key's count and tests it, like a
 * plain bool.
 */

#ifdef CONFIG_JUMP_LABEL

/*
 * The jump entries of the code this file is built into: as a module,
 * the module's own table; built in, the kernel's, which modules cannot
 * see.
 */
static void demo_jump_table(const struct jump_entry **start,
			    const struct jump_entry **stop)
{
#ifdef MODULE
	*start = THIS_MODULE->jump_entries;
	*stop = *start + THIS_MODULE->num_jump_entries;
#else
	*start = __start___jump_table;
	*stop = __stop___jump_table;
#endif
}

/*
 * How many bytes the kernel rewrites at a site. jump_entry_size() in
 * <linux/jump_label.h> says, but on x86 it asks the kernel's
 * instruction decoder, which is not exported to modules. Every other
 * architecture rewrites one size, JUMP_LABEL_NOP_SIZE (arm64: 4). x86
 * rewrites a 5-byte nop or jump, or, where the compiler's jump was
 * short, a 2-byte one: the 2-byte nop starts with 0x66, the short jump
 * with 0xeb, and the 5-byte ones with neither.
 */
static unsigned int demo_site_size(const u8 *insn)
{
#ifdef JUMP_LABEL_NOP_SIZE
	return JUMP_LABEL_NOP_SIZE;
#else
	return insn[0] == 0x66 || insn[0] == 0xeb ? 2 : 5;
#endif
}

/**
 * lkmdemo_static_key_sites() - where the code tests the key, and what is there
 * @sites: where to store what each site holds now
 * @max: how many sites @sites has room for
 *
 * Reads the instruction at every site of the key (up to @max), with
 * copy_from_kernel_nofault(), under key_lock: never during a switch.
 * A site is given by its offset in lkmdemo_static_key_branch(), not by
 * its address, which would tell where the kernel is in memory.
 *
 * Return: the number of sites stored, 0 without CONFIG_JUMP_LABEL, or
 * -EFAULT if an instruction could not be read.
 */
int lkmdemo_static_key_sites(struct lkmdemo_static_key_site *sites,
			     unsigned int max)
{
	unsigned long fn = (unsigned long)lkmdemo_static_key_branch;
	const struct jump_entry *entry, *start, *stop;
	struct lkmdemo_static_key_site *s;
	unsigned int n = 0;
	int ret = 0;

	demo_jump_table(&start, &stop);
	mutex_lock(&key_lock);
	for (entry = start; entry < stop && n < max; entry++) {
		if (jump_entry_key(entry) != &demo_key.key)
			continue;
		s = &sites[n];
		if (copy_from_kernel_nofault(s->insn,
					     (void *)jump_entry_code(entry),
					     sizeof(s->insn))) {
			ret = -EFAULT;
			break;
		}
		s->offset = jump_entry_code(entry) - fn;
		s->size = demo_site_size(s->insn);
		/* The kernel's own rule: the key's state against the test's. */
		s->jump = static_key_enabled(&demo_key) !=
			  jump_entry_is_branch(entry);
		n++;
	}
	mutex_unlock(&key_lock);
	return ret ? ret : n;
}

#else /* !CONFIG_JUMP_LABEL */

int lkmdemo_static_key_sites(struct lkmdemo_static_key_site *sites,
			     unsigned int max)
{
	return 0;
}

#endif /* CONFIG_JUMP_LABEL */
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_static_key_sites);

/* 4. The files in sysfs. */

static ssize_t run_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	int ret;

	ret = lkmdemo_static_key_run(buf);
	return ret ? ret : count;
}

static ssize_t runs_off_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&runs_off));
}

static ssize_t runs_on_show(struct kobject *kobj,
			    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&runs_on));
}

static ssize_t switches_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	struct lkmdemo_static_key_counts c;

	lkmdemo_static_key_counts(&c);
	return sysfs_emit(buf, "%lu\n", c.switches);
}

/* One line for each site: where it is, its bytes, a nop or a jump. */
static ssize_t code_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct lkmdemo_static_key_site sites[LKMDEMO_STATIC_KEY_SITES_MAX];
	int i, n, len = 0;

	if (!IS_ENABLED(CONFIG_JUMP_LABEL))
		return sysfs_emit(buf, "no code patching: CONFIG_JUMP_LABEL is not set\n");

	n = lkmdemo_static_key_sites(sites, ARRAY_SIZE(sites));
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		len += sysfs_emit_at(buf, len,
				     "lkmdemo_static_key_branch+%#lx: %*ph (%s)\n",
				     sites[i].offset, (int)sites[i].size,
				     sites[i].insn,
				     sites[i].jump ? "jump" : "nop");
	return len;
}

static struct kobj_attribute run_attr = __ATTR_WO(run);
static struct kobj_attribute runs_off_attr = __ATTR_RO(runs_off);
static struct kobj_attribute runs_on_attr = __ATTR_RO(runs_on);
static struct kobj_attribute switches_attr = __ATTR_RO(switches);
static struct kobj_attribute code_attr = __ATTR_RO(code);

static struct attribute *demo_attrs[] = {
	&run_attr.attr,
	&runs_off_attr.attr,
	&runs_on_attr.attr,
	&switches_attr.attr,
	&code_attr.attr,
	NULL
};

static const struct attribute_group demo_group = {
	.attrs = demo_attrs,
};

static struct kobject *demo_kobj;

/*
 * 5. Load and unload. Init switches the key to the value recorded from
 * the command line or the modprobe line. Exit leaves it as it is: the
 * key and every place that tests it go with the module, and built in,
 * exit never runs.
 */

static int __init static_key_demo_init(void)
{
	int ret;

	demo_kobj = kobject_create_and_add("lkmdemo_static_key", kernel_kobj);
	if (!demo_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(demo_kobj, &demo_group);
	if (ret) {
		kobject_put(demo_kobj);
		return ret;
	}

	mutex_lock(&key_lock);
	key_ready = true;
	key_switch(enabled);
	pr_info("ready: key %s\n", str_on_off(enabled));
	mutex_unlock(&key_lock);
	return 0;
}
module_init(static_key_demo_init);

static void __exit static_key_demo_exit(void)
{
	unsigned long n;

	mutex_lock(&key_lock);
	key_ready = false;
	n = switches;
	mutex_unlock(&key_lock);

	kobject_put(demo_kobj);
	pr_info("unloaded after %lu switches\n", n);
}
module_exit(static_key_demo_exit);

MODULE_DESCRIPTION("lkmdemo: a static key switched at run time, and the code it rewrites");
MODULE_AUTHOR("The lkmdemo developers <lkmdemo@example.org>");
MODULE_LICENSE("GPL");
