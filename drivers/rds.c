/*
 * rds.c - the RDS/Aurora Query API client: calls, reply parsing, fault
 * mapping, waiters, tags and the run-tag guards.  What a drill does with
 * these calls lives in aws_rds.c.
 */
#define _GNU_SOURCE
#include "rds.h"

#include <libxml/parser.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const drv_rds_kind_names[DRV_RDS__NKIND] = {"db-instance", "db-cluster", "db-snapshot"};

/* Per kind: the Describe action, its identifier parameter, the element of
 * one item, the identifier element, the status element, the not-found
 * fault, the already-exists fault. */
static const struct {
	const char *describe, *id_param, *item, *id_elem, *status_elem, *not_found, *exists;
} kinds[DRV_RDS__NKIND] = {
	{"DescribeDBInstances", "DBInstanceIdentifier", "DBInstance", "DBInstanceIdentifier", "DBInstanceStatus",
	 "DBInstanceNotFound", "DBInstanceAlreadyExists"},
	{"DescribeDBClusters", "DBClusterIdentifier", "DBCluster", "DBClusterIdentifier", "Status",
	 "DBClusterNotFoundFault", "DBClusterAlreadyExistsFault"},
	{"DescribeDBSnapshots", "DBSnapshotIdentifier", "DBSnapshot", "DBSnapshotIdentifier", "Status",
	 "DBSnapshotNotFound", "DBSnapshotAlreadyExists"},
};

/* The SDK waiters' failure states for "available" and "deleted". */
static const char *const avail_fail[] = {"deleted", "deleting", "failed", "incompatible-restore",
					 "incompatible-parameters"};
static const char *const deleted_fail[] = {"creating", "modifying", "rebooting", "resetting-master-credentials"};

void drv_rds_init(drv_rds *r, drv_aws *aws, const char *run_id)
{
	memset(r, 0, sizeof(*r));
	r->aws = aws;
	r->run_id = run_id;
	r->poll_s = 30;
	r->max_polls = 60;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

dr_err drv_rds_call(drv_rds *r, const char *region, const char *action, const drv_rds_param *params, size_t n,
		    xmlDoc **doc)
{
	dr_buf body = {0};
	drv_aws_form_add(&body, "Action", action);
	drv_aws_form_add(&body, "Version", DRV_RDS_API_VERSION);
	for (size_t i = 0; i < n; i++) drv_aws_form_add(&body, params[i].key, params[i].value);
	drv_http_header h = {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"};
	drv_aws_req req = {.service = "rds", .region = region, .method = "POST", .path = "/", .headers = &h,
			   .n_headers = 1, .body = body.s, .body_len = body.len, .what = action};
	drv_aws_resp resp;
	dr_err err = drv_aws_send(r->aws, &req, &resp);
	snprintf(r->last_error, sizeof(r->last_error), "%s", resp.error_code ? resp.error_code : "");
	if (doc) *doc = NULL;
	if (err == DR_OK && doc) {
		*doc = xmlReadMemory(resp.body.s ? resp.body.s : "", (int)resp.body.len, "rds.xml", NULL,
				     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		if (!*doc) {
			dr_error("rds \"%s\": unreadable reply", action);
			err = DR_REMOTE;
		}
	} else if (err) {
		const char *code = resp.error_code ? resp.error_code : "";
		if (ends_with(code, "NotFound") || ends_with(code, "NotFoundFault"))
			err = DR_NOTFOUND;
		else if (!strcmp(code, "AccessDenied") || !strcmp(code, "AccessDeniedException") ||
			 !strcmp(code, "SignatureDoesNotMatch") || !strcmp(code, "InvalidClientTokenId"))
			err = DR_GUARD;
		if (err == DR_IO)
			dr_error("rds \"%s\": no reply after %d attempts", action, resp.attempts);
		else if (err != DR_NOTFOUND)
			dr_error("rds \"%s\": %s%s%s (http %ld, %d attempts)", action, *code ? code : "error",
				 resp.error_message ? ": " : "", resp.error_message ? resp.error_message : "",
				 resp.status, resp.attempts);
	}
	drv_aws_resp_release(&resp);
	dr_buf_release(&body);
	return err;
}

static xmlNode *child(xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name)) return c;
	return NULL;
}

double drv_rds_parse_time(const char *s)
{
	struct tm tm = {0};
	if (!s) return -1;
	const char *rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!rest) return -1;
	double frac = 0;
	if (*rest == '.') frac = strtod(rest, NULL);
	return (double)timegm(&tm) + frac;
}

