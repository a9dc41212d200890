// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_chardev: a character device that programs read and write
 *
 * /dev/lkmdemo_chardev is a misc device (major 10, a minor the kernel
 * picks) over one buffer of "size" bytes that every open file shares:
 *
 *  - write() appends to the data held, whatever the file position; a
 *    write that does not fit is cut short, and one that finds the buffer
 *    full fails with ENOSPC;
 *  - read() starts at the file's own position, so each open file reads
 *    every byte; at the end of the data it waits for the next write
 *    (EAGAIN with O_NONBLOCK; a signal ends the wait with EINTR), and
 *    once the buffer is full and read to its end it returns 0, end of
 *    file;
 *  - lseek() moves within the data: SEEK_SET, SEEK_CUR and SEEK_END (the
 *    end of the data); a position outside it is refused with EINVAL;
 *  - poll() says readable when a read would not wait, writable when the
 *    buffer has room;
 *  - the ioctls of include/uapi/linux/lkmdemo_chardev.h read the size
 *    and the counters, copy bytes out without moving the file position,
 *    and, for CAP_SYS_ADMIN, resize or empty the buffer.
 *
 * The node is 0644: every user may open it to read, root alone to write.
 *
 * Try it:
 *
 *   modprobe lkmdemo_chardev size=4096
 *   echo hello > /dev/lkmdemo_chardev
 *   dd if=/dev/lkmdemo_chardev bs=6 count=1 status=none
 *   cat /dev/lkmdemo_chardev	(prints the data, then waits: ^C)
 *
 * or boot a kernel with it built in and lkmdemo_chardev.size=4096 on the
 * command line.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/lkmdemo_chardev.h>
#include <linux/miscdevice.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

/* 1. The size of the buffer: a parameter checked before it is stored. */

static unsigned int size = 4096;

static int size_set(const char *val, const struct kernel_param *kp)
{
	unsigned int new;
	int ret;

	ret = kstrtouint(val, 0, &new);
	if (ret || new < LKMDEMO_CHARDEV_MIN_SIZE || new > LKMDEMO_CHARDEV_MAX_SIZE) {
		pr_err("size: '%.*s' is not a number of bytes from %u to %u\n",
		       (int)strcspn(val, "\n"), val, LKMDEMO_CHARDEV_MIN_SIZE,
		       LKMDEMO_CHARDEV_MAX_SIZE);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = new;
	return 0;
}

static const struct kernel_param_ops size_ops = {
	.set = size_set,
	.get = param_get_uint,
};

/* 0444: the size at load; LKMDEMO_CHARDEV_SET_SIZE changes it later. */
module_param_cb(size, &size_ops, &size, 0444);
MODULE_PARM_DESC(size, "Bytes in the buffer, 16 to 1048576 (default: 4096)");

/* 2. The state: one device that every open file shares, and each file's own. */

/**
 * struct chardev - the device
 * @lock: protects @buf, @size, @len and the counters
 * @wait: where read() and poll() wait for a change of @len or @size
 * @buf: the buffer, @size bytes
 * @size: its size
 * @len: the bytes of data it holds, from its start
 * @opens: opens since the device was registered
 * @bytes_read: bytes read by every open file
 * @bytes_written: bytes written by every open file
 *
 * @len and @size are also read without @lock, as a hint, by the condition
 * of a wait (READ_ONCE); they are written with WRITE_ONCE under @lock.
 */
struct chardev {
	struct mutex lock;	/* buf, size, len and the counters */
	wait_queue_head_t wait;
	char *buf;
	size_t size;
	size_t len;
	u64 opens;
	u64 bytes_read;
	u64 bytes_written;
};

static struct chardev chardev = {
	.lock = __MUTEX_INITIALIZER(chardev.lock),
	.wait = __WAIT_QUEUE_HEAD_INITIALIZER(chardev.wait),
};

/**
 * struct chardev_file - what one open file has of its own
 * @bytes_read: bytes read through it
 * @bytes_written: bytes written through it
 *
 * The file's position is its own too: the VFS keeps it in file->f_pos and
 * passes it to read() as *ppos.
 */
struct chardev_file {
	u64 bytes_read;
	u64 bytes_written;
};

/* 3. open and release: the state of one open file. */

static int chardev_open(struct inode *inode, struct file *file)
{
	struct chardev_file *cf;

	cf = kzalloc_obj(*cf);
	if (!cf)
		return -ENOMEM;
	/* The misc core left its struct miscdevice here; we do not need it. */
	file->private_data = cf;

	mutex_lock(&chardev.lock);
	chardev.opens++;
	mutex_unlock(&chardev.lock);
	return 0;
}

static int chardev_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/* 4. read and write. */

/* Would a read at @pos return without waiting: data past it, or the end? */
static bool chardev_readable(loff_t pos)
{
	return pos < READ_ONCE(chardev.len) || pos >= READ_ONCE(chardev.size);
}

static ssize_t chardev_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct chardev_file *cf = file->private_data;
	size_t n;
	ssize_t ret;

	if (!count)
		return 0;
	if (mutex_lock_interruptible(&chardev.lock))
		return -ERESTARTSYS;
	/*
	 * Wait, without the lock, until there is data past the position.
	 * The test is made again under the lock after every wake-up: another
	 * reader may have been woken too, or the buffer emptied meanwhile.
	 * O_NONBLOCK is looked at only once the lock shows there is nothing
	 * to read, never before: checking it first, then waiting, is the
	 * check-then-act mistake.
	 */
	while (*ppos >= chardev.len) {
		if (*ppos >= chardev.size) {
			ret = 0;	/* full, and read to its end */
			goto out_unlock;
		}
		mutex_unlock(&chardev.lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(chardev.wait, chardev_readable(*ppos)))
			return -ERESTARTSYS;	/* a signal: EINTR, or a restart */
		if (mutex_lock_interruptible(&chardev.lock))
			return -ERESTARTSYS;
	}

	n = min_t(size_t, count, chardev.len - *ppos);
	/* copy_to_user() returns what it could not copy: all or nothing here. */
	if (copy_to_user(ubuf, chardev.buf + *ppos, n)) {
		ret = -EFAULT;
		goto out_unlock;
	}
	*ppos += n;
	chardev.bytes_read += n;
	cf->bytes_read += n;
	ret = n;
out_unlock:
	mutex_unlock(&chardev.lock);
	return ret;
}

