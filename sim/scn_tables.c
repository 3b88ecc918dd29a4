/*
 * scn_tables.c - the rows that define the scenario language.  See
 * scn_tables.h.  Changing the language means changing a row here; the
 * loader, the JSON Schema and the suggestions follow.
 */
#include "scn_tables.h"

#include <stddef.h>

const dr_var scn_vars[SCN__NVAR] = {
	[SCN_VAR_SIZE] = {"size", {1, 0}, "database size"},
	[SCN_VAR_WRITE_RATE] = {"write_rate", {1, -1}, "rate of change written to the database"},
	[SCN_VAR_REPLAY] = {"replay", {1, 0}, "transaction log to replay since the restored base"},
	[SCN_VAR_LAG] = {"lag", {0, 1}, "replica lag at the event"},
	[SCN_VAR_COUNT] = {"count", {0, 0}, "databases hit by the disaster"},
};

const char *const scn_strategy_names[SCN__NSTRATEGY] = {"backup-restore", "pilot-light", "warm-standby",
							 "multi-site"};
const char *const scn_disaster_names[SCN__NDIS] = {"instance-failure", "az-outage", "region-outage",
						   "logical-corruption", "ransomware"};
const char *const scn_platform_names[SCN__NPLATFORM] = {"self-managed", "rds", "aurora"};
const char *const scn_kms_names[SCN__NKMS] = {"none", "default", "customer-managed"};
const char *const scn_copy_of_names[SCN__NCOPYOF] = {"snapshots", "logs", "automated-backups", "export"};
static const char *const repl_names[] = {"async", "sync"};
static const char *const scope_names[] = {"database", "once"};
static const char *const cleanup_names[] = {"always", "on-success", "never"};

const char *const scn_action_keys[] = {"manual", "driver", "op"};
const size_t scn_n_action_keys = sizeof(scn_action_keys) / sizeof(scn_action_keys[0]);
const char *const scn_action_params[] = {
	"to", "run", "url", "sql", "expect", "timeout", "target", "source", "snapshot", "region",
	"instance", "cluster", "global_cluster", "bucket", "key", "command", "status", "env", "rows",
	"table", "count", "kms_key", "account", "type", "tls_verify", "interval", "cwd", "method",
};
const size_t scn_n_action_params = sizeof(scn_action_params) / sizeof(scn_action_params[0]);

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NOPOS SIZE_MAX

/* Row helpers: F(struct, member, key, type) with the rest defaulted. */
#define ROW(st, m, k, t, ...) {.key = k, .type = t, .off = offsetof(st, m), .pos_off = NOPOS, __VA_ARGS__}
#define LISTROW(st, m, cnt, k, t, ...)                                                        \
	{.key = k, .type = t, .off = offsetof(st, m), .count_off = offsetof(st, cnt), .pos_off = NOPOS, \
	 __VA_ARGS__}

static const scn_field objectives_fields[] = {
	ROW(scn_objectives, rpo_s, "rpo", SCN_T_DURATION, .required = true, .help = "recovery point objective: the most data loss, as time, tolerated", .example = "15m"),
	ROW(scn_objectives, rto_s, "rto", SCN_T_DURATION, .required = true, .help = "recovery time objective: the longest outage tolerated, from the event", .example = "4h"),
	ROW(scn_objectives, percentile, "percentile", SCN_T_PERCENT, .def = "95", .help = "share of disasters (in %) that must meet both objectives", .example = "95"),
};
static const scn_table objectives_table = {
	.name = "objectives", .size = sizeof(scn_objectives), .pos_off = offsetof(scn_objectives, pos),
	.set_off = offsetof(scn_objectives, set),
	.fields = objectives_fields, .n_fields = N(objectives_fields),
	.help = "recovery objectives; percentile defaults to 95"};

static const scn_field site_fields[] = {
	ROW(scn_site, region, "region", SCN_T_STRING, .required = true, .help = "cloud region or data-centre name", .example = "us-east-1"),
	ROW(scn_site, account, "account", SCN_T_STRING, .help = "account (or security boundary) holding the site; defaults to the primary's", .example = "prod"),
	ROW(scn_site, az, "az", SCN_T_STRING, .help = "availability zone", .example = "us-east-1a"),
};
static const scn_table site_table = {
	.name = "site", .size = sizeof(scn_site), .name_off = offsetof(scn_site, name),
	.pos_off = offsetof(scn_site, pos), .fields = site_fields, .n_fields = N(site_fields),
	.help = "a place data can live: named by its key"};

