/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cfg.h - dkimsa.conf: every setting declared once as a table row
 * (cfg.c), parsed into struct cfg.  Key names follow OpenDKIM where the
 * meaning is the same; OpenDKIM's other keys are rows too, each accepted
 * with a warning or refused with the reason (dkimsa-migration(7)).
 * A struct cfg owns its strings (cfg_free).
 */
#ifndef DKIMSA_MILTER_CFG_H
#define DKIMSA_MILTER_CFG_H

#include <stddef.h>

enum cfg_action {
	CFG_ACCEPT = 0,
	CFG_REJECT,
	CFG_TEMPFAIL,
	CFG_DISCARD,
	CFG_QUARANTINE,
};

struct cfg {
	/* operation */
	char *mode; /* "s", "v" or "sv" */
	char *socket;
	char *metrics_socket; /* inet:PORT@ADDR, or NULL: no metrics */
	char *user_id;
	char *umask; /* octal text */
	char *pid_file;
	int background; /* OpenDKIM's Background: no is -f */
	int syslog, syslog_success, log_why, allow_root;
	int worker_threads; /* for the DNS jobs (job.h); 0: automatic */
	char *syslog_facility, *syslog_name;
	/* signing */
	char *domain; /* table spec or comma list */
	char *key_file;
	char *selector;
	char *key_table, *signing_table;
	int key_cache_size;  /* parsed KeyTable keys kept (keycache.h) */
	int table_cache_ttl; /* seconds a dsn: answer is kept (kt_cache.c) */
	char *ldap_bind_user, *ldap_bind_password; /* ldap: tables */
	int ldap_use_tls, ldap_timeout;		   /* (kt_ldap.c) */
	int multiple_signatures, subdomains, remove_old_signatures;
	int signature_ttl; /* x= is t= plus this; 0: no x= */
	char *canonicalization;
	char *signature_algorithm;
	char *sign_headers, *oversign_headers, *sender_headers;
	int require_safe_keys;
	/* who is who */
	char *internal_hosts, *external_ignore_list, *peer_list, *mta,
	    *macro_list;
	/* verifying */
	char *authserv_id;
	int always_add_ar;
	int spf, sender_id, adsp, received_spf_header;
	char *dmarc_history_file; /* DMARCHistoryFile (histfile.h) */
	int dmarc;		  /* DMARC (RFC 9989), dmarcpath.c */
	char *dmarc_ignore_list;  /* clients and From domains not enforced */
	/* library options (their ranges and defaults are libdkimsa's) */
	char *minimum_key_bits, *maximum_signatures, *dns_timeout;
	/* DNS */
	char *trust_anchor_file, *nameservers, *unbound_config_file;
	/* ARC (RFC 8617; arcpath.h) */
	int arc_sign;
	int arc_oldest_pass; /* ARCOldestPass */
	char *arc_sign_mode, *arc_key, *arc_trusted_sealers;
	/* actions */
	int on_default, on_bad_signature, on_dns_error, on_internal_error,
	    on_key_not_found, on_no_signature, on_security, on_signature_error,
	    on_spf_fail, on_sender_id_fail, on_adsp_discard;
	int on_dmarc_reject, on_dmarc_quarantine;
	/* where each setting came from (cfg_where) */
	char *path;	/* the file given to cfg_load */
	char **where;	/* per row: "FILE, line N" that set it, or NULL */
	char *warnings; /* lines of text, "" when none (cfg_warnings) */
};

/* Sets every setting to its default. */
void cfg_defaults(struct cfg *c);
/*
 * Reads path over the defaults.  Every error is reported through err_fn as
 * "PATH, line N: reason"; returns the number of errors (0 = usable).
 */
int cfg_load(struct cfg *c, const char *path,
	     void (*err_fn)(void *arg, const char *msg), void *arg);
void cfg_free(struct cfg *c);
const char *cfg_action_name(int action);
/*
 * "FILE, line N" for the line that set key (as written in cfg_rows[]),
 * FILE being the configuration or a file it includes, or "PATH" when no
 * line sets it; in buf.
 */
const char *cfg_where(const struct cfg *c, const char *key, char *buf,
		      size_t len);
/*
 * What a value meant when it failed to open as a table or host list, or
 * NULL: "OpenDKIM reads a bare value as a file name; for a list write
 * csl:..." and the like.
 */
const char *cfg_hint(const char *key, const char *value);
/* Gives every warning of the last cfg_load to fn, one line per call. */
void cfg_warnings(const struct cfg *c, void (*fn)(void *arg, const char *msg),
		  void *arg);
/* Prints every key with its value (dkimsa -n -v). */
void cfg_dump(const struct cfg *c, void (*out)(void *arg, const char *line),
	      void *arg);

#endif