static void parse_resource(xmlNode *item, drv_rds_kind kind, drv_rds_resource *out)
{
	memset(out, 0, sizeof(*out));
	out->id = drv_xml_text(child(item, kinds[kind].id_elem));
	out->status = drv_xml_text(child(item, kinds[kind].status_elem));
	out->arn = drv_xml_text(child(item, kind == DRV_RDS_INSTANCE ? "DBInstanceArn"
				      : kind == DRV_RDS_CLUSTER ? "DBClusterArn" : "DBSnapshotArn"));
	out->engine = drv_xml_text(child(item, "Engine"));
	out->kms_key_id = drv_xml_text(child(item, "KmsKeyId"));
	char *enc = drv_xml_text(child(item, kind == DRV_RDS_SNAPSHOT ? "Encrypted" : "StorageEncrypted"));
	out->encrypted = enc && !strcmp(enc, "true");
	free(enc);
	if (kind == DRV_RDS_INSTANCE) {
		xmlNode *ep = child(item, "Endpoint");
		out->address = drv_xml_text(child(ep, "Address"));
		char *port = drv_xml_text(child(ep, "Port"));
		out->port = port ? atoi(port) : 0;
		free(port);
		out->source = drv_xml_text(child(item, "ReadReplicaSourceDBInstanceIdentifier"));
		char *t = drv_xml_text(child(item, "InstanceCreateTime"));
		out->created = t ? drv_rds_parse_time(t) : 0;
		free(t);
	} else if (kind == DRV_RDS_CLUSTER) {
		out->address = drv_xml_text(child(item, "Endpoint"));
		char *port = drv_xml_text(child(item, "Port"));
		out->port = port ? atoi(port) : 0;
		free(port);
		char *t = drv_xml_text(child(item, "ClusterCreateTime"));
		out->created = t ? drv_rds_parse_time(t) : 0;
		free(t);
	} else {
		out->source = drv_xml_text(child(item, "DBInstanceIdentifier"));
		char *t = drv_xml_text(child(item, "SnapshotCreateTime"));
		out->created = t ? drv_rds_parse_time(t) : 0;
		free(t);
		char *p = drv_xml_text(child(item, "PercentProgress"));
		out->percent = p ? atoi(p) : 0;
		free(p);
	}
	char *lrt = drv_xml_text(child(item, "LatestRestorableTime"));
	out->latest_restorable = lrt ? drv_rds_parse_time(lrt) : 0;
	free(lrt);
}

void drv_rds_resource_release(drv_rds_resource *res)
{
	free(res->id);
	free(res->arn);
	free(res->status);
	free(res->address);
	free(res->engine);
	free(res->source);
	free(res->kms_key_id);
	memset(res, 0, sizeof(*res));
}

/* Describe without printing a not-found error (the waiters expect it). */
static dr_err describe_quiet(drv_rds *r, const char *region, drv_rds_kind kind, const char *id,
			     drv_rds_resource *out)
{
	xmlDoc *doc = NULL;
	drv_rds_param p = {kinds[kind].id_param, id};
	dr_err err = drv_rds_call(r, region, kinds[kind].describe, &p, 1, &doc);
	if (err) return err;
	xmlNode *item = drv_xml_find(xmlDocGetRootElement(doc), kinds[kind].item);
	if (!item) {
		err = DR_NOTFOUND;
	} else {
		parse_resource(item, kind, out);
	}
	xmlFreeDoc(doc);
	return err;
}

dr_err drv_rds_describe(drv_rds *r, const char *region, drv_rds_kind kind, const char *id, drv_rds_resource *out)
{
	memset(out, 0, sizeof(*out));
	dr_err err = describe_quiet(r, region, kind, id, out);
	if (err == DR_NOTFOUND) dr_error("%s \"%s\" not found", drv_rds_kind_names[kind], id);
	return err;
}

static bool in(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(s, list[i])) return true;
	return false;
}

static void pause_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
	while (nanosleep(&ts, &ts) != 0) {
	}
}

