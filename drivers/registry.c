/*
 * registry.c - the explicit list of drill drivers.  A driver not built into
 * this drsim stays listed with the reason, so `drsim drivers` shows it.
 */
#include "driver.h"

#include <stdio.h>
#include <string.h>

static const drv_entry registry[] = {
	{"dry-run", &drv_dryrun_ops, NULL},
	{"shell", &drv_shell_ops, NULL},
	{"http", &drv_http_ops, NULL},
	{"postgres-sandbox", &drv_pg_sandbox_ops, NULL},
	{"postgres", &drv_pg_existing_ops, NULL},
	{"aws-rds", &drv_aws_rds_ops, NULL},
};

const drv_entry *drv_registry(size_t *n)
{
	*n = sizeof registry / sizeof registry[0];
	return registry;
}

const drv_ops *drv_find(const char *name)
{
	for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++)
		if (registry[i].ops && strcmp(registry[i].name, name) == 0)
			return registry[i].ops;
	return NULL;
}

bool drv_ops_valid(const drv_ops *ops, char *why, size_t n)
{
	if (!ops->name || !*ops->name) {
		snprintf(why, n, "driver without a name");
		return false;
	}
	if (ops->abi_version != DRV_ABI_VERSION) {
		snprintf(why, n, "driver '%s' has interface version %d, drsim speaks %d", ops->name,
			 ops->abi_version, DRV_ABI_VERSION);
		return false;
	}
	if (!ops->version || !ops->supported || !ops->describe) {
		snprintf(why, n, "driver '%s' lacks version, supported() or describe()", ops->name);
		return false;
	}
	static const struct {
		unsigned cap;
		size_t off;
		const char *op;
	} needs[] = {
		{DRV_CAP_SETUP, offsetof(drv_ops, setup), "setup"},
		{DRV_CAP_INJECT, offsetof(drv_ops, inject), "inject"},
		{DRV_CAP_CANARY, offsetof(drv_ops, endpoint), "endpoint"},
		{DRV_CAP_HEALTH, offsetof(drv_ops, health), "health"},
		{DRV_CAP_STEP, offsetof(drv_ops, step), "step"},
	};
	for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++) {
		void *fn;
		memcpy(&fn, (const char *)ops + needs[i].off, sizeof fn);
		if ((ops->caps & needs[i].cap) && !fn) {
			snprintf(why, n, "driver '%s' claims '%s' without %s()", ops->name,
				 drv_cap_names[__builtin_ctz(needs[i].cap)], needs[i].op);
			return false;
		}
	}
	for (const drv_option *o = ops->options; o && o->name; o++)
		if (!o->type || !o->help) {
			snprintf(why, n, "driver '%s' option '%s' lacks a type or help", ops->name, o->name);
			return false;
		}
	return true;
}
