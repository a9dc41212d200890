// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_params: module parameters of every kind
 *
 * A module parameter is a variable that the user sets when the module is
 * loaded: on the modprobe line, in an "options" line of /etc/modprobe.d,
 * or, when the module is built in, on the kernel command line as
 * lkmdemo_params.<name>=<value>. The kernel parses the value for the
 * declared type and refuses what does not parse, before init runs.
 *
 * The permission of each parameter decides its file in
 * /sys/module/lkmdemo_params/parameters/: 0 means no file, 0444 a file
 * that only reads, 0644 a file that root may also write at run time.
 *
 * Try it:
 *
 *   modprobe lkmdemo_params count=3 name=tux values=1,2,3 ratio=75
 *   cd /sys/module/lkmdemo_params/parameters && grep . *
 *   echo 20 > /sys/module/lkmdemo_params/parameters/ratio
 *   echo 500 > /sys/module/lkmdemo_params/parameters/ratio	(refused)
 *
 * or boot a kernel with it built in and lkmdemo_params.count=3 on the
 * command line.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/string.h>

#include <kunit/visibility.h>

#include "params.h"

/* 1. One parameter of each basic type, readable in sysfs (0444). */

static bool flag;
module_param(flag, bool, 0444);
MODULE_PARM_DESC(flag, "A bool: y/n, Y/N or 1/0; a bare 'flag' means y (default: N)");

static unsigned char ttl = 64;
module_param(ttl, byte, 0444);
MODULE_PARM_DESC(ttl, "A byte, 0 to 255 (default: 64)");

static short offset = -5;
module_param(offset, short, 0444);
MODULE_PARM_DESC(offset, "A short, -32768 to 32767 (default: -5)");

static unsigned short port = 8080;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "An unsigned short, 0 to 65535 (default: 8080)");

static int count = 1;
module_param(count, int, 0444);
MODULE_PARM_DESC(count, "An int (default: 1)");

static unsigned int id = 42;
module_param(id, uint, 0444);
MODULE_PARM_DESC(id, "An unsigned int (default: 42)");

static long delta = -100000;
module_param(delta, long, 0444);
MODULE_PARM_DESC(delta, "A long (default: -100000)");

static unsigned long limit = 1000000;
module_param(limit, ulong, 0444);
MODULE_PARM_DESC(limit, "An unsigned long (default: 1000000)");

static unsigned long long capacity = 1ULL << 40;
module_param(capacity, ullong, 0444);
MODULE_PARM_DESC(capacity, "An unsigned long long (default: 1099511627776)");

/* hexint takes any base and always shows the value in hex. */
static unsigned int mask = 0xff;
module_param(mask, hexint, 0444);
MODULE_PARM_DESC(mask, "An unsigned int shown in hex (default: 0x0000ff)");

/* charp: the kernel allocates a copy of the string and frees it on unload. */
static char *name = "world";
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "A string the kernel allocates (default: world)");

/*
 * 2. The same parsers in other shapes.
 *
 * module_param_named() gives the user a name ("quiet") for a variable that
 * the code calls something else ("verbose"); invbool stores the opposite
 * of what was given.
 */
static bool verbose = true;
module_param_named(quiet, verbose, invbool, 0444);
MODULE_PARM_DESC(quiet, "An invbool: quiet=y turns the greeting off (default: N)");

/* module_param_string() copies into a fixed buffer and refuses longer values. */
static char label[16] = "lkmdemo";
module_param_string(label, label, sizeof(label), 0444);
MODULE_PARM_DESC(label, "A string of at most 15 characters, copied into the module (default: lkmdemo)");

/*
 * An array takes comma-separated values and counts them in nr_values.
 * module_param_array(values, int, &nr_values, 0444) would declare it, but
 * the kernel's array parser stores each element as it reads it: a list
 * found too long on the kernel command line, where the error stops
 * nothing, would leave its first four values behind. values_set() runs
 * the same parser on a scratch array and keeps the result only when the
 * whole list was good.
 */
static int values[4] = { 10, 20 };
static unsigned int nr_values = 2;
static struct kparam_array values_array = {
	.max = ARRAY_SIZE(values),
	.elemsize = sizeof(values[0]),
	.num = &nr_values,
	.ops = &param_ops_int,
	.elem = values,
};