static ssize_t chardev_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct chardev_file *cf = file->private_data;
	size_t n;
	ssize_t ret;

	if (!count)
		return 0;
	if (mutex_lock_interruptible(&chardev.lock))
		return -ERESTARTSYS;
	if (chardev.len == chardev.size) {
		ret = -ENOSPC;
		goto out_unlock;
	}

	n = min_t(size_t, count, chardev.size - chardev.len);
	/*
	 * The bytes go past the end of the data, where no reader looks until
	 * len grows: a copy that fails halfway changes nothing a reader sees.
	 */
	if (copy_from_user(chardev.buf + chardev.len, ubuf, n)) {
		ret = -EFAULT;
		goto out_unlock;
	}
	WRITE_ONCE(chardev.len, chardev.len + n);
	chardev.bytes_written += n;
	cf->bytes_written += n;
	ret = n;
out_unlock:
	mutex_unlock(&chardev.lock);
	if (ret > 0)
		wake_up_interruptible(&chardev.wait);
	return ret;
}

/* 5. lseek and poll. */

static loff_t chardev_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t ret;

	/* Positions 0 to len; SEEK_END counts from len. */
	mutex_lock(&chardev.lock);
	ret = fixed_size_llseek(file, offset, whence, chardev.len);
	mutex_unlock(&chardev.lock);
	return ret;
}

static __poll_t chardev_poll(struct file *file, poll_table *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &chardev.wait, wait);

	mutex_lock(&chardev.lock);
	if ((file->f_mode & FMODE_READ) && chardev_readable(file->f_pos))
		mask |= EPOLLIN | EPOLLRDNORM;
	if ((file->f_mode & FMODE_WRITE) && chardev.len < chardev.size)
		mask |= EPOLLOUT | EPOLLWRNORM;
	mutex_unlock(&chardev.lock);
	return mask;
}

/* 6. The ioctls. */

