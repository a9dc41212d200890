// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_debugfs: typed debugfs files and a custom one
 *
 * debugfs is the kernel's scratch space for debugging: a file there is one
 * call, with no ABI promise. The module makes a directory,
 * /sys/kernel/debug/lkmdemo_debugfs/, with a file of each common type, the
 * kernel's code doing the formatting and the parsing, and one file of its
 * own:
 *
 *  - threshold	u32, 0644: decimal, "100" at load; any number that
 *			kstrtoull() takes, cut to 32 bits
 *  - enabled	bool, 0644: "Y" or "N", "Y" at load; kstrtobool()
 *			input, anything else dropped without an error
 *  - features	x64, 0444: "0x%016llx", 0x8000000000000001
 *  - signature	blob, 0444: 8 raw bytes, "LKMD" then 00 01 fe ff
 *  - primes	u32 array, 0444: "2 3 5 7 11 13", space-separated
 *  - window	custom, 0644: two numbers, "LOW HIGH", with
 *			LOW <= HIGH <= 1000, "10 90" at load; set together
 *			or not at all
 *
 * The directory is 0755 and the files have the modes above, but debugfs is
 * mounted 0700 by default: only root gets in, whatever a file's mode.
 *
 * Without debugfs (CONFIG_DEBUG_FS=n, or debugfs=off on the command line)
 * the module loads anyway and says why it has no files. debugfs need not
 * be mounted for the files to exist; they appear once it is.
 *
 * No open file holds the module: rmmod goes through, and debugfs then
 * fails reads and writes on files still open with EIO.
 *
 * Try it:
 *
 *   modprobe lkmdemo_debugfs
 *   cat /sys/kernel/debug/lkmdemo_debugfs/threshold
 *   echo 20 30 > /sys/kernel/debug/lkmdemo_debugfs/window
 *   od -An -tx1 /sys/kernel/debug/lkmdemo_debugfs/signature
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uaccess.h>

#include <kunit/visibility.h>

#include "debugfs.h"

/* 1. The values that the typed files show: debugfs reads them in place. */

static u32 threshold = 100;
static bool enabled = true;
static u64 features = 0x8000000000000001ULL;

/*
 * Not const: debugfs writes a blob in place, and root may open even a
 * 0444 file for writing (CAP_DAC_OVERRIDE). Read-only data here would be
 * a write to a read-only page.
 */
static u8 signature[] = { 'L', 'K', 'M', 'D', 0x00, 0x01, 0xfe, 0xff };
static struct debugfs_blob_wrapper signature_blob = {
	.data = signature,
	.size = sizeof(signature),
};

static u32 primes[] = { 2, 3, 5, 7, 11, 13 };
static struct debugfs_u32_array primes_array = {
	.array = primes,
	.n_elements = ARRAY_SIZE(primes),
};

/* 2. The custom file: two numbers that only make sense together. */

/**
 * struct window - a range that the custom file reads and sets whole
 * @lock: protects @low and @high
 * @low: its lower bound
 * @high: its upper bound, @low <= @high <= LKMDEMO_DEBUGFS_WINDOW_MAX
 */
struct window {
	struct mutex lock;	/* low and high */
	unsigned int low;
	unsigned int high;
};

static struct window window = {
	.lock = __MUTEX_INITIALIZER(window.lock),
	.low = 10,
	.high = 90,
};

static ssize_t window_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct window *w = file->private_data;
	char text[LKMDEMO_DEBUGFS_WINDOW_TEXT];
	int len;

	mutex_lock(&w->lock);
	len = scnprintf(text, sizeof(text), "%u %u\n", w->low, w->high);
	mutex_unlock(&w->lock);
	/* Each read formats afresh, then serves the bytes from *ppos on. */
	return simple_read_from_buffer(ubuf, count, ppos, text, len);
}

/**
 * lkmdemo_debugfs_parse_window() - parse a text written to "window"
 * @line: "LOW HIGH": two decimal numbers, one space between them, one
 *	newline allowed after, fewer than LKMDEMO_DEBUGFS_WINDOW_TEXT bytes
 *	in all
 * @low: where to store LOW
 * @high: where to store HIGH
 *
 * Both are stored, or, on an error, neither.
 *
 * Return: 0, or -EINVAL when @line is not so, or when it does not hold
 * LOW <= HIGH <= LKMDEMO_DEBUGFS_WINDOW_MAX.
 */