static int values_set(const char *val, const struct kernel_param *kp)
{
	struct kparam_array scratch_array = values_array;
	struct kernel_param scratch_kp = *kp;
	int scratch[ARRAY_SIZE(values)];
	unsigned int nr;
	int ret;

	scratch_array.elem = scratch;
	scratch_array.num = &nr;
	scratch_kp.arr = &scratch_array;
	ret = param_array_ops.set(val, &scratch_kp);
	if (ret)
		return ret;	/* the parser has logged why */

	memcpy(values, scratch, nr * sizeof(values[0]));
	nr_values = nr;
	return 0;
}

static int values_get(char *buffer, const struct kernel_param *kp)
{
	return param_array_ops.get(buffer, kp);
}

static const struct kernel_param_ops values_ops = {
	.set = values_set,
	.get = values_get,
};

module_param_cb(values, &values_ops, &values_array, 0444);
MODULE_PARM_DESC(values, "Up to 4 comma-separated ints (default: 10,20)");

/* Permission 0: settable at load or boot, but there is no file in sysfs. */
static unsigned int seed = 12345;
module_param(seed, uint, 0);
MODULE_PARM_DESC(seed, "An unsigned int with no sysfs file (default: 12345)");

/*
 * 3. A parameter with its own parser, writable at run time (0644).
 *
 * The kernel calls ratio_set() for the load or boot value and for every
 * write to /sys/module/lkmdemo_params/parameters/ratio, holding the
 * parameter lock, so two writers never run it at the same time. It
 * stores the value only once it is known to be in range.
 */
static unsigned int ratio = 50;

/**
 * lkmdemo_params_parse_ratio() - parse a value for the "ratio" parameter
 * @val: the text given by the user; one trailing newline is allowed
 * @ratio: where to store the value; left alone on error
 *
 * Return: 0 on success, -EINVAL if @val is not a decimal number, -ERANGE
 * if it is outside LKMDEMO_PARAMS_RATIO_MIN..LKMDEMO_PARAMS_RATIO_MAX.
 */
int lkmdemo_params_parse_ratio(const char *val, unsigned int *ratio)
{
	unsigned int new;
	int ret;

	ret = kstrtouint(val, 10, &new);
	if (ret)
		return ret;	/* -EINVAL, or -ERANGE if it overflows */
	if (new < LKMDEMO_PARAMS_RATIO_MIN || new > LKMDEMO_PARAMS_RATIO_MAX)
		return -ERANGE;
	*ratio = new;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lkmdemo_params_parse_ratio);

static int ratio_set(const char *val, const struct kernel_param *kp)
{
	unsigned int *ratio = kp->arg;
	int len = strcspn(val, "\n");
	unsigned int new;
	int ret;

	ret = lkmdemo_params_parse_ratio(val, &new);
	if (ret == -ERANGE) {
		pr_err("ratio: '%.*s' is out of range %u..%u\n", len, val,
		       LKMDEMO_PARAMS_RATIO_MIN, LKMDEMO_PARAMS_RATIO_MAX);
		return -EINVAL;
	}
	if (ret) {
		pr_err("ratio: '%.*s' is not a decimal number\n", len, val);
		return -EINVAL;
	}

	pr_info("ratio changed from %u to %u\n", *ratio, new);
	*ratio = new;
	return 0;
}

static const struct kernel_param_ops ratio_ops = {
	.set = ratio_set,
	.get = param_get_uint,
};

module_param_cb(ratio, &ratio_ops, &ratio, 0644);
MODULE_PARM_DESC(ratio, "An unsigned int from 1 to 100, writable at run time (default: 50)");

/* 4. Init shows what the module got, in the form sysfs shows it. */
static int __init params_init(void)
{
	char buf[64];
	unsigned int i;
	int len = 0;

	for (i = 0; i < nr_values; i++)
		len += scnprintf(buf + len, sizeof(buf) - len, "%s%d",
				 i ? "," : "", values[i]);
	buf[len] = '\0';

	pr_info("flag=%c ttl=%u offset=%d port=%u\n", flag ? 'Y' : 'N', ttl,
		offset, port);
	pr_info("count=%d id=%u delta=%ld limit=%lu capacity=%llu\n", count,
		id, delta, limit, capacity);
	pr_info("mask=%#08x name=%s label=%s\n", mask, name, label);
	pr_info("quiet=%c values=%s nr_values=%u seed=%u ratio=%u\n",
		verbose ? 'N' : 'Y', buf, nr_values, seed, ratio);
	if (verbose)
		pr_info("hello, %s\n", name);
	return 0;
}
module_init(params_init);

static void __exit params_exit(void)
{
	pr_info("unloaded, ratio was %u\n", ratio);
}
module_exit(params_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo developers");
MODULE_DESCRIPTION("Module parameters of every type, set at boot or at load");
MODULE_VERSION("1.0");
