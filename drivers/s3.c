/*
 * s3.c - the S3 object client (path-style, SigV4 with
 * x-amz-content-sha256) used to store backup artifacts and evidence.
 */
#include "s3.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

void drv_s3_init(drv_s3 *s, drv_aws *aws, const char *bucket)
{
	memset(s, 0, sizeof(*s));
	s->aws = aws;
	s->bucket = bucket;
}

static char *object_path(const drv_s3 *s, const char *key)
{
	dr_buf b = {0};
	dr_buf_puts(&b, "/");
	drv_uri_encode(&b, s->bucket, strlen(s->bucket), false);
	if (key) {
		dr_buf_puts(&b, "/");
		drv_uri_encode(&b, key, strlen(key), true);
	}
	return dr_buf_take(&b);
}

/* Send and map the outcome; out may be NULL. */
static dr_err s3_send(drv_s3 *s, const char *method, const char *key, const char *query, const char *ctype,
		      const void *body, size_t len, const char *what, drv_aws_resp *out)
{
	char *path = object_path(s, key);
	drv_http_header h = {"Content-Type", ctype};
	drv_aws_req req = {.service = "s3", .region = s->region, .method = method, .path = path, .query = query,
			   .headers = ctype ? &h : NULL, .n_headers = ctype ? 1 : 0, .body = body,
			   .body_len = len, .what = what};
	drv_aws_resp local;
	drv_aws_resp *r = out ? out : &local;
	dr_err err = drv_aws_send(s->aws, &req, r);
	if (err && (r->status == 404 || (r->error_code && (!strcmp(r->error_code, "NoSuchKey") ||
							   !strcmp(r->error_code, "NoSuchBucket")))))
		err = DR_NOTFOUND;
	else if (err)
		dr_error("s3 %s \"%s/%s\": %s (http %ld, %d attempts)", what, s->bucket, key ? key : "",
			 r->error_code ? r->error_code : "error", r->status, r->attempts);
	if (!out) drv_aws_resp_release(&local);
	free(path);
	return err;
}

dr_err drv_s3_create_bucket(drv_s3 *s)
{
	drv_aws_resp r;
	dr_err err = s3_send(s, "PUT", NULL, NULL, NULL, NULL, 0, "CreateBucket", &r);
	if (err && r.error_code && !strcmp(r.error_code, "BucketAlreadyOwnedByYou")) err = DR_OK;
	drv_aws_resp_release(&r);
	return err;
}

dr_err drv_s3_put(drv_s3 *s, const char *key, const void *data, size_t len)
{
	return s3_send(s, "PUT", key, NULL, "application/octet-stream", data, len, "PutObject", NULL);
}

dr_err drv_s3_get(drv_s3 *s, const char *key, dr_buf *out)
{
	drv_aws_resp r;
	dr_err err = s3_send(s, "GET", key, NULL, NULL, NULL, 0, "GetObject", &r);
	if (!err) {
		dr_buf_release(out);
		*out = r.body;
		memset(&r.body, 0, sizeof(r.body));
	}
	drv_aws_resp_release(&r);
	return err;
}

dr_err drv_s3_head(drv_s3 *s, const char *key, drv_s3_object_info *out)
{
	drv_aws_resp r;
	memset(out, 0, sizeof(*out));
	dr_err err = s3_send(s, "HEAD", key, NULL, NULL, NULL, 0, "HeadObject", &r);
	if (!err) {
		out->size = r.content_length;
		out->etag = dr_strdup(r.etag);
	}
	drv_aws_resp_release(&r);
	return err;
}

void drv_s3_object_info_release(drv_s3_object_info *i)
{
	free(i->etag);
	memset(i, 0, sizeof(*i));
}

dr_err drv_s3_delete(drv_s3 *s, const char *key)
{
	dr_err err = s3_send(s, "DELETE", key, NULL, NULL, NULL, 0, "DeleteObject", NULL);
	return err == DR_NOTFOUND ? DR_OK : err;
}

