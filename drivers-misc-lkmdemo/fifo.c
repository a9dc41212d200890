// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_fifo: character devices that behave like a named pipe
 *
 * /dev/lkmdemo_fifo0 and /dev/lkmdemo_fifo1 ("fifos" of them) are
 * character devices of a major number of their own, each over a kfifo
 * of "size" bytes. Each follows pipe(7) and fifo(7) where they say what
 * a pipe does:
 *
 *  - open() for reading waits until some file has it open for writing,
 *    and the other way round; O_NONBLOCK opens for reading at once, and
 *    fails with ENXIO for writing when there is no reader; O_RDWR never
 *    waits;
 *  - read() takes what is there, up to the size asked; with nothing
 *    there it waits, fails with EAGAIN under O_NONBLOCK, and returns 0
 *    (end of file) when no file has the device open for writing;
 *  - write() waits for room; a write of up to PIPE_BUF bytes goes in
 *    whole, never mixed with another writer's bytes; a longer one may
 *    go in parts. With no reader it fails with EPIPE and sends SIGPIPE;
 *  - a signal ends a wait: the call fails with EINTR, or is restarted
 *    when the handler has SA_RESTART, and a write cut short by it
 *    returns what it wrote;
 *  - poll() says readable, writable (PIPE_BUF bytes of room), EPOLLHUP
 *    to a reader without writers, EPOLLERR to a writer without readers.
 *
 * Try it:
 *
 *   modprobe lkmdemo_fifo
 *   cat /dev/lkmdemo_fifo0 &
 *   echo hello > /dev/lkmdemo_fifo0	(cat prints it and ends)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kfifo.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#define DEMO_FIFOS_MAX		4
#define DEMO_SIZE_MIN		4096
#define DEMO_SIZE_MAX		(1024 * 1024)

/* 1. The parameters: how many devices, and how many bytes each holds. */

static unsigned int fifos = 2;
static unsigned int size = 65536;	/* what a pipe holds by default */