static const scn_field database_fields[] = {
	ROW(scn_database, name, "name", SCN_T_STRING, .required = true, .help = "database or fleet name", .example = "payments"),
	ROW(scn_database, engine, "engine", SCN_T_STRING, .def = "postgres", .help = "postgres, mysql, aurora-postgresql, aurora-mysql, ...", .example = "postgres"),
	ROW(scn_database, platform, "platform", SCN_T_ENUM, .names = scn_platform_names, .n_names = SCN__NPLATFORM, .def = "from the engine (aurora-* is aurora), else self-managed", .help = "where it runs", .example = "rds"),
	ROW(scn_database, count, "count", SCN_T_INT, .min = 1, .max = 100000, .def = "1", .help = "number of databases alike (a fleet)", .example = "40"),
	ROW(scn_database, size, "size", SCN_T_EXPR, .required = true, .dim = {1, 0}, .help = "size, or a size distribution for a fleet", .example = "lognormal(median=200GiB, p95=2TiB)"),
	ROW(scn_database, write_rate, "write_rate", SCN_T_EXPR, .dim = {1, -1}, .def = "1MiB/s", .help = "rate of change", .example = "4MiB/s"),
	ROW(scn_database, tier, "tier", SCN_T_INT, .min = 1, .max = 9, .def = "1", .help = "recovery priority: tier 1 is served first", .example = "1"),
	ROW(scn_database, site, "site", SCN_T_SITE, .def = "the primary site", .help = "site where the database runs", .example = "primary"),
};
static void database_init(void *elem)
{
	scn_database *d = elem;
	d->site = -1;
	d->count = 1;
	d->tier = 1;
}

static const scn_table database_table = {
	.init = database_init,
	.name = "database", .size = sizeof(scn_database), .pos_off = offsetof(scn_database, pos),
	.fields = database_fields, .n_fields = N(database_fields), .help = "a database, or a fleet of alike databases"};

static const scn_field auto_fields[] = {
	ROW(scn_auto_backups, retention_s, "retention", SCN_T_DURATION, .required = true, .max = 35 * 86400.0, .help = "how long automated backups are kept: 0 disables them (RDS), at most 35d", .example = "7d"),
	ROW(scn_auto_backups, window_start_s, "window", SCN_T_WINDOW, .def = "00:00-00:30", .help = "daily backup window, UTC, HH:MM-HH:MM", .example = "03:00-03:30"),
	ROW(scn_auto_backups, log_upload_s, "log_upload", SCN_T_DURATION, .min = 1, .max = 86400, .def = "5m", .help = "transaction-log upload interval", .example = "5m"),
};
static const scn_table auto_table = {
	.name = "automated_backups", .pos_off = offsetof(scn_auto_backups, pos),
	.set_off = offsetof(scn_auto_backups, present), .fields = auto_fields,
	.n_fields = N(auto_fields), .help = "automated backups: a daily snapshot plus transaction logs"};

static const scn_field snap_fields[] = {
	ROW(scn_manual_snapshots, every_s, "every", SCN_T_DURATION, .min = 60, .help = "manual snapshot schedule", .example = "24h"),
	ROW(scn_manual_snapshots, retention_s, "retention", SCN_T_DURATION, .def = "until deleted", .help = "how long manual snapshots are kept", .example = "90d"),
};
static const scn_table snap_table = {
	.name = "snapshots", .pos_off = offsetof(scn_manual_snapshots, pos), .fields = snap_fields,
	.n_fields = N(snap_fields), .help = "manual snapshots, kept until deleted"};

