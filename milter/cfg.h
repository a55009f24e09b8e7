/*
 * cfg.h - dkimsa.conf: every setting declared once as a table row
 * (config.c), parsed into struct cfg.  Key names follow OpenDKIM where the
 * meaning is the same.  A struct cfg owns its strings (cfg_free).
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
	char *user_id;
	char *umask; /* octal text */
	char *pid_file;
	int syslog, syslog_success, log_why, allow_root;
	/* signing */
	char *domain; /* table spec or comma list */
	char *key_file;
	char *selector;
	char *key_table, *signing_table;
	int multiple_signatures;
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
	int minimum_key_bits, maximum_signatures;
	int spf, sender_id, adsp, received_spf_header;
	/* DNS */
	char *trust_anchor_file, *nameservers, *unbound_config_file;
	int dns_timeout;
	/* actions */
	int on_default, on_bad_signature, on_dns_error, on_internal_error,
	    on_key_not_found, on_no_signature, on_security, on_signature_error,
	    on_spf_fail, on_sender_id_fail, on_adsp_discard;
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
/* Prints every key with its value (dkimsa -n -v). */
void cfg_dump(const struct cfg *c, void (*out)(void *arg, const char *line),
	      void *arg);

#endif