static int fifos_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < 1 || n > DEMO_FIFOS_MAX) {
		pr_err("fifos: '%.*s' is not a number from 1 to %d\n",
		       (int)strcspn(val, "\n"), val, DEMO_FIFOS_MAX);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

/* A kfifo's size is a power of two: it finds its place with a mask. */
static int size_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < DEMO_SIZE_MIN || n > DEMO_SIZE_MAX ||
	    !is_power_of_2(n)) {
		pr_err("size: '%.*s' is not a power of two from %d to %d\n",
		       (int)strcspn(val, "\n"), val, DEMO_SIZE_MIN,
		       DEMO_SIZE_MAX);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops fifos_ops = {
	.set = fifos_set,
	.get = param_get_uint,
};

static const struct kernel_param_ops size_ops = {
	.set = size_set,
	.get = param_get_uint,
};

/* 0444: both are used once, by init. */
module_param_cb(fifos, &fifos_ops, &fifos, 0444);
MODULE_PARM_DESC(fifos, "How many devices, lkmdemo_fifo0 and on, 1 to 4 (default: 2)");
module_param_cb(size, &size_ops, &size, 0444);
MODULE_PARM_DESC(size, "Bytes each device holds, a power of two from 4096 to 1048576 (default: 65536)");

/*
 * 2. One device. The mutex covers the kfifo and the counts. The wait
 * queues are tested without it: a wait condition reads a value once
 * and is tested again after every wake-up, so a stale value costs one
 * more turn, never a lost wake-up.
 */

struct demo_fifo {
	struct cdev *cdev;		/* cdev_alloc()'s: see demo_fifo_add() */
	struct mutex lock;		/* the kfifo, readers and writers */
	struct kfifo buf;
	wait_queue_head_t readq;	/* readers wait for bytes */
	wait_queue_head_t writeq;	/* writers wait for room */
	wait_queue_head_t openq;	/* opens wait for the other end */
	unsigned int readers;		/* open files that may read */
	unsigned int writers;		/* and that may write */
	unsigned int r_opens;		/* opens for reading, ever */
	unsigned int w_opens;		/* and for writing */
};

static struct demo_fifo *demo_fifos;
static unsigned int demo_nr_fifos;
static dev_t demo_devt;		/* the major, and the first minor */

/* Its nodes are /dev/lkmdemo_fifoN; devtmpfs makes them 0600. */
static struct class demo_class = {
	.name = "lkmdemo_fifo",
};

static struct demo_fifo *file_fifo(struct file *file)
{
	return file->private_data;
}

static bool has_bytes(struct demo_fifo *f)
{
	return !kfifo_is_empty(&f->buf);
}

static bool has_room(struct demo_fifo *f, size_t need)
{
	return kfifo_avail(&f->buf) >= need;
}

/* 3. Open and release: a reader waits for a writer, and so on. */

/*
 * The other end is there, or came and went while this open waited:
 * fifo(7) lets the open go on either way. The count of opens catches
 * the second case; @seen is that count as the caller read it under the
 * mutex, before it let go, so that an end that opens and closes in
 * between is not missed.
 */
static int wait_other_end(struct demo_fifo *f, unsigned int *count,
			  unsigned int *opens, unsigned int seen)
{
	return wait_event_interruptible(f->openq, READ_ONCE(*count) ||
					READ_ONCE(*opens) != seen);
}

/*
 * An open that waits is why these are not misc devices: misc_open()
 * calls the driver's open with the misc core's mutex held, and one open
 * waiting here would stop every open of every misc device. chrdev_open()
 * holds no lock across it.
 */
static int fifo_open(struct inode *inode, struct file *file)
{
	/* The cdev is not inside its demo_fifo: the minor says which. */
	struct demo_fifo *f = &demo_fifos[iminor(inode) - MINOR(demo_devt)];
	bool nonblock = file->f_flags & O_NONBLOCK;
	unsigned int seen;
	int ret = 0;

	file->private_data = f;
	mutex_lock(&f->lock);
	switch (file->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		f->readers++;
		f->r_opens++;
		wake_up_interruptible(&f->openq);
		if (!f->writers && !nonblock) {
			seen = f->w_opens;
			mutex_unlock(&f->lock);
			ret = wait_other_end(f, &f->writers, &f->w_opens, seen);
			mutex_lock(&f->lock);
			if (ret)
				f->readers--;
		}
		break;
	case FMODE_WRITE:
		if (!f->readers && nonblock) {
			ret = -ENXIO;
			break;
		}
		f->writers++;
		f->w_opens++;
		wake_up_interruptible(&f->openq);
		if (!f->readers) {
			seen = f->r_opens;
			mutex_unlock(&f->lock);
			ret = wait_other_end(f, &f->readers, &f->r_opens, seen);
			mutex_lock(&f->lock);
			if (ret)
				f->writers--;
		}
		break;
	case FMODE_READ | FMODE_WRITE:
		f->readers++;
		f->writers++;
		f->r_opens++;
		f->w_opens++;
		wake_up_interruptible(&f->openq);
		break;
	default:
		ret = -EINVAL;
	}
	/* A reader or writer that gave up: the other side may wait on it. */
	if (ret) {
		wake_up_interruptible(&f->readq);
		wake_up_interruptible(&f->writeq);
	}
	mutex_unlock(&f->lock);
	if (!ret)
		ret = stream_open(inode, file);
	return ret;
}

static int fifo_release(struct inode *inode, struct file *file)
{
	struct demo_fifo *f = file_fifo(file);

	mutex_lock(&f->lock);
	if (file->f_mode & FMODE_READ)
		f->readers--;
	if (file->f_mode & FMODE_WRITE)
		f->writers--;
	/* The last writer gone: readers see the end; the last reader: EPIPE. */
	wake_up_interruptible_poll(&f->readq, EPOLLIN | EPOLLHUP);
	wake_up_interruptible_poll(&f->writeq, EPOLLOUT | EPOLLERR);
	mutex_unlock(&f->lock);
	return 0;
}

/* 4. Read and write. */

static ssize_t fifo_read(struct file *file, char __user *buf, size_t count,
			 loff_t *ppos)
{
	struct demo_fifo *f = file_fifo(file);
	unsigned int copied;
	bool was_full;
	int ret;

	if (!count)
		return 0;
	if (mutex_lock_interruptible(&f->lock))
		return -ERESTARTSYS;
	while (!has_bytes(f)) {
		if (!f->writers) {
			mutex_unlock(&f->lock);
			return 0;		/* end of file */
		}
		mutex_unlock(&f->lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		/*
		 * -ERESTARTSYS: the kernel turns it into EINTR, or restarts
		 * the read when the signal's handler has SA_RESTART.
		 */
		if (wait_event_interruptible(f->readq, has_bytes(f) ||
					     !READ_ONCE(f->writers)))
			return -ERESTARTSYS;
		if (mutex_lock_interruptible(&f->lock))
			return -ERESTARTSYS;
	}
	/* kfifo counts in unsigned int; it never holds more than its size. */
	count = min_t(size_t, count, kfifo_size(&f->buf));
	/* A writer waits for PIPE_BUF bytes of room at most. */
	was_full = !has_room(f, PIPE_BUF);
	ret = kfifo_to_user(&f->buf, buf, count, &copied);
	mutex_unlock(&f->lock);
	if (copied && was_full)
		wake_up_interruptible_sync_poll(&f->writeq, EPOLLOUT | EPOLLWRNORM);
	return copied ? copied : ret;
}

/*
 * Up to PIPE_BUF bytes go in at once or not at all, so that two
 * writers' records never mix; a longer write takes what room there is,
 * and waits for more. Whatever the write put in before a signal or a
 * fault is what it returns.
 *
 * As pipe_write() does, a write wakes the readers only when it finds
 * the device empty, and a read wakes the writers only when it finds
 * less room than a writer may wait for: every other wake-up would find
 * nobody asleep, or wake a task for nothing.
 */
static ssize_t fifo_write(struct file *file, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	struct demo_fifo *f = file_fifo(file);
	size_t need = count <= PIPE_BUF ? count : 1;
	size_t done = 0;
	unsigned int copied;
	bool was_empty;
	int ret = 0;

	if (!count)
		return 0;
	if (mutex_lock_interruptible(&f->lock))
		return -ERESTARTSYS;
	while (done < count) {
		if (!f->readers) {
			send_sig(SIGPIPE, current, 0);
			ret = -EPIPE;
			break;
		}
		if (has_room(f, need)) {
			/* Readers wait only while it is empty. */
			was_empty = !has_bytes(f);
			ret = kfifo_from_user(&f->buf, buf + done,
					      min_t(size_t, count - done,
						    kfifo_size(&f->buf)),
					      &copied);
			done += copied;
			if (copied && was_empty)
				wake_up_interruptible_sync_poll(&f->readq,
								EPOLLIN | EPOLLRDNORM);
			if (ret)
				break;
			continue;
		}
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&f->lock);
		if (wait_event_interruptible(f->writeq, has_room(f, need) ||
					     !READ_ONCE(f->readers)))
			return done ? done : -ERESTARTSYS;
		if (mutex_lock_interruptible(&f->lock))
			return done ? done : -ERESTARTSYS;
	}
	mutex_unlock(&f->lock);
	return done ? done : ret;
}

static __poll_t fifo_poll(struct file *file, poll_table *wait)
{
	struct demo_fifo *f = file_fifo(file);
	__poll_t mask = 0;

	poll_wait(file, &f->readq, wait);
	poll_wait(file, &f->writeq, wait);

	mutex_lock(&f->lock);
	if (file->f_mode & FMODE_READ) {
		if (has_bytes(f))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (!f->writers)
			mask |= EPOLLHUP;
	}
	if (file->f_mode & FMODE_WRITE) {
		if (has_room(f, PIPE_BUF))
			mask |= EPOLLOUT | EPOLLWRNORM;
		if (!f->readers)
			mask |= EPOLLERR;
	}
	mutex_unlock(&f->lock);
	return mask;
}

static const struct file_operations fifo_fops = {
	.owner = THIS_MODULE,
	.open = fifo_open,
	.release = fifo_release,
	.read = fifo_read,
	.write = fifo_write,
	.poll = fifo_poll,
};

/* 5. Load and unload. */

static void demo_fifos_free(void)
{
	struct demo_fifo *f;

	while (demo_nr_fifos) {
		f = &demo_fifos[--demo_nr_fifos];
		device_destroy(&demo_class, f->cdev->dev);
		cdev_del(f->cdev);
		kfifo_free(&f->buf);
	}
	kfree(demo_fifos);
}

static int demo_fifo_add(struct demo_fifo *f, unsigned int i)
{
	dev_t devt = MKDEV(MAJOR(demo_devt), MINOR(demo_devt) + i);
	struct device *dev;
	int ret;

	mutex_init(&f->lock);
	init_waitqueue_head(&f->readq);
	init_waitqueue_head(&f->writeq);
	init_waitqueue_head(&f->openq);
	ret = kfifo_alloc(&f->buf, size, GFP_KERNEL);
	if (ret)
		return ret;

	/*
	 * A cdev is a kobject: its release ends it, when its last reference
	 * goes, and that may be after cdev_del() returns
	 * (CONFIG_DEBUG_KOBJECT_RELEASE delays every release by seconds, to
	 * find the code that frees one too soon). So it does not live in
	 * demo_fifos, which unload frees: the release of cdev_alloc()'s
	 * cdev frees it.
	 */
	f->cdev = cdev_alloc();
	if (!f->cdev) {
		ret = -ENOMEM;
		goto err_free;
	}
	f->cdev->ops = &fifo_fops;
	f->cdev->owner = THIS_MODULE;
	/* Open once cdev_add() returns: everything it uses is ready. */
	ret = cdev_add(f->cdev, devt, 1);
	if (ret)
		goto err_put;
	dev = device_create(&demo_class, NULL, devt, NULL, "lkmdemo_fifo%u", i);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto err_del;
	}
	return 0;

err_del:
	cdev_del(f->cdev);	/* and cdev_alloc()'s reference with it */
	goto err_free;
err_put:
	kobject_put(&f->cdev->kobj);
err_free:
	kfifo_free(&f->buf);
	return ret;
}