static const scn_field copy_fields[] = {
	ROW(scn_copy, of, "of", SCN_T_ENUM, .required = true, .names = scn_copy_of_names, .n_names = SCN__NCOPYOF, .help = "what is copied", .example = "snapshots"),
	ROW(scn_copy, to_site, "to", SCN_T_SITE, .required = true, .help = "destination site", .example = "dr"),
	ROW(scn_copy, every_s, "every", SCN_T_DURATION, .def = "after each snapshot", .help = "copy schedule", .example = "24h"),
	ROW(scn_copy, throughput, "throughput", SCN_T_EXPR, .dim = {1, -1}, .def = "unlimited", .help = "copy throughput", .example = "200MiB/s"),
	ROW(scn_copy, delay, "delay", SCN_T_EXPR, .dim = {0, 1}, .def = "0s", .help = "delay before a copy is usable at the destination", .example = "lognormal(median=2m, p95=10m)"),
	ROW(scn_copy, retention_s, "retention", SCN_T_DURATION, .def = "as the source", .help = "retention at the destination", .example = "14d"),
	ROW(scn_copy, kms, "kms_key", SCN_T_ENUM, .names = scn_kms_names, .n_names = SCN__NKMS, .def = "none", .help = "encryption key kind of the copied data", .example = "customer-managed"),
};
static void copy_init(void *elem)
{
	((scn_copy *)elem)->to_site = -1;
}

static const scn_table copy_table = {
	.init = copy_init,
	.name = "copy", .size = sizeof(scn_copy), .pos_off = offsetof(scn_copy, pos), .fields = copy_fields,
	.n_fields = N(copy_fields), .help = "a copy of snapshots, logs or backups to another site"};

static const scn_field replica_fields[] = {
	ROW(scn_replica, site, "at", SCN_T_SITE, .required = true, .help = "site of the replica", .example = "dr"),
	ROW(scn_replica, mode, "mode", SCN_T_ENUM, .names = repl_names, .n_names = 2, .def = "async", .help = "async (lags) or sync (no acknowledged write lost)", .example = "async"),
	ROW(scn_replica, lag, "lag", SCN_T_EXPR, .dim = {0, 1}, .def = "1s for async", .help = "replication lag distribution", .example = "lognormal(median=300ms, p95=2s)"),
};
static void replica_init(void *elem)
{
	((scn_replica *)elem)->site = -1;
}

static const scn_table replica_table = {
	.init = replica_init,
	.name = "replica", .size = sizeof(scn_replica), .pos_off = offsetof(scn_replica, pos),
	.fields = replica_fields, .n_fields = N(replica_fields), .help = "a replica of every database"};

static const scn_field clone_fields[] = {
	ROW(scn_clone, site, "at", SCN_T_SITE, .required = true, .help = "site of the clone", .example = "primary"),
};
static const scn_table clone_table = {
	.name = "clone", .size = sizeof(scn_clone), .pos_off = offsetof(scn_clone, pos), .fields = clone_fields,
	.n_fields = N(clone_fields), .help = "a copy-on-write clone (Aurora) used for triage"};

static const scn_field protection_fields[] = {
	ROW(scn_protection, automated, "automated_backups", SCN_T_OBJECT, .sub = &auto_table, .help = "automated backups"),
	ROW(scn_protection, snapshots, "snapshots", SCN_T_OBJECT, .sub = &snap_table, .help = "manual snapshots"),
	LISTROW(scn_protection, copies, n_copies, "copies", SCN_T_LIST, .sub = &copy_table, .help = "copies to other sites or accounts"),
	LISTROW(scn_protection, replicas, n_replicas, "replicas", SCN_T_LIST, .sub = &replica_table, .help = "replicas"),
	LISTROW(scn_protection, clones, n_clones, "clones", SCN_T_LIST, .sub = &clone_table, .help = "copy-on-write clones"),
};
static const scn_table protection_table = {
	.name = "protection", .pos_off = NOPOS, .fields = protection_fields, .n_fields = N(protection_fields),
	.help = "how the databases are protected"};

static const scn_field disaster_fields[] = {
	ROW(scn_disaster, kind, "kind", SCN_T_ENUM, .required = true, .names = scn_disaster_names, .n_names = SCN__NDIS, .help = "what happens", .example = "region-outage"),
	ROW(scn_disaster, rate_per_s, "rate", SCN_T_RATE, .required = true, .help = "how often, e.g. 2/y or 1/10y", .example = "1/10y"),
	ROW(scn_disaster, detect, "detect", SCN_T_EXPR, .dim = {0, 1}, .def = "0s", .help = "time from the event until recovery is started", .example = "uniform(2m, 10m)"),
	ROW(scn_disaster, objectives, "objectives", SCN_T_OBJECT, .sub = &objectives_table, .help = "objectives for this kind, overriding the scenario's"),
};
static void disaster_init(void *elem)
{
	scn_disaster *d = elem;
	d->kind = SCN__NDIS; /* "not understood" until 'kind' parses */
	d->rate_per_s = -1;  /* "not given"; a written 0 is reported */
}

