/*
 * s3.h - a small S3 client over aws_http for backup artifacts and evidence
 * bundles: PUT, GET, HEAD, LIST (ListObjectsV2), DELETE, bucket creation
 * and multipart upload.  Path-style addressing (endpoint/bucket/key), every
 * request signed with x-amz-content-sha256 (the payload's SHA-256), keys
 * percent-encoded once, never normalised (S3 rules).
 *
 * Errors: DR_NOTFOUND (NoSuchKey, NoSuchBucket, 404), DR_RETRY / DR_IO
 * after the standard-mode retries, DR_REMOTE for other faults, each with a
 * message naming the bucket and key.
 */
#ifndef DRV_S3_H
#define DRV_S3_H

#include "aws_http.h"

typedef struct {
	drv_aws *aws;       /* borrowed */
	const char *bucket; /* borrowed */
	const char *region; /* NULL: the client's */
} drv_s3;

typedef struct {
	long long size;
	char *etag;
} drv_s3_object_info;

void drv_s3_init(drv_s3 *s, drv_aws *aws, const char *bucket);
/* Create the bucket; one that already exists and is ours is DR_OK. */
dr_err drv_s3_create_bucket(drv_s3 *s) DR_WUR;
dr_err drv_s3_put(drv_s3 *s, const char *key, const void *data, size_t len) DR_WUR;
/* out (zero-initialised by the caller) gets the body. */
dr_err drv_s3_get(drv_s3 *s, const char *key, dr_buf *out) DR_WUR;
dr_err drv_s3_head(drv_s3 *s, const char *key, drv_s3_object_info *out) DR_WUR;
void drv_s3_object_info_release(drv_s3_object_info *i);
/* Every key under prefix (all pages); *keys is a new array of new strings. */
dr_err drv_s3_list(drv_s3 *s, const char *prefix, char ***keys, size_t *n) DR_WUR;
/* Deleting a missing key is DR_OK (S3 semantics). */
dr_err drv_s3_delete(drv_s3 *s, const char *key) DR_WUR;
/* Multipart upload in parts of part_size bytes (>= 5 MiB except the last);
 * aborted (AbortMultipartUpload) when a part fails. */
dr_err drv_s3_put_multipart(drv_s3 *s, const char *key, const void *data, size_t len, size_t part_size) DR_WUR;

#endif
