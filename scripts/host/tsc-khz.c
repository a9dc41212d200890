// SPDX-License-Identifier: GPL-2.0
/*
 * tsc-khz: the frequency of this x86 host's TSC, in kHz.
 *
 * QEMU's TCG answers a guest's RDTSC with the host's TSC, so a guest
 * told this frequency (tsc_early_khz=) keeps the host's time. The TSC is
 * counted against CLOCK_MONOTONIC_RAW over 200 ms, three times; the
 * median is printed.
 */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static double seconds(const struct timespec *t)
{
	return t->tv_sec + t->tv_nsec / 1e9;
}

int main(void)
{
	const struct timespec pause = { .tv_nsec = 200 * 1000 * 1000 };
	struct timespec a, b;
	unsigned long long t0, t1;
	double khz[3], swap;
	int i, j;

	for (i = 0; i < 3; i++) {
		clock_gettime(CLOCK_MONOTONIC_RAW, &a);
		t0 = __rdtsc();
		nanosleep(&pause, NULL);
		clock_gettime(CLOCK_MONOTONIC_RAW, &b);
		t1 = __rdtsc();
		khz[i] = (t1 - t0) / (seconds(&b) - seconds(&a)) / 1000;
	}
	for (i = 0; i < 3; i++)
		for (j = i + 1; j < 3; j++)
			if (khz[j] < khz[i]) {
				swap = khz[i];
				khz[i] = khz[j];
				khz[j] = swap;
			}
	printf("%.0f\n", khz[1]);
	return 0;
}