static const scn_table disaster_table = {
	.init = disaster_init,
	.name = "disaster", .size = sizeof(scn_disaster), .pos_off = offsetof(scn_disaster, pos),
	.fields = disaster_fields, .n_fields = N(disaster_fields), .help = "a kind of disaster and its rate"};

static const scn_field step_fields[] = {
	ROW(scn_step, name, "step", SCN_T_STRING, .required = true, .help = "step name", .example = "restore"),
	ROW(scn_step, model, "model", SCN_T_EXPR, .required = true, .dim = {0, 1}, .vars = true, .help = "duration model: a duration, a distribution or an expression over size, write_rate, replay, lag, count", .example = "10m + size/250MiB/s"),
	LISTROW(scn_step, uses, n_uses, "uses", SCN_T_RESOURCES, .help = "shared resources held during the step", .example = "restore-slot"),
	ROW(scn_step, once, "scope", SCN_T_ENUM, .names = scope_names, .n_names = 2, .store = SCN_STORE_BOOL, .def = "database", .help = "database: once per database hit; once: once for the disaster", .example = "once"),
	ROW(scn_step, verify, "verify", SCN_T_BOOL, .def = "true when the step is named verify*", .help = "this step verifies the recovered data", .example = "true"),
	ROW(scn_step, timeout_s, "timeout", SCN_T_DURATION, .def = "10 x the model's p95", .help = "drill timeout for the step", .example = "30m"),
	ROW(scn_step, action, "action", SCN_T_ACTION, .help = "what a drill does: {manual: text} or {driver: NAME, op: OP, ...}"),
};
const scn_table scn_step_table = {
	.name = "step", .size = sizeof(scn_step), .pos_off = offsetof(scn_step, pos), .fields = step_fields,
	.n_fields = N(step_fields), .help = "a runbook step"};

static const scn_field resource_fields[] = {
	ROW(scn_resource, capacity, "capacity", SCN_T_INT, .required = true, .min = 1, .max = 1000000, .help = "units that can be held at once", .example = "20"),
};
static const scn_table resource_table = {
	.name = "resource", .size = sizeof(scn_resource), .name_off = offsetof(scn_resource, name),
	.pos_off = offsetof(scn_resource, pos), .fields = resource_fields, .n_fields = N(resource_fields),
	.help = "a shared resource with a capacity (restore slots, operators)"};

static const scn_field costs_fields[] = {
	ROW(scn_costs, currency, "currency", SCN_T_STRING, .def = "USD", .help = "currency code", .example = "USD"),
	ROW(scn_costs, storage_gb_month, "storage_gb_month", SCN_T_NUMBER, .min = 0, .help = "backup storage per GB-month", .example = "0.095"),
	ROW(scn_costs, transfer_gb, "transfer_gb", SCN_T_NUMBER, .min = 0, .help = "cross-region transfer per GB", .example = "0.02"),
	ROW(scn_costs, standby_hour, "standby_hour", SCN_T_NUMBER, .min = 0, .help = "one standby instance-hour", .example = "1.2"),
	ROW(scn_costs, instance_hour, "instance_hour", SCN_T_NUMBER, .min = 0, .def = "standby_hour", .help = "one full-size instance-hour", .example = "1.2"),
};
static const scn_table costs_table = {
	.name = "costs", .pos_off = offsetof(scn_costs, pos), .set_off = offsetof(scn_costs, set), .fields = costs_fields, .n_fields = N(costs_fields),
	.help = "unit prices for the cost model"};

