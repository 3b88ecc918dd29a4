/*
 * scenario.h - the typed scenario: a database estate, how it is protected,
 * the disasters that can hit it, the objectives and the recovery runbooks.
 *
 * scn_load() reads YAML (libyaml) into these structs with every unit
 * resolved and every node's file:line:col kept; scn_free() releases it.
 * After a successful load the scenario is valid: references resolve,
 * ranges hold, the strategy has what it needs.  Consumers (simulator,
 * drills, lint, reports) only read it.
 *
 * All durations are seconds, sizes bytes, throughputs bytes/second, rates
 * events/second.  Indices into arrays are -1 when absent.
 */
#ifndef DR_SCENARIO_H
#define DR_SCENARIO_H

#include <jansson.h>

#include "expr.h"

/* Variables a step model may name; index = slot in the vars array. */
enum scn_var {
	SCN_VAR_SIZE,       /* database size, bytes */
	SCN_VAR_WRITE_RATE, /* bytes/s of change */
	SCN_VAR_REPLAY,     /* log bytes to replay since the restored base, bytes */
	SCN_VAR_LAG,        /* replica lag at the event, seconds */
	SCN_VAR_COUNT,      /* databases hit by the disaster */
	SCN__NVAR
};
extern const dr_var scn_vars[SCN__NVAR];

typedef enum { SCN_BACKUP_RESTORE, SCN_PILOT_LIGHT, SCN_WARM_STANDBY, SCN_MULTI_SITE, SCN__NSTRATEGY } scn_strategy;
extern const char *const scn_strategy_names[SCN__NSTRATEGY]; /* "backup-restore", ... */

typedef enum {
	SCN_DIS_INSTANCE,   /* one instance lost; its storage in the AZ survives elsewhere */
	SCN_DIS_AZ,         /* an availability zone lost */
	SCN_DIS_REGION,     /* a whole region lost: primary and all stored there */
	SCN_DIS_CORRUPTION, /* logical corruption: replicas copy the damage */
	SCN_DIS_RANSOMWARE, /* account compromise: same-account backups suspect */
	SCN__NDIS
} scn_disaster_kind;
extern const char *const scn_disaster_names[SCN__NDIS]; /* "instance-failure", "az-outage", "region-outage", "logical-corruption", "ransomware" */

typedef enum { SCN_PLATFORM_SELF, SCN_PLATFORM_RDS, SCN_PLATFORM_AURORA, SCN__NPLATFORM } scn_platform;
extern const char *const scn_platform_names[SCN__NPLATFORM]; /* "self-managed", "rds", "aurora" */

typedef enum { SCN_KMS_NONE, SCN_KMS_DEFAULT, SCN_KMS_CUSTOMER, SCN__NKMS } scn_kms;
extern const char *const scn_kms_names[SCN__NKMS]; /* "none", "default", "customer-managed" */

typedef struct {
	double rpo_s, rto_s;
	double percentile; /* in (0,100) */
	dr_pos pos;
	bool set;          /* written in the file (per-disaster overrides) */
} scn_objectives;

typedef struct {
	char *name;
	char *region;
	char *account; /* may be NULL: same as primary */
	char *az;      /* may be NULL */
	dr_pos pos;
} scn_site;

typedef struct {
	char *name;
	char *engine;          /* "postgres", "mysql", "aurora-postgresql", ... */
	scn_platform platform; /* from engine / "platform:" */
	int count;             /* 1 unless a fleet */
	dr_expr *size;         /* size distribution (fixed for a single db) */
	dr_expr *write_rate;   /* throughput */
	int tier;              /* 1 = most important; served first */
	int site;              /* index into sites; default the primary */
	dr_pos pos;
} scn_database;

typedef struct {
	bool enabled;          /* present and retention > 0 */
	bool present;          /* the key was written */
	double retention_s;    /* 0 disables (RDS); 1..35 days */
	double window_start_s; /* seconds after midnight UTC */
	double window_len_s;
	double log_upload_s;   /* transaction-log upload interval (~5 min on RDS) */
	dr_pos pos;
} scn_auto_backups;

typedef struct {
	double every_s;     /* 0: none scheduled */
	double retention_s; /* 0: kept until deleted */
	dr_pos pos;
} scn_manual_snapshots;

typedef enum { SCN_COPY_SNAPSHOTS, SCN_COPY_LOGS, SCN_COPY_BACKUPS, SCN_COPY_EXPORT, SCN__NCOPYOF } scn_copy_of;
extern const char *const scn_copy_of_names[SCN__NCOPYOF]; /* "snapshots", "logs", "automated-backups", "export" */

typedef struct {
	scn_copy_of of;
	int to_site;           /* destination site */
	bool cross_account;    /* destination site's account differs from the primary's */
	bool cross_region;
	double every_s;        /* schedule for snapshot copies (0 = after each snapshot) */
	dr_expr *throughput;   /* copy throughput (NULL: unlimited) */
	dr_expr *delay;        /* extra delay before a copy is usable (logs: shipping delay) */
	double retention_s;    /* 0 = same as source */
	scn_kms kms;
	dr_pos pos;
} scn_copy;

typedef enum { SCN_REPL_ASYNC, SCN_REPL_SYNC, SCN__NREPL } scn_repl_mode;
typedef struct {
	int site;
	scn_repl_mode mode;
	dr_expr *lag;      /* async lag distribution (seconds); NULL for sync */
	bool same_region;  /* derived */
	dr_pos pos;
} scn_replica;

