/*
 * evidence.h - evidence bundles: a directory holding the scenario, the
 * result JSON, every rendered report, the drill journal when there is one,
 * the environment, evidence.json (identity, control mapping, test design,
 * schedule, objectives, measurements, integrity checks, findings, cleanup,
 * guards, sign-off, retention), a SHA-256 manifest of every file and an
 * Ed25519 signature over the manifest.  "drsim verify" checks a bundle.
 *
 * A bundle is built in a temporary sibling directory and renamed into
 * place, so a reader never sees a half-written one.
 */
#ifndef DR_EVIDENCE_H
#define DR_EVIDENCE_H

#include "result.h"

#define RPT_MANIFEST "manifest.sha256"
#define RPT_SIGNATURE "manifest.sig"
#define RPT_PUBKEY "signing-key.pub.pem"

/*
 * Write the bundle for r into dir (replacing an existing bundle there
 * atomically).  scenario_path NULL means r->scenario_file; journal_path may
 * be NULL; key_path NULL means $DRSIM_SIGNING_KEY, and with neither the
 * bundle is written unsigned (with a warning).  Prints its own error
 * message; returns DR_OK, DR_NOTFOUND (scenario, journal or key missing),
 * DR_PARSE (not an Ed25519 private key) or DR_IO.
 */
dr_err rpt_evidence_write(const char *dir, const char *scenario_path, const res_result *r,
			  const char *journal_path, const char *key_path) DR_WUR;

/*
 * Check a bundle: the signature over the manifest (with the public key in
 * pubkey_path, or the bundle's own signing-key.pub.pem when NULL), then
 * every listed file's SHA-256, then that no file is missing or unlisted.
 * Returns DR_OK, or DR_VERIFY with the first problem in problem (one
 * sentence naming the file), or DR_NOTFOUND / DR_PARSE for a bad pubkey.
 */
dr_err rpt_evidence_verify(const char *dir, const char *pubkey_path, char *problem, size_t len) DR_WUR;

/* Make an Ed25519 key pair: PREFIX.pem (private, mode 0600) and
 * PREFIX.pub.pem.  Prints its own error; DR_OK or DR_IO. */
dr_err rpt_keygen(const char *prefix) DR_WUR;

/* Lowercase hex SHA-256 of len bytes. */
void rpt_sha256_hex(const void *data, size_t len, char out[65]);

#endif
