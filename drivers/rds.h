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

/* --- the calls a drill makes (each prints one message on error) -------- */

/* One tag of a resource. */
typedef struct {
	char *key, *value;
} drv_rds_tag_kv;

/* ListTagsForResource: *tags gets a new array of *n tags (free with
 * drv_rds_tags_free). */
dr_err drv_rds_list_tags(drv_rds *r, const char *region, const char *arn, drv_rds_tag_kv **tags,
			 size_t *n) DR_WUR;
void drv_rds_tags_free(drv_rds_tag_kv *tags, size_t n);

/* Is kms_key_id the account's default RDS key ("alias/aws/rds", an ARN
 * ending in it, or "default")?  A snapshot encrypted with it cannot be
 * shared with another account: copy it with a customer-managed key first. */
bool drv_rds_kms_is_default(const char *kms_key_id);

/* ModifyDBSnapshotAttribute AttributeName=restore with
 * ValuesToAdd.AttributeValue.N = accounts[N-1]: share a manual snapshot.
 * Refuses (DR_GUARD) a snapshot that is not tagged with the run or that is
 * encrypted with the default KMS key, before calling. */
dr_err drv_rds_share_snapshot(drv_rds *r, const char *region, const char *snapshot_id,
			      const char *const *accounts, size_t n) DR_WUR;

/* CreateDBInstanceReadReplica id in region from source_arn (in
 * source_region; cross-region adds KmsKeyId and a PreSignedUrl signed for
 * the source region).  instance_class and kms_key_id may be NULL. */
dr_err drv_rds_create_read_replica(drv_rds *r, const char *region, const char *id, const char *source_arn,
				   const char *source_region, const char *instance_class,
				   const char *kms_key_id) DR_WUR;

/* PromoteReadReplica id: refuses (DR_GUARD) a replica not tagged with the
 * run (a production standby is never promoted by a drill). */
dr_err drv_rds_promote_read_replica(drv_rds *r, const char *region, const char *id) DR_WUR;

/* RestoreDBInstanceFromDBSnapshot id from snapshot_id (instance_class may
 * be NULL: the snapshot's). */
dr_err drv_rds_restore_from_snapshot(drv_rds *r, const char *region, const char *id, const char *snapshot_id,
				     const char *instance_class) DR_WUR;

/* RestoreDBInstanceToPointInTime target from source at restore_time
 * (epoch s, whole seconds used) or, when restore_time <= 0, with
 * UseLatestRestorableTime; *recovery_point gets restore_time or the
 * source's LatestRestorableTime read just before the call. */
dr_err drv_rds_restore_instance_pitr(drv_rds *r, const char *region, const char *target, const char *source,
				     double restore_time, const char *instance_class,
				     double *recovery_point) DR_WUR;

/* RestoreDBClusterToPointInTime target from source: RestoreType
 * copy-on-write (a clone) or full-copy, at restore_time or (<= 0) the
 * latest restorable time; *recovery_point as for instances. */
dr_err drv_rds_restore_cluster_pitr(drv_rds *r, const char *region, const char *target, const char *source,
				    double restore_time, bool copy_on_write, double *recovery_point) DR_WUR;

/* CreateDBInstance id as a member of Aurora cluster cluster_id (a
 * restored cluster has no instance until one is added). */
dr_err drv_rds_create_cluster_instance(drv_rds *r, const char *region, const char *id, const char *cluster_id,
				       const char *engine, const char *instance_class) DR_WUR;

/* An Aurora global database as DescribeGlobalClusters shows it. */
typedef struct {
	char *id, *arn, *status, *engine;
	char *writer_arn;    /* the member with IsWriter, NULL when none */
	char **members;      /* member cluster ARNs */
	size_t n_members;
} drv_rds_global;
void drv_rds_global_release(drv_rds_global *g);

/* DescribeGlobalClusters for id (DR_NOTFOUND when absent, quietly). */
dr_err drv_rds_describe_global(drv_rds *r, const char *region, const char *id, drv_rds_global *out) DR_WUR;

/* CreateGlobalCluster id around source_cluster_arn, then tag it with the
 * run (the API takes no tags at creation).  An existing global cluster
 * tagged with the run is success, any other DR_GUARD. */
dr_err drv_rds_create_global(drv_rds *r, const char *region, const char *id, const char *source_cluster_arn) DR_WUR;

/* CreateDBCluster id in region as a secondary of global cluster global_id
 * (engine as the global's; kms_key_id may be NULL). */
dr_err drv_rds_create_secondary_cluster(drv_rds *r, const char *region, const char *id, const char *global_id,
					const char *engine, const char *kms_key_id) DR_WUR;

/* FailoverGlobalCluster global_id to target_cluster_arn (a managed,
 * planned failover: no data loss).  Refuses (DR_GUARD) a global cluster
 * not tagged with the run. */
dr_err drv_rds_failover_global(drv_rds *r, const char *region, const char *global_id,
			       const char *target_cluster_arn) DR_WUR;

/* Delete a global cluster the run created: checks its tag (DR_GUARD),
 * detaches every member (RemoveFromGlobalCluster; each must carry the
 * run's tag), then DeleteGlobalCluster.  Already gone is DR_OK. */
dr_err drv_rds_delete_global(drv_rds *r, const char *region, const char *id) DR_WUR;

/* RemoveFromGlobalCluster cluster_arn from global_id when it is a member
 * (not a member, or the global cluster gone, is DR_OK). */
dr_err drv_rds_detach_global(drv_rds *r, const char *region, const char *global_id, const char *cluster_arn) DR_WUR;

#endif