int lkmdemo_debugfs_parse_window(const char *line, unsigned int *low,
				 unsigned int *high)
{
	char copy[LKMDEMO_DEBUGFS_WINDOW_TEXT], *high_text = copy, *low_text;
	unsigned int l, h;
	size_t digits;

	if (strscpy(copy, line, sizeof(copy)) < 0)
		return -EINVAL;
	low_text = strsep(&high_text, " ");
	if (!high_text)
		return -EINVAL;
	/*
	 * kstrtouint() also takes a '+' before the digits and a newline
	 * after them: LOW must be digits alone, and HIGH start with one.
	 */
	digits = strspn(low_text, "0123456789");
	if (!digits || low_text[digits] || !isdigit(*high_text))
		return -EINVAL;
	if (kstrtouint(low_text, 10, &l) || kstrtouint(high_text, 10, &h))
		return -EINVAL;
	if (l > h || h > LKMDEMO_DEBUGFS_WINDOW_MAX)
		return -EINVAL;
	*low = l;
	*high = h;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_debugfs_parse_window);

/*
 * A typed file takes one value; two that must agree are parsed here and
 * stored under the lock at once, so no reader sees one without the other.
 */
static ssize_t window_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct window *w = file->private_data;
	char text[LKMDEMO_DEBUGFS_WINDOW_TEXT];
	unsigned int low, high;

	/* The whole text in one write, from the start of the file. */
	if (*ppos || count >= sizeof(text)) {
		pr_err("window: LOW HIGH goes in one write, under %zu bytes\n",
		       sizeof(text));
		return -EINVAL;
	}
	if (copy_from_user(text, ubuf, count))
		return -EFAULT;
	text[count] = '\0';

	if (lkmdemo_debugfs_parse_window(text, &low, &high)) {
		pr_err("window: '%.*s' is not LOW HIGH, LOW <= HIGH <= %u\n",
		       (int)strcspn(text, "\n"), text, LKMDEMO_DEBUGFS_WINDOW_MAX);
		return -EINVAL;
	}

	mutex_lock(&w->lock);
	w->low = low;
	w->high = high;
	mutex_unlock(&w->lock);
	return count;
}

/*
 * Why struct debugfs_short_fops and not a struct file_operations (nor
 * DEFINE_SHOW_ATTRIBUTE or DEFINE_DEBUGFS_ATTRIBUTE, which make one): a
 * file_operations has .owner = THIS_MODULE, and debugfs then takes a
 * module reference for as long as the file is open, so rmmod is refused.
 * Short fops have no owner and no open or release of their own: debugfs
 * opens the file with simple_open() (file->private_data is the data
 * pointer given below) and wraps every read, write and llseek, so it can
 * refuse them once the file is removed. The module unloads whoever holds
 * the file open; their later calls fail with EIO.
 */
static const struct debugfs_short_fops window_fops = {
	.read = window_read,
	.write = window_write,
	.llseek = default_llseek,
};

/* 3. init and exit. */

static struct dentry *debugfs_dir;

static int __init debugfs_demo_init(void)
{
	/*
	 * False without debugfs: a kernel built without it, or one that
	 * turned it off at boot (debugfs=off, or CONFIG_DEBUG_FS_ALLOW_NONE
	 * without debugfs=on).
	 */
	if (!debugfs_initialized()) {
		pr_notice("no files: %s\n", IS_ENABLED(CONFIG_DEBUG_FS) ?
			  "debugfs is turned off (debugfs=off)" :
			  "the kernel has no debugfs (CONFIG_DEBUG_FS=n)");
		return 0;
	}

	/*
	 * What debugfs_create_*() return is not checked, as their comments
	 * ask: a failure leaves an error pointer that the next call takes as
	 * a parent and ignores, and debugfs_remove() ignores it too. A
	 * module must work the same without its debugging files.
	 */
	debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_u32("threshold", 0644, debugfs_dir, &threshold);
	debugfs_create_bool("enabled", 0644, debugfs_dir, &enabled);
	debugfs_create_x64("features", 0444, debugfs_dir, &features);
	debugfs_create_blob("signature", 0444, debugfs_dir, &signature_blob);
	debugfs_create_u32_array("primes", 0444, debugfs_dir, &primes_array);
	debugfs_create_file("window", 0644, debugfs_dir, &window, &window_fops);

	pr_info("files in /sys/kernel/debug/%s/ (where debugfs is mounted)\n",
		KBUILD_MODNAME);
	return 0;
}
module_init(debugfs_demo_init);

static void __exit debugfs_demo_exit(void)
{
	/*
	 * Removes the directory and every file in it, NULL or an error
	 * pointer included. It waits for the calls running in the files;
	 * calls on files still open after it fail with EIO, so nothing
	 * reaches the data or the code of the module once it is gone.
	 */
	debugfs_remove(debugfs_dir);
}
module_exit(debugfs_demo_exit);

MODULE_DESCRIPTION("lkmdemo: typed debugfs files and a custom one");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_LICENSE("GPL");
