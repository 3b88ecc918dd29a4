/*
 * rds.h - an RDS/Aurora Query API client (API version 2014-10-31) over
 * aws_http: form-encoded POST requests, XML replies parsed with libxml2,
 * RDS faults mapped to drsim errors, waiters equivalent to the SDK's
 * (DBInstanceAvailable, DBInstanceDeleted, DBSnapshotAvailable,
 * DBClusterAvailable, DBClusterDeleted: 30 s delay, 60 attempts, the same
 * failure states; the delay is configurable for tests), and the account
 * id from STS GetCallerIdentity.
 *
 * Idempotency: every create call carries the run's tags (drsim-run=<run>);
 * when the resource already exists the client reads its tags and treats
 * it as success only when it carries this run's tag (DR_GUARD otherwise),
 * so a retried create never produces a duplicate or adopts a stranger.
 * Deletions check the same tag first and refuse (DR_GUARD) without it.
 *
 * Errors: DR_NOTFOUND (…NotFound faults), DR_RETRY (throttled or 5xx after
 * the retries), DR_IO (transport), DR_GUARD (tag or account check failed),
 * DR_TIMEOUT (waiter attempts exhausted), DR_REMOTE (any other fault, e.g.
 * InsufficientDBInstanceCapacity; the fault code is in drv_rds_last_error).
 * Every error prints one message naming the action and the resource.
 */
#ifndef DRV_RDS_H
#define DRV_RDS_H

#include <libxml/tree.h>

#include "aws_http.h"

#define DRV_RDS_API_VERSION "2014-10-31"
#define DRV_RDS_RUN_TAG "drsim-run"

typedef struct {
	char *id;                 /* DBInstanceIdentifier / DBClusterIdentifier / DBSnapshotIdentifier */
	char *arn;
	char *status;
	char *address;            /* endpoint address (instances, clusters) */
	int port;
	char *engine;
	char *source;             /* ReadReplicaSourceDBInstanceIdentifier, snapshot's DBInstanceIdentifier */
	double latest_restorable; /* LatestRestorableTime, epoch s (0 when absent) */
	double created;           /* SnapshotCreateTime / InstanceCreateTime, epoch s */
	int percent;              /* snapshot PercentProgress */
	bool encrypted;
	char *kms_key_id;
} drv_rds_resource;

typedef enum { DRV_RDS_INSTANCE, DRV_RDS_CLUSTER, DRV_RDS_SNAPSHOT, DRV_RDS__NKIND } drv_rds_kind;
extern const char *const drv_rds_kind_names[DRV_RDS__NKIND]; /* "db-instance", "db-cluster", "db-snapshot" */

/* One action parameter (flattened Query form, e.g. "Tags.Tag.1.Key"). */
typedef struct {
	const char *key;
	const char *value;
} drv_rds_param;

typedef struct {
	drv_aws *aws;        /* borrowed */
	const char *run_id;  /* tags every created resource */
	double poll_s;       /* waiter delay (30 s like the SDK) */
	int max_polls;       /* waiter attempts (60 like the SDK) */
	char last_error[128];/* last fault code, "" when none */
} drv_rds;

void drv_rds_init(drv_rds *r, drv_aws *aws, const char *run_id);

/*
 * Call action in region (NULL: the client's) with params; on success *doc
 * gets the reply (free with xmlFreeDoc; may be NULL when doc is NULL).
 */
dr_err drv_rds_call(drv_rds *r, const char *region, const char *action, const drv_rds_param *params,
		    size_t n, xmlDoc **doc) DR_WUR;

/* Describe one resource by identifier (or ARN); DR_NOTFOUND when absent. */
dr_err drv_rds_describe(drv_rds *r, const char *region, drv_rds_kind kind, const char *id,
			drv_rds_resource *out) DR_WUR;
void drv_rds_resource_release(drv_rds_resource *res);

/* Wait until the resource is available (SDK *Available waiter) or gone
 * (SDK *Deleted waiter; DBSnapshotDeleted for snapshots).  *out (may be
 * NULL) gets its last description when available. */
dr_err drv_rds_wait_available(drv_rds *r, const char *region, drv_rds_kind kind, const char *id,
			      drv_rds_resource *out) DR_WUR;
dr_err drv_rds_wait_deleted(drv_rds *r, const char *region, drv_rds_kind kind, const char *id) DR_WUR;

/* The account id of the caller (STS GetCallerIdentity). Caller frees. */
dr_err drv_rds_account_id(drv_rds *r, char **account) DR_WUR;
/* The account id inside an ARN ("arn:aws:rds:REGION:ACCOUNT:..."), NULL if none. Caller frees. */
char *drv_rds_arn_account(const char *arn);

/* Does the resource (by ARN) carry drsim-run=<run>? */
dr_err drv_rds_tagged_by_run(drv_rds *r, const char *region, const char *arn, bool *yes) DR_WUR;
/* AddTagsToResource drsim-run=<run> (+ the given key=value, may be NULL). */
dr_err drv_rds_tag(drv_rds *r, const char *region, const char *arn, const char *key, const char *value) DR_WUR;

/*
 * Create something that must carry the run's tag: action with params (the
 * Tags.Tag.N members are added here), kind/id naming what it creates.
 * An "AlreadyExists" fault for a resource tagged with this run is success;
 * for any other resource it is DR_GUARD.
 */
dr_err drv_rds_create(drv_rds *r, const char *region, const char *action, drv_rds_kind kind,
		      const char *id, const drv_rds_param *params, size_t n) DR_WUR;

/* Delete a resource this run created: checks the tag first (DR_GUARD
 * without it), then DeleteDBInstance (SkipFinalSnapshot,
 * DeleteAutomatedBackups), DeleteDBCluster (SkipFinalSnapshot) or
 * DeleteDBSnapshot.  Already gone is DR_OK. */
dr_err drv_rds_delete(drv_rds *r, const char *region, drv_rds_kind kind, const char *id) DR_WUR;

/* The presigned URL for a cross-region CopyDBSnapshot, signed for the
 * source region (the action, SourceDBSnapshotIdentifier,
 * TargetDBSnapshotIdentifier, KmsKeyId, DestinationRegion).  A secret:
 * never log it.  Caller frees. */
char *drv_rds_copy_presigned_url(drv_rds *r, const char *source_region, const char *dest_region,
				 const char *source_arn, const char *target_id, const char *kms_key_id);

/* Parse an ISO 8601 UTC time ("2026-11-23T20:01:02.345Z") to epoch s; < 0 on error. */
double drv_rds_parse_time(const char *s);

#endif