dr_err drv_rds_wait_available(drv_rds *r, const char *region, drv_rds_kind kind, const char *id,
			      drv_rds_resource *out)
{
	for (int i = 0; i < r->max_polls; i++) {
		drv_rds_resource res;
		memset(&res, 0, sizeof(res));
		dr_err err = describe_quiet(r, region, kind, id, &res);
		if (err == DR_NOTFOUND) {
			dr_error("%s \"%s\" disappeared while waiting for it", drv_rds_kind_names[kind], id);
			return err;
		}
		if (err) return err;
		if (res.status && !strcmp(res.status, "available")) {
			if (out)
				*out = res;
			else
				drv_rds_resource_release(&res);
			return DR_OK;
		}
		if (in(res.status, avail_fail, sizeof(avail_fail) / sizeof(*avail_fail))) {
			dr_error("%s \"%s\" reached status \"%s\" while waiting for \"available\"",
				 drv_rds_kind_names[kind], id, res.status);
			drv_rds_resource_release(&res);
			return DR_REMOTE;
		}
		drv_rds_resource_release(&res);
		pause_s(r->poll_s);
	}
	dr_error("%s \"%s\" not available after %d polls", drv_rds_kind_names[kind], id, r->max_polls);
	return DR_TIMEOUT;
}

dr_err drv_rds_wait_deleted(drv_rds *r, const char *region, drv_rds_kind kind, const char *id)
{
	for (int i = 0; i < r->max_polls; i++) {
		drv_rds_resource res;
		memset(&res, 0, sizeof(res));
		dr_err err = describe_quiet(r, region, kind, id, &res);
		if (err == DR_NOTFOUND) return DR_OK;
		if (err) return err;
		bool failed = in(res.status, deleted_fail, sizeof(deleted_fail) / sizeof(*deleted_fail));
		bool gone = res.status && !strcmp(res.status, "deleted");
		if (failed)
			dr_error("%s \"%s\" reached status \"%s\" while waiting for its deletion",
				 drv_rds_kind_names[kind], id, res.status);
		drv_rds_resource_release(&res);
		if (gone) return DR_OK;
		if (failed) return DR_REMOTE;
		pause_s(r->poll_s);
	}
	dr_error("%s \"%s\" still present after %d polls", drv_rds_kind_names[kind], id, r->max_polls);
	return DR_TIMEOUT;
}

