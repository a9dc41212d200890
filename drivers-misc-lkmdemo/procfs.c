// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_procfs: files in /proc written with seq_file and proc_ops
 *
 * /proc/lkmdemo/ holds two files:
 *
 *  - table (0444): one line per record, "record 1 of 2000" to
 *    "record 2000 of 2000", made by a seq_file iterator. The text is
 *    several pages long, longer than seq_file's buffer, so start(),
 *    next() and stop() run many times for one cat, each time from the
 *    record where the last run stopped: a program that reads a few bytes
 *    at a time, or seeks into the middle, gets the same bytes as one
 *    that reads the table whole;
 *  - records (0644): the number of records. Reading it gives the number;
 *    root may write a new one, a decimal number from 0 to 100000. Any
 *    other text is refused with EINVAL and changes nothing.
 *
 * The files belong to the module, not to the programs that have them
 * open: rmmod does not wait for them to be closed. procfs removes the
 * entries and releases the files still open, whose later read() fails
 * with EIO and lseek() with EINVAL (proc_reg_read_iter() and
 * proc_reg_llseek() in fs/proc/inode.c).
 *
 * Try it:
 *
 *   modprobe lkmdemo_procfs records=5
 *   cat /proc/lkmdemo/table
 *   echo 3000 > /proc/lkmdemo/records
 *   dd if=/proc/lkmdemo/table bs=7 status=none | tail -n 1
 *   echo -1 > /proc/lkmdemo/records	(Invalid argument)
 *
 * or boot a kernel with it built in and lkmdemo_procfs.records=5 on the
 * command line.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/uaccess.h>

#define RECORDS_MAX 100000

/* 1. The number of records: one check for the parameter and for writes. */

/* Is @text a decimal number of records, with at most one newline after? */
static int records_parse(const char *text, unsigned int *records)
{
	size_t len = strlen(text);
	unsigned int n;

	/* Base 10: "010" is ten, not eight, and "0x10" is refused. */
	if (kstrtouint(text, 10, &n) || n > RECORDS_MAX) {
		/* The text as given, but for echo's newline; %pE escapes the rest. */
		if (len && text[len - 1] == '\n')
			len--;
		pr_err("records: '%*pE' is not a number from 0 to %u\n",
		       (int)len, text, RECORDS_MAX);
		return -EINVAL;
	}
	*records = n;
	return 0;
}

static unsigned int records = 2000;

static int records_param_set(const char *val, const struct kernel_param *kp)
{
	return records_parse(val, kp->arg);
}

static const struct kernel_param_ops records_param_ops = {
	.set = records_param_set,
	.get = param_get_uint,
};

/* 0444: the number at load; /proc/lkmdemo/records changes it later. */
module_param_cb(records, &records_param_ops, &records, 0444);
MODULE_PARM_DESC(records, "Records in /proc/lkmdemo/table, 0 to 100000 (default: 2000)");

/*
 * The number the files show. The table's iterator holds the lock from
 * start() to stop(), so the lines made in between (all that one read()
 * of a page or more returns) show one number; a write of
 * /proc/lkmdemo/records waits for them.
 */
static DEFINE_MUTEX(table_lock);	/* table_records */
static unsigned int table_records;

/* 2. /proc/lkmdemo/table: a seq_file iterator over the records. */

/*
 * seq_file calls start() whenever a read() finds its buffer empty, with
 * the position of the next line to make; what start() returns is handed
 * to show() and next(), and stop() ends the run. Here a record is its
 * position, so the position itself is the iterator: any pointer but
 * NULL, which means "no more lines".
 */
static void *table_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&table_lock);
	if (*pos >= table_records)
		return NULL;
	return pos;
}

/* next() moves to the following line, and must advance *pos even at the end. */
static void *table_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	if (*pos >= table_records)
		return NULL;
	return pos;
}

/* stop() is called after every start(), even one that returned NULL. */
static void table_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&table_lock);
}

static int table_show(struct seq_file *m, void *v)
{
	loff_t *pos = v;

	/*
	 * When the line does not fit in what is left of seq_file's buffer,
	 * seq_file drops it, grows or empties the buffer and calls show()
	 * again for the same record: show() only prints.
	 */
	seq_printf(m, "record %lld of %u\n", *pos + 1, table_records);
	return 0;
}

static const struct seq_operations table_seq_ops = {
	.start = table_start,
	.next = table_next,
	.stop = table_stop,
	.show = table_show,
};

static int table_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &table_seq_ops);
}

/*
 * seq_lseek() finds an offset by running the iterator from the start, so
 * a seek into the middle and a read there give the bytes one long read
 * gives at that offset.
 */
static const struct proc_ops table_proc_ops = {
	.proc_open = table_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = seq_lseek,
	.proc_release = seq_release,
};

/* 3. /proc/lkmdemo/records: one number to read and write. */

static int records_show(struct seq_file *m, void *v)
{
	mutex_lock(&table_lock);
	seq_printf(m, "%u\n", table_records);
	mutex_unlock(&table_lock);
	return 0;
}

static int records_open(struct inode *inode, struct file *file)
{
	return single_open(file, records_show, NULL);
}

/*
 * The whole number in one write(), whatever the file position. Text
 * longer than any valid one is refused before it is copied, rather than
 * cut to fit: cut to seven bytes, "100000\nx" would pass.
 */
static ssize_t records_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	/* Room for the longest valid text, and its NUL. */
	char text[sizeof(__stringify(RECORDS_MAX) "\n")];
	unsigned int n;

	if (!count || count >= sizeof(text)) {
		pr_err("records: %zu bytes cannot be a number from 0 to %u\n",
		       count, RECORDS_MAX);
		return -EINVAL;
	}
	if (copy_from_user(text, ubuf, count))
		return -EFAULT;
	text[count] = '\0';
	if (records_parse(text, &n))
		return -EINVAL;

	mutex_lock(&table_lock);
	table_records = n;
	mutex_unlock(&table_lock);
	return count;
}

static const struct proc_ops records_proc_ops = {
	.proc_open = records_open,
	.proc_read_iter = seq_read_iter,
	.proc_write = records_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

/* 4. init and exit. */

static struct proc_dir_entry *procfs_dir;

static int __init procfs_init(void)
{
	table_records = records;

	procfs_dir = proc_mkdir("lkmdemo", NULL);
	if (!procfs_dir)
		return -ENOMEM;
	/* From here on, open() may be called: everything it uses is ready. */
	if (!proc_create("table", 0444, procfs_dir, &table_proc_ops) ||
	    !proc_create("records", 0644, procfs_dir, &records_proc_ops))
		goto err_remove_dir;

	pr_info("/proc/lkmdemo: %u records\n", table_records);
	return 0;

err_remove_dir:
	/* The directory and whichever file was made in it. */
	proc_remove(procfs_dir);
	return -ENOMEM;
}
module_init(procfs_init);

static void __exit procfs_exit(void)
{
	/*
	 * Removes the files and waits for the calls already in them to
	 * return; a file still open is released here (seq_release()), and
	 * its later calls fail without reaching this module.
	 */
	proc_remove(procfs_dir);
}
module_exit(procfs_exit);

MODULE_DESCRIPTION("lkmdemo: files in /proc written with seq_file and proc_ops");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_LICENSE("GPL");