static const scn_field drill_fields[] = {
	ROW(scn_drill, driver, "driver", SCN_T_STRING, .required = true, .help = "postgres-sandbox, postgres, aws-rds, dry-run", .example = "postgres-sandbox"),
	ROW(scn_drill, size, "size", SCN_T_SIZE, .def = "16MiB", .help = "data loaded into a sandbox", .example = "64MiB"),
	ROW(scn_drill, canary_interval_s, "canary", SCN_T_DURATION, .min = 0.001, .max = 60, .def = "50ms", .help = "canary write interval: the RPO resolution", .example = "50ms"),
	ROW(scn_drill, cleanup, "cleanup", SCN_T_ENUM, .names = cleanup_names, .n_names = 3, .store = SCN_STORE_STRING, .def = "always", .help = "when to remove what the drill created", .example = "always"),
	ROW(scn_drill, workdir, "workdir", SCN_T_STRING, .help = "work directory (default: a new temporary one)"),
	ROW(scn_drill, conninfo, "conninfo", SCN_T_STRING, .help = "postgres driver: the source cluster (libpq conninfo)", .example = "host=127.0.0.1 port=5432 dbname=app"),
	ROW(scn_drill, backup_dir, "backup_dir", SCN_T_STRING, .help = "postgres driver: base backup directory or tar"),
	ROW(scn_drill, wal_archive, "wal_archive", SCN_T_STRING, .help = "postgres driver: WAL archive directory"),
	LISTROW(scn_drill, tables, n_tables, "tables", SCN_T_STRLIST, .help = "tables whose row counts are verified after a restore"),
	LISTROW(scn_drill, checks, n_checks, "checks", SCN_T_STRLIST, .help = "SQL queries that must return true after a restore"),
	LISTROW(scn_drill, allow_accounts, n_allow_accounts, "allow_accounts", SCN_T_STRLIST, .help = "aws: account ids a drill may change"),
	ROW(scn_drill, region, "region", SCN_T_STRING, .help = "aws: region of the drill", .example = "us-west-2"),
	LISTROW(scn_drill, params, n_params, "params", SCN_T_PARAMS, .help = "other driver options"),
};
static const scn_table drill_table = {
	.name = "drill", .pos_off = offsetof(scn_drill, pos), .set_off = offsetof(scn_drill, set), .fields = drill_fields, .n_fields = N(drill_fields),
	.help = "how drills run"};

static const scn_field root_fields[] = {
	ROW(scenario, name, "drsim", SCN_T_VERSION, .required = true, .help = "scenario language version: 1", .example = "1"),
	ROW(scenario, name, "name", SCN_T_STRING, .required = true, .help = "scenario name", .example = "payments warm standby"),
	ROW(scenario, description, "description", SCN_T_STRING, .help = "free text"),
	ROW(scenario, objectives, "objectives", SCN_T_OBJECT, .required = true, .sub = &objectives_table, .help = "recovery objectives"),
	LISTROW(scenario, sites, n_sites, "sites", SCN_T_NAMED_MAP, .required = true, .sub = &site_table, .help = "sites by name; 'primary' and 'dr' are found by name"),
	LISTROW(scenario, dbs, n_dbs, "databases", SCN_T_LIST, .required = true, .sub = &database_table, .help = "the database estate"),
	ROW(scenario, protection, "protection", SCN_T_OBJECT, .sub = &protection_table, .help = "backups, copies, replicas"),
	{.key = "strategy", .type = SCN_T_ENUM, .off = offsetof(scenario, strategy), .pos_off = offsetof(scenario, strategy_pos), .required = true, .names = scn_strategy_names, .n_names = SCN__NSTRATEGY, .help = "DR strategy", .example = "warm-standby"},
	LISTROW(scenario, disasters, n_disasters, "disasters", SCN_T_LIST, .required = true, .sub = &disaster_table, .help = "what can happen"),
	LISTROW(scenario, runbooks, n_runbooks, "runbooks", SCN_T_RUNBOOKS, .required = true, .sub = &scn_step_table, .help = "recovery steps per disaster kind"),
	LISTROW(scenario, resources, n_resources, "resources", SCN_T_NAMED_MAP, .sub = &resource_table, .help = "shared resources by name"),
	ROW(scenario, costs, "costs", SCN_T_OBJECT, .sub = &costs_table, .help = "unit prices"),
	ROW(scenario, drill, "drill", SCN_T_OBJECT, .sub = &drill_table, .help = "drill settings"),
};
const scn_table scn_root_table = {
	.name = "scenario", .pos_off = offsetof(scenario, pos), .fields = root_fields, .n_fields = N(root_fields),
	.help = "a drsim scenario"};