dr_err drv_rds_account_id(drv_rds *r, char **account)
{
	dr_buf body = {0};
	drv_aws_form_add(&body, "Action", "GetCallerIdentity");
	drv_aws_form_add(&body, "Version", "2011-06-15");
	drv_http_header h = {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"};
	drv_aws_req req = {.service = "sts", .method = "POST", .path = "/", .headers = &h, .n_headers = 1,
			   .body = body.s, .body_len = body.len, .what = "GetCallerIdentity"};
	drv_aws_resp resp;
	*account = NULL;
	dr_err err = drv_aws_send(r->aws, &req, &resp);
	if (err) {
		dr_error("sts \"GetCallerIdentity\": %s (http %ld)", resp.error_code ? resp.error_code : "error",
			 resp.status);
	} else {
		xmlDoc *doc = xmlReadMemory(resp.body.s, (int)resp.body.len, "sts.xml", NULL,
					    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		*account = doc ? drv_xml_text(drv_xml_find(xmlDocGetRootElement(doc), "Account")) : NULL;
		if (doc) xmlFreeDoc(doc);
		if (!*account) {
			dr_error("sts \"GetCallerIdentity\": no account in the reply");
			err = DR_REMOTE;
		}
	}
	drv_aws_resp_release(&resp);
	dr_buf_release(&body);
	return err;
}

char *drv_rds_arn_account(const char *arn)
{
	/* arn:partition:service:region:account:resource */
	const char *p = arn;
	for (int i = 0; i < 4 && p; i++) {
		p = strchr(p, ':');
		if (p) p++;
	}
	if (!p || strncmp(arn, "arn:", 4)) return NULL;
	size_t n = strcspn(p, ":");
	return n ? dr_strndup(p, n) : NULL;
}

dr_err drv_rds_tagged_by_run(drv_rds *r, const char *region, const char *arn, bool *yes)
{
	drv_rds_tag_kv *tags;
	size_t n;
	*yes = false;
	dr_err err = drv_rds_list_tags(r, region, arn, &tags, &n);
	if (err) return err;
	for (size_t i = 0; i < n; i++)
		if (tags[i].key && tags[i].value && !strcmp(tags[i].key, DRV_RDS_RUN_TAG) &&
		    !strcmp(tags[i].value, r->run_id))
			*yes = true;
	drv_rds_tags_free(tags, n);
	return DR_OK;
}

dr_err drv_rds_tag(drv_rds *r, const char *region, const char *arn, const char *key, const char *value)
{
	drv_rds_param p[] = {{"ResourceName", arn},
			     {"Tags.Tag.1.Key", DRV_RDS_RUN_TAG},
			     {"Tags.Tag.1.Value", r->run_id},
			     {"Tags.Tag.2.Key", key},
			     {"Tags.Tag.2.Value", value}};
	return drv_rds_call(r, region, "AddTagsToResource", p, key ? 5 : 3, NULL);
}

/* The ARN of an existing resource, or NULL (quiet). */
static char *arn_of(drv_rds *r, const char *region, drv_rds_kind kind, const char *id)
{
	drv_rds_resource res;
	memset(&res, 0, sizeof(res));
	if (describe_quiet(r, region, kind, id, &res)) return NULL;
	char *arn = dr_strdup(res.arn);
	drv_rds_resource_release(&res);
	return arn;
}

dr_err drv_rds_create(drv_rds *r, const char *region, const char *action, drv_rds_kind kind, const char *id,
		      const drv_rds_param *params, size_t n)
{
	drv_rds_param *all = dr_calloc(n + 2, sizeof(*all));
	memcpy(all, params, n * sizeof(*all));
	all[n] = (drv_rds_param){"Tags.Tag.1.Key", DRV_RDS_RUN_TAG};
	all[n + 1] = (drv_rds_param){"Tags.Tag.1.Value", r->run_id};
	dr_err err = drv_rds_call(r, region, action, all, n + 2, NULL);
	free(all);
	if (err && !strcmp(r->last_error, kinds[kind].exists)) {
		char *arn = arn_of(r, region, kind, id);
		bool ours = false;
		err = arn ? drv_rds_tagged_by_run(r, region, arn, &ours) : DR_NOTFOUND;
		if (!err && !ours) {
			dr_error("%s \"%s\" already exists and is not tagged %s=%s: refusing to adopt it",
				 drv_rds_kind_names[kind], id, DRV_RDS_RUN_TAG, r->run_id);
			err = DR_GUARD;
		}
		free(arn);
	}
	return err;
}

dr_err drv_rds_delete(drv_rds *r, const char *region, drv_rds_kind kind, const char *id)
{
	char *arn = arn_of(r, region, kind, id);
	if (!arn) return DR_OK; /* already gone */
	bool ours = false;
	dr_err err = drv_rds_tagged_by_run(r, region, arn, &ours);
	free(arn);
	if (err) return err;
	if (!ours) {
		dr_error("refusing to delete %s \"%s\": not tagged %s=%s", drv_rds_kind_names[kind], id,
			 DRV_RDS_RUN_TAG, r->run_id);
		return DR_GUARD;
	}
	if (kind == DRV_RDS_INSTANCE) {
		drv_rds_param p[] = {{"DBInstanceIdentifier", id}, {"SkipFinalSnapshot", "true"},
				     {"DeleteAutomatedBackups", "true"}};
		err = drv_rds_call(r, region, "DeleteDBInstance", p, 3, NULL);
	} else if (kind == DRV_RDS_CLUSTER) {
		drv_rds_param p[] = {{"DBClusterIdentifier", id}, {"SkipFinalSnapshot", "true"}};
		err = drv_rds_call(r, region, "DeleteDBCluster", p, 2, NULL);
	} else {
		drv_rds_param p[] = {{"DBSnapshotIdentifier", id}};
		err = drv_rds_call(r, region, "DeleteDBSnapshot", p, 1, NULL);
	}
	return err == DR_NOTFOUND ? DR_OK : err;
}

char *drv_rds_copy_presigned_url(drv_rds *r, const char *source_region, const char *dest_region,
				 const char *source_arn, const char *target_id, const char *kms_key_id)
{
	dr_buf q = {0};
	drv_aws_form_add(&q, "Action", "CopyDBSnapshot");
	drv_aws_form_add(&q, "Version", DRV_RDS_API_VERSION);
	drv_aws_form_add(&q, "SourceDBSnapshotIdentifier", source_arn);
	drv_aws_form_add(&q, "TargetDBSnapshotIdentifier", target_id);
	if (kms_key_id) drv_aws_form_add(&q, "KmsKeyId", kms_key_id);
	drv_aws_form_add(&q, "DestinationRegion", dest_region);
	char *url = drv_aws_presign(r->aws, "rds", source_region, q.s, 3600);
	dr_buf_release(&q);
	return url;
}

/* --- the calls a drill makes ------------------------------------------- */

dr_err drv_rds_list_tags(drv_rds *r, const char *region, const char *arn, drv_rds_tag_kv **tags, size_t *n)
{
	xmlDoc *doc = NULL;
	drv_rds_param p = {"ResourceName", arn};
	*tags = NULL;
	*n = 0;
	dr_err err = drv_rds_call(r, region, "ListTagsForResource", &p, 1, &doc);
	if (err) return err;
	xmlNode *list = drv_xml_find(xmlDocGetRootElement(doc), "TagList");
	size_t cap = 0;
	for (xmlNode *t = list ? list->children : NULL; t; t = t->next) {
		if (t->type != XML_ELEMENT_NODE) continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			*tags = dr_realloc(*tags, cap * sizeof(**tags));
		}
		(*tags)[*n].key = drv_xml_text(child(t, "Key"));
		(*tags)[*n].value = drv_xml_text(child(t, "Value"));
		(*n)++;
	}
	xmlFreeDoc(doc);
	return DR_OK;
}

void drv_rds_tags_free(drv_rds_tag_kv *tags, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(tags[i].key);
		free(tags[i].value);
	}
	free(tags);
}

