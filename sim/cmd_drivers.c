/*
 * cmd_drivers.c - "drsim drivers": every drill driver known to this drsim,
 * its version and capabilities, and whether it is usable here (else why).
 */
#include <stdio.h>

#include "cli.h"
#include "driver.h"

static int run_drivers(int argc, char **argv);

const dr_command cmd_drivers_def = {
	.name = "drivers",
	.fn = run_drivers,
	.synopsis = "",
	.summary = "list drill drivers, their capabilities and whether they are usable here",
	.help = "Exit 0.  A driver that is not built into this drsim is listed with the reason.",
	.opts = NULL,
};

static int run_drivers(int argc, char **argv)
{
	dr_strlist args = {0};
	int rc = dr_opts_parse(&cmd_drivers_def, argc, argv, &args);
	size_t nargs = args.n;
	dr_strlist_release(&args);
	if (rc != 0 || nargs != 0) {
		if (rc == 0)
			dr_error("'drivers' takes no arguments");
		return rc > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
	}
	size_t n;
	const drv_entry *e = drv_registry(&n);
	printf("%-18s %-8s %-7s %s\n", "DRIVER", "VERSION", "USABLE", "CAPABILITIES / REASON");
	for (size_t i = 0; i < n; i++) {
		if (!e[i].ops) {
			printf("%-18s %-8s %-7s %s\n", e[i].name, "-", "no", e[i].reason);
			continue;
		}
		char why[256] = "";
		bool ok = drv_supported(e[i].ops, why, sizeof why);
		char caps[128] = "";
		size_t len = 0;
		for (unsigned b = 0; b < 8; b++)
			if (e[i].ops->caps & (1u << b))
				len += (size_t)snprintf(caps + len, sizeof caps - len, "%s%s", len ? "," : "", drv_cap_names[b]);
		printf("%-18s %-8s %-7s %s%s%s\n", e[i].name, e[i].ops->version, ok ? "yes" : "no", caps,
		       ok ? "" : "; ", ok ? "" : why);
	}
	return DR_EXIT_OK;
}
