/*
 * bench_report.c - render time and output size at scale: a 1e6-trial
 * simulation whose CDFs carry 200,000 points each and a 1,000-database
 * fleet, in every format.  Prints figures; asserts nothing (make bench).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/unit/fixtures.h"
#include "report.h"

static void bench(const char *label, const res_result *r)
{
	size_t n;
	const rpt_format *const *all = rpt_all(&n);
	for (size_t i = 0; i < n; i++) {
		dr_buf out = {0};
		double t0 = dr_now_mono();
		if (all[i]->render(r, &out, false) != DR_OK) {
			printf("%s %s: render failed\n", label, all[i]->name);
			continue;
		}
		double dt = dr_now_mono() - t0;
		printf("bench_report: %-34s %-6s %8.1f ms %10zu bytes (%.2f MiB)\n", label, all[i]->name, dt * 1e3,
		       out.len, (double)out.len / (1024.0 * 1024.0));
		dr_buf_release(&out);
	}
}

int main(void)
{
	res_result *big = fx_simulate_sized(1000000, 200000, 1000);
	bench("1e6 trials, 200k-point CDFs, 1000 db", big);
	res_free(big);
	res_result *typical = fx_simulate_sized(1000000, 2000, 1000);
	bench("1e6 trials, 2k-point CDFs, 1000 db", typical);
	res_free(typical);
	return 0;
}