bool drv_rds_kms_is_default(const char *kms_key_id)
{
	return kms_key_id && (!strcmp(kms_key_id, "default") || ends_with(kms_key_id, "alias/aws/rds"));
}

/* Refuse to change a resource (by ARN) that does not carry the run's tag. */
static dr_err must_be_ours(drv_rds *r, const char *region, const char *arn, const char *what, const char *id)
{
	bool ours = false;
	dr_err err = drv_rds_tagged_by_run(r, region, arn, &ours);
	if (err) return err;
	if (!ours) {
		dr_error("refusing to %s \"%s\": not tagged %s=%s (drills never change a source)", what, id,
			 DRV_RDS_RUN_TAG, r->run_id);
		return DR_GUARD;
	}
	return DR_OK;
}

dr_err drv_rds_share_snapshot(drv_rds *r, const char *region, const char *snapshot_id, const char *const *accounts,
			      size_t n)
{
	drv_rds_resource snap;
	dr_err err = drv_rds_describe(r, region, DRV_RDS_SNAPSHOT, snapshot_id, &snap);
	if (err) return err;
	if (snap.encrypted && drv_rds_kms_is_default(snap.kms_key_id)) {
		dr_error("refusing to share db-snapshot \"%s\": it is encrypted with the default KMS key, which "
			 "cannot be shared (copy it with a customer-managed key first)", snapshot_id);
		err = DR_GUARD;
	}
	if (!err) err = must_be_ours(r, region, snap.arn, "share db-snapshot", snapshot_id);
	drv_rds_resource_release(&snap);
	if (err) return err;
	drv_rds_param *p = dr_calloc(n + 2, sizeof(*p));
	char **keys = dr_calloc(n, sizeof(*keys));
	p[0] = (drv_rds_param){"DBSnapshotIdentifier", snapshot_id};
	p[1] = (drv_rds_param){"AttributeName", "restore"};
	for (size_t i = 0; i < n; i++) {
		keys[i] = dr_asprintf("ValuesToAdd.AttributeValue.%zu", i + 1);
		p[i + 2] = (drv_rds_param){keys[i], accounts[i]};
	}
	err = drv_rds_call(r, region, "ModifyDBSnapshotAttribute", p, n + 2, NULL);
	for (size_t i = 0; i < n; i++) free(keys[i]);
	free(keys);
	free(p);
	return err;
}