static int __init fifo_demo_init(void)
{
	unsigned int i;
	int ret;

	demo_fifos = kcalloc(fifos, sizeof(*demo_fifos), GFP_KERNEL);
	if (!demo_fifos)
		return -ENOMEM;
	ret = alloc_chrdev_region(&demo_devt, 0, fifos, "lkmdemo_fifo");
	if (ret)
		goto err_free;
	ret = class_register(&demo_class);
	if (ret)
		goto err_region;

	for (i = 0; i < fifos; i++) {
		ret = demo_fifo_add(&demo_fifos[i], i);
		if (ret)
			goto err_fifos;
		demo_nr_fifos++;
	}

	pr_info("%u devices, /dev/lkmdemo_fifo0 and on (major %d), %u bytes each\n",
		fifos, MAJOR(demo_devt), size);
	return 0;

err_fifos:
	demo_fifos_free();
	class_unregister(&demo_class);
	unregister_chrdev_region(demo_devt, fifos);
	return ret;
err_region:
	unregister_chrdev_region(demo_devt, fifos);
err_free:
	kfree(demo_fifos);
	return ret;
}
module_init(fifo_demo_init);

static void __exit fifo_demo_exit(void)
{
	demo_fifos_free();
	class_unregister(&demo_class);
	unregister_chrdev_region(demo_devt, fifos);
}
module_exit(fifo_demo_exit);

MODULE_DESCRIPTION("lkmdemo: character devices that behave like a named pipe, on a kfifo");
MODULE_AUTHOR("The lkmdemo developers <lkmdemo@example.org>");
MODULE_LICENSE("GPL");