typedef struct {
	int site;
	dr_pos pos;
} scn_clone;

typedef struct {
	scn_auto_backups automated;
	scn_manual_snapshots snapshots;
	scn_copy *copies;
	size_t n_copies;
	scn_replica *replicas;
	size_t n_replicas;
	scn_clone *clones;
	size_t n_clones;
} scn_protection;

typedef struct {
	scn_disaster_kind kind;
	double rate_per_s;     /* events per second (from "2/y") */
	dr_expr *detect;       /* detection delay */
	scn_objectives objectives; /* .set when overridden for this kind */
	dr_pos pos;
} scn_disaster;

/* One key/value of a step's action, kept as text for the driver to read. */
typedef struct {
	char *key;
	char *value;
	dr_pos pos;
} scn_param;

typedef struct {
	char *manual;   /* non-NULL: a human step, this is the instruction */
	char *driver;   /* "db", "shell", "http", "aws-rds", "s3", ... */
	char *op;       /* driver operation */
	scn_param *params;
	size_t n_params;
	dr_pos pos;
} scn_action;

/* Look up an action parameter; NULL when absent. */
const char *scn_action_param(const scn_action *a, const char *key);

typedef struct {
	char *name;
	dr_expr *model;  /* duration model */
	int *uses;       /* resource indices held for the step */
	size_t n_uses;
	bool verify;     /* a verification step (name or "verify: true") */
	bool once;       /* "scope: once": runs once for the whole disaster
			  * (declare, DNS cutover); otherwise once per database hit */
	double timeout_s;/* drill timeout; 0 = 10 × model p95 */
	scn_action action;
	dr_pos pos;
} scn_step;

typedef struct {
	scn_disaster_kind kind;
	scn_step *steps;
	size_t n_steps;
	dr_pos pos;
} scn_runbook;

typedef struct {
	char *name;
	int capacity;
	dr_pos pos;
} scn_resource;

typedef struct {
	char *currency;
	double storage_gb_month;  /* backup/snapshot storage per GB-month */
	double transfer_gb;       /* cross-region transfer per GB */
	double standby_hour;      /* one standby instance hour */
	double instance_hour;     /* primary instance hour (for multi-site) */
	dr_pos pos;
	bool set;
} scn_costs;

typedef struct {
	char *driver;            /* "postgres-sandbox", "postgres", "aws-rds", "dry-run" */
	double size;             /* data to load in the sandbox, bytes */
	double canary_interval_s;/* default 0.05 */
	char *cleanup;           /* "always", "on-success", "never" */
	char *workdir;           /* NULL: a temporary directory */
	char *conninfo;          /* postgres driver: the source cluster */
	char *backup_dir;        /* postgres driver: base backup location */
	char *wal_archive;       /* postgres driver: WAL archive location */
	char **tables;           /* tables whose row counts are verified */
	size_t n_tables;
	char **checks;           /* SQL checks that must return true */
	size_t n_checks;
	char **allow_accounts;   /* aws: account ids mutations may touch */
	size_t n_allow_accounts;
	char *region;            /* aws: region of the drill */
	scn_param *params;       /* other driver options, as text */
	size_t n_params;
	dr_pos pos;
	bool set;
} scn_drill;

typedef struct scenario {
	char *file;        /* path as given; dr_pos.file points here */
	char *sha256;      /* hex SHA-256 of the file's bytes */
	char *name;
	char *description;
	scn_objectives objectives;
	scn_site *sites;
	size_t n_sites;
	int primary;       /* site index of "primary" (first site if none) */
	int dr;            /* site index of the DR site, -1 if none */
	scn_database *dbs;
	size_t n_dbs;
	scn_protection protection;
	scn_strategy strategy;
	dr_pos strategy_pos;
	scn_disaster *disasters;
	size_t n_disasters;
	scn_runbook *runbooks;
	size_t n_runbooks;
	scn_resource *resources;
	size_t n_resources;
	scn_costs costs;
	scn_drill drill;
	dr_pos pos;
} scenario;

/*
 * Load and validate a scenario file.  On success returns DR_OK and *out (free
 * with scn_free).  On failure returns DR_PARSE/DR_IO, *out is NULL, and every
 * problem found is in diags as "FILE:LINE:COL: error: message" (the loader
 * keeps going after an error to report as many as it can).
 */
dr_err scn_load(const char *path, scenario **out, dr_diags *diags) DR_WUR;
/* The same from a buffer; name is used in positions. */
dr_err scn_load_buffer(const char *name, const char *data, size_t len, scenario **out,
		       dr_diags *diags) DR_WUR;
void scn_free(scenario *s);

/* The objectives in force for a disaster kind (its override, else global). */
const scn_objectives *scn_objectives_for(const scenario *s, scn_disaster_kind k);
/* The runbook for a kind, or NULL. */
const scn_runbook *scn_runbook_for(const scenario *s, scn_disaster_kind k);
/* Index of a disaster of this kind in s->disasters, or -1. */
int scn_disaster_index(const scenario *s, scn_disaster_kind k);
/* Parse a disaster kind name (also accepts short aliases); -1 if unknown. */
int scn_disaster_kind_parse(const char *name);
int scn_strategy_parse(const char *name);
/* Total databases (sum of counts). */
size_t scn_total_databases(const scenario *s);

/* The JSON Schema (draft 2020-12) of the scenario language, generated from
 * the loader's tables.  New reference; caller decrefs. */
json_t *scn_json_schema(void);

#endif