static long chardev_set_size(u32 new)
{
	char *buf, *old;

	if (new < LKMDEMO_CHARDEV_MIN_SIZE || new > LKMDEMO_CHARDEV_MAX_SIZE)
		return -EINVAL;

	/* Allocate before taking the lock: the allocation may sleep long. */
	buf = kvzalloc(new, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	mutex_lock(&chardev.lock);
	if (new < chardev.len) {
		mutex_unlock(&chardev.lock);
		kvfree(buf);
		return -EBUSY;	/* the data would not fit: CLEAR first */
	}
	memcpy(buf, chardev.buf, chardev.len);
	old = chardev.buf;
	chardev.buf = buf;
	WRITE_ONCE(chardev.size, new);
	mutex_unlock(&chardev.lock);

	kvfree(old);
	/* A reader at the old end of file now has room to wait for. */
	wake_up_interruptible(&chardev.wait);
	return 0;
}

static long chardev_peek(struct lkmdemo_chardev_peek __user *uarg)
{
	struct lkmdemo_chardev_peek arg;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;

	mutex_lock(&chardev.lock);
	if (arg.offset > chardev.len) {
		ret = -EINVAL;
		goto out_unlock;
	}
	arg.count = min_t(size_t, arg.count, chardev.len - arg.offset);
	if (copy_to_user(u64_to_user_ptr(arg.buf), chardev.buf + arg.offset,
			 arg.count)) {
		ret = -EFAULT;
		goto out_unlock;
	}
out_unlock:
	mutex_unlock(&chardev.lock);
	if (!ret && put_user(arg.count, &uarg->count))
		ret = -EFAULT;
	return ret;
}

static long chardev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct chardev_file *cf = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct lkmdemo_chardev_stats stats = {};
	u32 val;

	switch (cmd) {
	case LKMDEMO_CHARDEV_GET_SIZE:
		return put_user((u32)READ_ONCE(chardev.size), (u32 __user *)uarg);

	case LKMDEMO_CHARDEV_SET_SIZE:
		/* The permission before anything else: a refusal reads nothing. */
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (get_user(val, (u32 __user *)uarg))
			return -EFAULT;
		return chardev_set_size(val);

	case LKMDEMO_CHARDEV_CLEAR:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		mutex_lock(&chardev.lock);
		WRITE_ONCE(chardev.len, 0);
		mutex_unlock(&chardev.lock);
		wake_up_interruptible(&chardev.wait);
		return 0;

	case LKMDEMO_CHARDEV_GET_STATS:
		mutex_lock(&chardev.lock);
		stats.opens = chardev.opens;
		stats.bytes_read = chardev.bytes_read;
		stats.bytes_written = chardev.bytes_written;
		stats.file_bytes_read = cf->bytes_read;
		stats.file_bytes_written = cf->bytes_written;
		mutex_unlock(&chardev.lock);
		/* The whole struct was set: no kernel stack goes out with it. */
		if (copy_to_user(uarg, &stats, sizeof(stats)))
			return -EFAULT;
		return 0;

	case LKMDEMO_CHARDEV_PEEK:
		return chardev_peek(uarg);

	default:
		return -ENOTTY;	/* not an ioctl of this device */
	}
}

/*
 * .owner makes every open file hold a reference to the module: rmmod is
 * refused while one is open, so no file can call into code that is gone.
 * The structures of the uapi header have the same layout for 32-bit and
 * 64-bit programs, so a 32-bit program's ioctls need only its pointer
 * converted: compat_ptr_ioctl.
 */
static const struct file_operations chardev_fops = {
	.owner = THIS_MODULE,
	.open = chardev_open,
	.release = chardev_release,
	.read = chardev_read,
	.write = chardev_write,
	.llseek = chardev_llseek,
	.poll = chardev_poll,
	.unlocked_ioctl = chardev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice chardev_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "lkmdemo_chardev",
	.fops = &chardev_fops,
	.mode = 0644,
};

/* 7. init and exit. */

static int __init chardev_init(void)
{
	int ret;

	chardev.buf = kvzalloc(size, GFP_KERNEL);
	if (!chardev.buf)
		return -ENOMEM;
	chardev.size = size;

	/* From here on, open() may be called: everything it uses is ready. */
	ret = misc_register(&chardev_misc);
	if (ret)
		goto err_free_buf;

	pr_info("/dev/%s: %zu bytes\n", chardev_misc.name, chardev.size);
	return 0;

err_free_buf:
	kvfree(chardev.buf);
	return ret;
}
module_init(chardev_init);

static void __exit chardev_exit(void)
{
	/* No file is open (.owner), and no new open can begin after this. */
	misc_deregister(&chardev_misc);
	kvfree(chardev.buf);
}
module_exit(chardev_exit);

MODULE_DESCRIPTION("lkmdemo: a character device that programs read and write");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_LICENSE("GPL");