/* The region inside an ARN, or NULL.  Caller frees. */
static char *arn_region(const char *arn)
{
	const char *p = arn;
	for (int i = 0; i < 3 && p; i++) {
		p = strchr(p, ':');
		if (p) p++;
	}
	if (!p || strncmp(arn, "arn:", 4)) return NULL;
	size_t n = strcspn(p, ":");
	return n ? dr_strndup(p, n) : NULL;
}

dr_err drv_rds_create_read_replica(drv_rds *r, const char *region, const char *id, const char *source_arn,
				   const char *source_region, const char *instance_class, const char *kms_key_id)
{
	drv_rds_param p[6];
	size_t n = 0;
	char *url = NULL;
	p[n++] = (drv_rds_param){"DBInstanceIdentifier", id};
	p[n++] = (drv_rds_param){"SourceDBInstanceIdentifier", source_arn};
	if (instance_class) p[n++] = (drv_rds_param){"DBInstanceClass", instance_class};
	bool cross = source_region && region && strcmp(source_region, region) != 0;
	if (cross) {
		dr_buf q = {0};
		drv_aws_form_add(&q, "Action", "CreateDBInstanceReadReplica");
		drv_aws_form_add(&q, "Version", DRV_RDS_API_VERSION);
		drv_aws_form_add(&q, "DBInstanceIdentifier", id);
		drv_aws_form_add(&q, "SourceDBInstanceIdentifier", source_arn);
		if (kms_key_id) drv_aws_form_add(&q, "KmsKeyId", kms_key_id);
		drv_aws_form_add(&q, "DestinationRegion", region);
		url = drv_aws_presign(r->aws, "rds", source_region, q.s, 3600);
		dr_buf_release(&q);
		p[n++] = (drv_rds_param){"PreSignedUrl", url};
	}
	if (kms_key_id && cross) p[n++] = (drv_rds_param){"KmsKeyId", kms_key_id};
	dr_err err = drv_rds_create(r, region, "CreateDBInstanceReadReplica", DRV_RDS_INSTANCE, id, p, n);
	free(url);
	return err;
}

dr_err drv_rds_promote_read_replica(drv_rds *r, const char *region, const char *id)
{
	drv_rds_resource res;
	dr_err err = drv_rds_describe(r, region, DRV_RDS_INSTANCE, id, &res);
	if (err) return err;
	err = must_be_ours(r, region, res.arn, "promote db-instance", id);
	drv_rds_resource_release(&res);
	if (err) return err;
	drv_rds_param p = {"DBInstanceIdentifier", id};
	return drv_rds_call(r, region, "PromoteReadReplica", &p, 1, NULL);
}

dr_err drv_rds_restore_from_snapshot(drv_rds *r, const char *region, const char *id, const char *snapshot_id,
				     const char *instance_class)
{
	drv_rds_param p[3] = {{"DBInstanceIdentifier", id}, {"DBSnapshotIdentifier", snapshot_id},
			      {"DBInstanceClass", instance_class}};
	return drv_rds_create(r, region, "RestoreDBInstanceFromDBSnapshot", DRV_RDS_INSTANCE, id, p,
			      instance_class ? 3 : 2);
}