static xmlDoc *parse(const dr_buf *b)
{
	return xmlReadMemory(b->s ? b->s : "", (int)b->len, "s3.xml", NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static char *child_text(xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name)) {
			xmlChar *t = xmlNodeGetContent(c);
			char *s = dr_strdup((const char *)t);
			xmlFree(t);
			return s;
		}
	}
	return NULL;
}

dr_err drv_s3_list(drv_s3 *s, const char *prefix, char ***keys, size_t *n)
{
	dr_err err = DR_OK;
	size_t cap = 0;
	char *token = NULL;
	*keys = NULL;
	*n = 0;
	do {
		dr_buf q = {0};
		if (token) drv_aws_form_add(&q, "continuation-token", token);
		drv_aws_form_add(&q, "list-type", "2");
		drv_aws_form_add(&q, "prefix", prefix ? prefix : "");
		drv_aws_resp r;
		err = s3_send(s, "GET", NULL, q.s, NULL, NULL, 0, "ListObjectsV2", &r);
		dr_buf_release(&q);
		free(token);
		token = NULL;
		if (!err) {
			xmlDoc *doc = parse(&r.body);
			xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
			if (!root) {
				dr_error("s3 ListObjectsV2 \"%s\": unreadable reply", s->bucket);
				err = DR_REMOTE;
			}
			for (xmlNode *c = root ? root->children : NULL; c; c = c->next) {
				if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "Contents")) continue;
				DR_GROW(*keys, *n, cap);
				(*keys)[(*n)++] = child_text(c, "Key");
			}
			char *trunc = root ? child_text(root, "IsTruncated") : NULL;
			if (trunc && !strcmp(trunc, "true")) token = child_text(root, "NextContinuationToken");
			free(trunc);
			if (doc) xmlFreeDoc(doc);
		}
		drv_aws_resp_release(&r);
	} while (!err && token);
	free(token);
	return err;
}

dr_err drv_s3_put_multipart(drv_s3 *s, const char *key, const void *data, size_t len, size_t part_size)
{
	drv_aws_resp r;
	dr_err err = s3_send(s, "POST", key, "uploads", "application/octet-stream", NULL, 0, "CreateMultipartUpload", &r);
	char *upload = NULL;
	if (!err) {
		xmlDoc *doc = parse(&r.body);
		upload = doc ? child_text(xmlDocGetRootElement(doc), "UploadId") : NULL;
		if (doc) xmlFreeDoc(doc);
		if (!upload) {
			dr_error("s3 CreateMultipartUpload \"%s/%s\": no UploadId", s->bucket, key);
			err = DR_REMOTE;
		}
	}
	drv_aws_resp_release(&r);
	if (err) return err;

	dr_buf done = {0}, uid = {0};
	drv_uri_encode(&uid, upload, strlen(upload), false);
	dr_buf_puts(&done, "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
	int part = 1;
	for (size_t off = 0; off < len || part == 1; off += part_size, part++) {
		size_t n = len - off < part_size ? len - off : part_size;
		char *q = dr_asprintf("partNumber=%d&uploadId=%s", part, uid.s);
		err = s3_send(s, "PUT", key, q, "application/octet-stream", (const char *)data + off, n, "UploadPart", &r);
		free(q);
		if (!err) {
			if (!r.etag) {
				dr_error("s3 UploadPart \"%s/%s\": no ETag for part %d", s->bucket, key, part);
				err = DR_REMOTE;
			} else {
				dr_buf_printf(&done, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", part, r.etag);
			}
		}
		drv_aws_resp_release(&r);
		if (err || off + n >= len) break;
	}
	dr_buf_puts(&done, "</CompleteMultipartUpload>");
	char *q = dr_asprintf("uploadId=%s", uid.s);
	if (!err) {
		err = s3_send(s, "POST", key, q, "application/xml", done.s, done.len, "CompleteMultipartUpload", NULL);
	} else if (s3_send(s, "DELETE", key, q, NULL, NULL, 0, "AbortMultipartUpload", NULL) != DR_OK) {
		dr_warn("s3 upload \"%s\" of \"%s/%s\" could not be aborted", upload, s->bucket, key);
	}
	free(q);
	free(upload);
	dr_buf_release(&done);
	dr_buf_release(&uid);
	return err;
}