static void restore_time_text(double t, char out[32])
{
	time_t s = (time_t)floor(t);
	struct tm tm;
	gmtime_r(&s, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The recovery point of a restore: the time asked for, else the source's
 * LatestRestorableTime now. */
static dr_err recovery_point_of(drv_rds *r, const char *region, drv_rds_kind kind, const char *source,
				double restore_time, double *rp)
{
	if (restore_time > 0) {
		*rp = floor(restore_time);
		return DR_OK;
	}
	drv_rds_resource src;
	dr_err err = drv_rds_describe(r, region, kind, source, &src);
	if (err) return err;
	*rp = src.latest_restorable;
	drv_rds_resource_release(&src);
	if (*rp <= 0) {
		dr_error("%s \"%s\" has no LatestRestorableTime (automated backups off?)", drv_rds_kind_names[kind],
			 source);
		return DR_REMOTE;
	}
	return DR_OK;
}

dr_err drv_rds_restore_instance_pitr(drv_rds *r, const char *region, const char *target, const char *source,
				     double restore_time, const char *instance_class, double *recovery_point)
{
	dr_err err = recovery_point_of(r, region, DRV_RDS_INSTANCE, source, restore_time, recovery_point);
	if (err) return err;
	char when[32];
	restore_time_text(restore_time, when);
	drv_rds_param p[4] = {{"TargetDBInstanceIdentifier", target}, {"SourceDBInstanceIdentifier", source}};
	size_t n = 2;
	if (restore_time > 0)
		p[n++] = (drv_rds_param){"RestoreTime", when};
	else
		p[n++] = (drv_rds_param){"UseLatestRestorableTime", "true"};
	if (instance_class) p[n++] = (drv_rds_param){"DBInstanceClass", instance_class};
	return drv_rds_create(r, region, "RestoreDBInstanceToPointInTime", DRV_RDS_INSTANCE, target, p, n);
}

dr_err drv_rds_restore_cluster_pitr(drv_rds *r, const char *region, const char *target, const char *source,
				    double restore_time, bool copy_on_write, double *recovery_point)
{
	dr_err err = recovery_point_of(r, region, DRV_RDS_CLUSTER, source, restore_time, recovery_point);
	if (err) return err;
	char when[32];
	restore_time_text(restore_time, when);
	drv_rds_param p[4] = {{"DBClusterIdentifier", target},
			      {"SourceDBClusterIdentifier", source},
			      {"RestoreType", copy_on_write ? "copy-on-write" : "full-copy"}};
	if (restore_time > 0)
		p[3] = (drv_rds_param){"RestoreToTime", when};
	else
		p[3] = (drv_rds_param){"UseLatestRestorableTime", "true"};
	return drv_rds_create(r, region, "RestoreDBClusterToPointInTime", DRV_RDS_CLUSTER, target, p, 4);
}

dr_err drv_rds_create_cluster_instance(drv_rds *r, const char *region, const char *id, const char *cluster_id,
				       const char *engine, const char *instance_class)
{
	drv_rds_param p[4] = {{"DBInstanceIdentifier", id},
			      {"DBClusterIdentifier", cluster_id},
			      {"Engine", engine},
			      {"DBInstanceClass", instance_class}};
	return drv_rds_create(r, region, "CreateDBInstance", DRV_RDS_INSTANCE, id, p, 4);
}

void drv_rds_global_release(drv_rds_global *g)
{
	free(g->id);
	free(g->arn);
	free(g->status);
	free(g->engine);
	free(g->writer_arn);
	for (size_t i = 0; i < g->n_members; i++) free(g->members[i]);
	free(g->members);
	memset(g, 0, sizeof(*g));
}

static dr_err describe_global_quiet(drv_rds *r, const char *region, const char *id, drv_rds_global *out)
{
	memset(out, 0, sizeof(*out));
	xmlDoc *doc = NULL;
	drv_rds_param p = {"GlobalClusterIdentifier", id};
	dr_err err = drv_rds_call(r, region, "DescribeGlobalClusters", &p, 1, &doc);
	if (err) return err;
	/* <GlobalClusters><GlobalClusterMember> is one global cluster (the
	 * model's list member name), holding <GlobalClusterMembers>. */
	xmlNode *list_of = drv_xml_find(xmlDocGetRootElement(doc), "GlobalClusters"), *g = NULL;
	for (xmlNode *c = list_of ? list_of->children : NULL; c && !g; c = c->next)
		if (c->type == XML_ELEMENT_NODE) g = c;
	if (!g) {
		xmlFreeDoc(doc);
		return DR_NOTFOUND;
	}
	out->id = drv_xml_text(child(g, "GlobalClusterIdentifier"));
	out->arn = drv_xml_text(child(g, "GlobalClusterArn"));
	out->status = drv_xml_text(child(g, "Status"));
	out->engine = drv_xml_text(child(g, "Engine"));
	xmlNode *list = child(g, "GlobalClusterMembers");
	for (xmlNode *m = list ? list->children : NULL; m; m = m->next) {
		if (m->type != XML_ELEMENT_NODE) continue;
		char *arn = drv_xml_text(child(m, "DBClusterArn")), *w = drv_xml_text(child(m, "IsWriter"));
		if (w && !strcmp(w, "true") && !out->writer_arn) out->writer_arn = dr_strdup(arn);
		out->members = dr_realloc(out->members, (out->n_members + 1) * sizeof(*out->members));
		out->members[out->n_members++] = arn;
		free(w);
	}
	xmlFreeDoc(doc);
	return DR_OK;
}

dr_err drv_rds_describe_global(drv_rds *r, const char *region, const char *id, drv_rds_global *out)
{
	return describe_global_quiet(r, region, id, out);
}

dr_err drv_rds_create_global(drv_rds *r, const char *region, const char *id, const char *source_cluster_arn)
{
	drv_rds_param p[2] = {{"GlobalClusterIdentifier", id}, {"SourceDBClusterIdentifier", source_cluster_arn}};
	dr_err err = drv_rds_call(r, region, "CreateGlobalCluster", p, 2, NULL);
	bool exists = err && !strcmp(r->last_error, "GlobalClusterAlreadyExistsFault");
	if (err && !exists) return err;
	drv_rds_global g;
	err = describe_global_quiet(r, region, id, &g);
	if (err) {
		dr_error("global cluster \"%s\" not found after its creation", id);
		return err;
	}
	if (exists)
		err = must_be_ours(r, region, g.arn, "adopt global cluster", id);
	else
		err = drv_rds_tag(r, region, g.arn, NULL, NULL);
	drv_rds_global_release(&g);
	return err;
}

dr_err drv_rds_create_secondary_cluster(drv_rds *r, const char *region, const char *id, const char *global_id,
					const char *engine, const char *kms_key_id)
{
	drv_rds_param p[4] = {{"DBClusterIdentifier", id},
			      {"GlobalClusterIdentifier", global_id},
			      {"Engine", engine},
			      {"KmsKeyId", kms_key_id}};
	return drv_rds_create(r, region, "CreateDBCluster", DRV_RDS_CLUSTER, id, p, kms_key_id ? 4 : 3);
}

dr_err drv_rds_failover_global(drv_rds *r, const char *region, const char *global_id, const char *target_cluster_arn)
{
	drv_rds_global g;
	dr_err err = describe_global_quiet(r, region, global_id, &g);
	if (err == DR_NOTFOUND) dr_error("global cluster \"%s\" not found", global_id);
	if (err) return err;
	err = must_be_ours(r, region, g.arn, "fail over global cluster", global_id);
	drv_rds_global_release(&g);
	if (err) return err;
	drv_rds_param p[2] = {{"GlobalClusterIdentifier", global_id}, {"TargetDbClusterIdentifier", target_cluster_arn}};
	return drv_rds_call(r, region, "FailoverGlobalCluster", p, 2, NULL);
}

dr_err drv_rds_detach_global(drv_rds *r, const char *region, const char *global_id, const char *cluster_arn)
{
	drv_rds_global g;
	dr_err err = describe_global_quiet(r, region, global_id, &g);
	if (err == DR_NOTFOUND) return DR_OK;
	if (err) return err;
	bool member = false;
	for (size_t i = 0; i < g.n_members; i++) member = member || !strcmp(g.members[i], cluster_arn);
	drv_rds_global_release(&g);
	if (!member) return DR_OK;
	drv_rds_param p[2] = {{"GlobalClusterIdentifier", global_id}, {"DbClusterIdentifier", cluster_arn}};
	err = drv_rds_call(r, region, "RemoveFromGlobalCluster", p, 2, NULL);
	return err == DR_NOTFOUND ? DR_OK : err;
}

dr_err drv_rds_delete_global(drv_rds *r, const char *region, const char *id)
{
	drv_rds_global g;
	dr_err err = describe_global_quiet(r, region, id, &g);
	if (err == DR_NOTFOUND) return DR_OK;
	if (err) return err;
	err = must_be_ours(r, region, g.arn, "delete global cluster", id);
	for (size_t i = 0; !err && i < g.n_members; i++) {
		char *member_region = arn_region(g.members[i]);
		err = must_be_ours(r, member_region, g.members[i], "detach db-cluster", g.members[i]);
		if (!err) err = drv_rds_detach_global(r, region, id, g.members[i]);
		free(member_region);
	}
	drv_rds_global_release(&g);
	if (err) return err;
	drv_rds_param p = {"GlobalClusterIdentifier", id};
	err = drv_rds_call(r, region, "DeleteGlobalCluster", &p, 1, NULL);
	return err == DR_NOTFOUND ? DR_OK : err;
}
