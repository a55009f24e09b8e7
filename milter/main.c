/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * main.c - the dkimsa daemon: options, configuration check, socket,
 * privileges, then libmilter in a thread of its own while this thread
 * takes every signal (msig.c): SIGHUP reloads (rt.c keeps the old state
 * when the new one has errors), SIGTERM and SIGINT finish in-flight
 * messages and exit.  No signal reaches libmilter, which would stop on
 * SIGHUP.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "asuser.h"
#include "callbacks.h"
#include "cfg.h"
#include "histrec.h"
#include "job.h"
#include "metrics.h"
#include "metrics_http.h"
#include "metrics_sock.h"
#include "mlog.h"
#include "msig.h"
#include "rt.h"
#include "sock.h"

#ifndef DKIMSA_CONF
#define DKIMSA_CONF "/etc/dkimsa.conf"
#endif

/* Descriptors that are not milter connections: standard streams, the
 * listener, the log and the resolver's sockets and pipes (dkimsa.8). */
#define MAIN_FD_RESERVE 64

static void
main_usage(void)
{
	fprintf(stderr, "usage: dkimsa [-x CONFIG] [-f] [-n] [-V] "
			"[-p SOCKET]\n");
	exit(2);
}

static void
main_err_stderr(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "dkimsa: %s\n", msg);
}

static void
main_err_log(void *arg, const char *msg)
{
	(void)arg;
	mlog(LOG_ERR, "%s", msg);
}

/* UserID "user[:group]": the uid and gid to run as. */
static int
main_user(const char *spec, uid_t *uid, gid_t *gid)
{
	char name[256], *colon;
	struct passwd *pw;
	struct group *gr;

	snprintf(name, sizeof(name), "%s", spec);
	if ((colon = strchr(name, ':')) != NULL)
		*colon++ = '\0';
	if ((pw = getpwnam(name)) == NULL) {
		fprintf(stderr, "dkimsa: UserID %s: no such user\n", name);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (colon != NULL) {
		if ((gr = getgrnam(colon)) == NULL) {
			fprintf(stderr, "dkimsa: UserID %s: no such group %s\n",
				spec, colon);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

static int
main_drop(const struct cfg *cfg)
{
	uid_t uid;
	gid_t gid;

	if (cfg->user_id == NULL) {
		if (geteuid() == 0 && !cfg->allow_root) {
			fprintf(stderr, "dkimsa: refusing to run as root: set "
					"UserID (e.g. UserID dkimsa) or "
					"AllowRoot yes\n");
			return -1;
		}
		return 0;
	}
	if (main_user(cfg->user_id, &uid, &gid) != 0)
		return -1;
	if (uid == 0 && !cfg->allow_root) {
		fprintf(stderr,
			"dkimsa: UserID %s is root: refusing to run as "
			"root (set AllowRoot yes to allow it)\n",
			cfg->user_id);
		return -1;
	}
	if (getuid() == uid)
		return 0;
	if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
		fprintf(stderr, "dkimsa: cannot become %s: %s\n", cfg->user_id,
			strerror(errno));
		return -1;
	}
	if (uid != 0 && setuid(0) == 0) {
		fprintf(stderr,
			"dkimsa: could regain root after dropping it\n");
		return -1;
	}
	return 0;
}

/* TCP_NODELAY on the listening socket (accepted sockets inherit it on
 * Linux), so the header changes and the reply to end-of-message are not
 * held back by Nagle's algorithm. */
static void
main_nodelay(void)
{
	int fd, on = 1, listening;
	socklen_t len;
	struct sockaddr_storage ss;

	for (fd = 0; fd < 1024; fd++) {
		len = sizeof(listening);
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening,
			       &len) != 0 ||
		    !listening)
			continue;
		len = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
		    (ss.ss_family == AF_INET || ss.ss_family == AF_INET6))
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on,
				   sizeof(on));
	}
}

/* The file of a unix: socket, or NULL. */
static const char *
main_socket_path(const char *s)
{
	if (strncmp(s, "unix:", 5) == 0)
		return s + 5;
	if (strncmp(s, "local:", 6) == 0)
		return s + 6;
	return s[0] == '/' ? s : NULL;
}

/* A unix socket made as root belongs to UserID, so the MTA's group works. */
static int
main_socket_owner(const struct cfg *cfg)
{
	const char *path = main_socket_path(cfg->socket);
	uid_t uid;
	gid_t gid;

	if (path == NULL || cfg->user_id == NULL || geteuid() != 0)
		return 0;
	if (main_user(cfg->user_id, &uid, &gid) != 0)
		return -1;
	if (chown(path, uid, gid) != 0) {
		fprintf(stderr, "dkimsa: chown %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int
main_check(const char *path)
{
	struct cfg cfg;
	struct rt *rt = NULL;
	uid_t uid = getuid();
	gid_t gid = getgid();
	char user[256] = "";
	int errors;

	cfg_defaults(&cfg);
	errors = cfg_load(&cfg, path, main_err_stderr, NULL);
	cfg_warnings(&cfg, main_err_stderr, NULL);
	if (errors == 0 && cfg.user_id && main_user(cfg.user_id, &uid, &gid))
		errors++;
	if (cfg.user_id != NULL)
		snprintf(user, sizeof(user), "%s", cfg.user_id);
	cfg_free(&cfg);
	if (errors == 0)
		errors = rt_load(path, uid, RT_START_DNS | RT_CHECK_TABLES, &rt,
				 main_err_stderr, NULL);
	rt_put(rt);
	/* every file opened again as the milter will open it on SIGHUP */
	if (errors == 0 && user[0] != '\0' && uid != geteuid()) {
		if (geteuid() == 0)
			errors = asuser_check(path, user, uid, gid,
					      main_err_stderr, NULL);
		else
			printf("dkimsa: %s: not run as root: not checked "
			       "that UserID %s can read every file\n",
			       path, user);
	}
	if (errors > 0) {
		fprintf(stderr, "dkimsa: %s: %d error%s\n", path, errors,
			errors == 1 ? "" : "s");
		return 1;
	}
	printf("dkimsa: %s: configuration OK\n", path);
	return 0;
}

static void
main_pidfile(const char *path, int write)
{
	FILE *fp;

	if (path == NULL)
		return;
	if (!write) {
		unlink(path);
		return;
	}
	if ((fp = fopen(path, "w")) == NULL) {
		mlog(LOG_WARNING, "PidFile %s: %s", path, strerror(errno));
		return;
	}
	fprintf(fp, "%ld\n", (long)getpid());
	fclose(fp);
}

/* MetricsSocket as opened at start (a reload does not move it). */
static char *main_metrics_spec;

/* Opens MetricsSocket before privileges go: the socket, or -1. */
static int
main_metrics_listen(const struct cfg *cfg)
{
	char why[300], at[600];
	int fd;

	if (cfg->metrics_socket == NULL)
		return -1;
	if ((fd = metrics_sock_listen(cfg->metrics_socket, why, sizeof(why))) <
	    0)
		fprintf(stderr, "dkimsa: %s: MetricsSocket %s: %s\n",
			cfg_where(cfg, "MetricsSocket", at, sizeof(at)),
			cfg->metrics_socket, why);
	else
		main_metrics_spec = strdup(cfg->metrics_socket);
	return fd;
}

/* Counting on and the HTTP thread started, before the DNS starts. */
static int
main_metrics_start(int fd)
{
	char why[300];

	if (fd < 0)
		return 0;
	metrics_enable();
	metrics_gauges(callbacks_connections, callbacks_inflight);
	if (metrics_http_start(fd, why, sizeof(why)) != 0) {
		mlog(LOG_ERR, "cannot start: MetricsSocket %s: %s",
		     main_metrics_spec, why);
		return -1;
	}
	mlog(LOG_INFO, "metrics at /metrics on MetricsSocket %s",
	     main_metrics_spec);
	return 0;
}

static void
main_reload(const char *path)
{
	struct rt *rt;
	const char *ms;

	if (rt_load(path, getuid(), 1, &rt, main_err_log, NULL) != 0) {
		metrics_reload(0);
		mlog(LOG_ERR,
		     "reload of %s failed; keeping the old "
		     "configuration",
		     path);
		return;
	}
	ms = rt->cfg.metrics_socket;
	if ((ms == NULL) != (main_metrics_spec == NULL) ||
	    (ms != NULL && strcmp(ms, main_metrics_spec) != 0))
		mlog(LOG_WARNING,
		     "MetricsSocket changes only at a restart; still %s",
		     main_metrics_spec ? main_metrics_spec : "off");
	rt_install(rt);
	metrics_reload(1);
	mlog(LOG_INFO, "reloaded %s", path);
}

static atomic_int main_milter_done; /* smfi_main() returned */

static long
main_elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - since->tv_sec) * 1000 +
	       (now.tv_nsec - since->tv_nsec) / 1000000;
}

/*
 * The signal thread (msig.c): HUP reloads.  Returns on TERM or INT, or
 * with MSIG_WAKE when libmilter stopped on its own.
 */
static int
main_signals(const char *path)
{
	int sig;

	for (;;) {
		sig = msig_wait();
		if (sig == SIGHUP)
			main_reload(path);
		else if (sig == SIGTERM || sig == SIGINT)
			return sig;
		else if (atomic_load(&main_milter_done))
			return MSIG_WAKE;
	}
}

/*
 * TERM and INT: new connections and messages are refused (421), those in
 * progress finish, for up to 5 minutes (as long as an MTA waits for the
 * reply).  libmilter's smfi_stop() is not used: its worker pool destroys
 * its mutex as soon as it sees the stop while the listener may still be
 * starting a session with it, and every thread then waits forever on a
 * destroyed mutex.  So once drained the process just ends.  Returns the
 * number of connections still open.
 */
static int
main_drain(void)
{
	struct timespec done;
	int i;

	callbacks_drain();
	mlog(LOG_INFO, "stopping: finishing %d message(s) in progress",
	     callbacks_inflight());
	for (i = 0; callbacks_inflight() > 0 && i < 3000; i++)
		usleep(100000);
	if ((i = callbacks_inflight()) > 0)
		mlog(LOG_WARNING,
		     "stopping: %d message(s) cut off after 5 "
		     "minutes",
		     i);
	/* libmilter sends a message's last reply after our callback
	 * returns: give it a second unless every connection is closed */
	clock_gettime(CLOCK_MONOTONIC, &done);
	while (callbacks_connections() > 0 && main_elapsed_ms(&done) < 1000)
		usleep(20000);
	return callbacks_connections();
}

static void *
main_milter(void *arg)
{
	int *rc = arg;

	*rc = smfi_main();
	atomic_store(&main_milter_done, 1);
	msig_wake();
	return NULL;
}

/*
 * Soft RLIMIT_NOFILE up to the hard limit: each milter connection holds
 * a descriptor, and at the limit libmilter's listener spins on accept().
 */
static void
main_nofile(void)
{
	struct rlimit rl;
	rlim_t want;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	want = rl.rlim_max == RLIM_INFINITY ? (rlim_t)1 << 20 : rl.rlim_max;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rlim_t old = rl.rlim_cur;

		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
			mlog(LOG_WARNING,
			     "cannot raise the open files limit from %lu to "
			     "%lu: %s",
			     (unsigned long)old, (unsigned long)want,
			     strerror(errno));
			rl.rlim_cur = old;
		}
	}
	mlog(LOG_INFO,
	     "open files limit %lu: about %lu concurrent milter connections",
	     (unsigned long)rl.rlim_cur,
	     rl.rlim_cur > MAIN_FD_RESERVE
		 ? (unsigned long)(rl.rlim_cur - MAIN_FD_RESERVE)
		 : 0UL);
}

static int
main_start(const char *path, const struct cfg *cfg, int foreground,
	   int metrics_fd)
{
	pthread_t milter;
	struct rt *rt = NULL;
	const char *sock;
	char err[200];
	int rc = 0, still_open;

	if (rt_load(path, getuid(), 0, &rt, main_err_stderr, NULL) != 0)
		return 1;
	rt_put(rt); /* checked before going to the background */
	if (!foreground && daemon(0, 0) != 0) {
		perror("dkimsa: daemon");
		return 1;
	}
	mlog_open(cfg, foreground);
	/* this thread takes every signal; no other thread exists yet */
	if (msig_start(err, sizeof(err)) != 0) {
		mlog(LOG_ERR, "cannot start: %s", err);
		return 1;
	}
	main_nofile();
	if (job_init(cfg->worker_threads) != 0 ||
	    main_metrics_start(metrics_fd) != 0)
		return 1;
	if (rt_load(path, getuid(), 1, &rt, main_err_log, NULL) != 0)
		return 1;
	rt_install(rt);
	metrics_loaded();
	/* DMARCHistoryFile lines, for RFC 9990 reports (histrec.c) */
	dmarcpath_set_history(histrec_write, NULL);
	main_pidfile(cfg->pid_file, 1);
	signal(SIGPIPE, SIG_IGN);
	if (pthread_create(&milter, NULL, main_milter, &rc) != 0) {
		mlog(LOG_ERR, "cannot start: %s", strerror(errno));
		return 1;
	}
	mlog(LOG_INFO, "dkimsa %s listening on %s (mode %s)", PACKAGE_VERSION,
	     cfg->socket, cfg->mode);
	if (main_signals(path) == MSIG_WAKE) {
		pthread_join(milter, NULL);
		mlog(LOG_ERR, "libmilter stopped%s; exiting",
		     rc == MI_SUCCESS ? "" : " with an error");
		main_pidfile(cfg->pid_file, 0);
		/* its connection threads may still run: no atexit handlers
		 * under them; status 1, so that systemd restarts us */
		_exit(1);
	}
	still_open = main_drain();
	main_pidfile(cfg->pid_file, 0);
	if ((sock = main_socket_path(cfg->socket)) != NULL)
		unlink(sock);
	if (still_open > 0) {
		/* their threads may still run our callbacks: no atexit
		 * handlers (OpenSSL's cleanup) under them */
		mlog(LOG_INFO, "exiting with %d idle connection(s) open",
		     still_open);
		_exit(0);
	}
	job_shutdown(); /* no message left: every worker idle */
	metrics_http_stop();
	rt_install(NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *path = DKIMSA_CONF, *sock = NULL;
	static char abspath[PATH_MAX];
	int c, foreground = 0, check = 0, rc, metrics_fd = -1;
	struct cfg cfg;

	/* before any thread exists, so that every thread inherits it */
	msig_block();

	while ((c = getopt(argc, argv, "x:fnVp:")) != -1) {
		switch (c) {
		case 'x':
			path = optarg;
			break;
		case 'f':
			foreground = 1;
			break;
		case 'n':
			check = 1;
			break;
		case 'p':
			sock = optarg;
			break;
		case 'V':
			printf("dkimsa %s (libdkimsa %s)\n", PACKAGE_VERSION,
			       dkimsa_version());
			return 0;
		default:
			main_usage();
		}
	}
	if (optind != argc)
		main_usage();
	if (check)
		return main_check(path);
	/* daemon() changes to /: keep the configuration findable */
	if (realpath(path, abspath) != NULL)
		path = abspath;
	cfg_defaults(&cfg);
	rc = 1; /* every exit from here frees cfg (LeakSanitizer) */
	if (cfg_load(&cfg, path, main_err_stderr, NULL) != 0)
		goto out;
	cfg_warnings(&cfg, main_err_stderr, NULL);
	if (!cfg.background) /* OpenDKIM's "Background no" */
		foreground = 1;
	mlog_check_syslog(&cfg, foreground);
	if (sock != NULL) {
		free(cfg.socket);
		cfg.socket = strdup(sock);
	}
	umask((mode_t)strtol(cfg.umask, NULL, 8));
	if (sock_check_unix(cfg.socket, main_err_stderr, NULL) != 0)
		goto out;
	errno = 0;
	if (smfi_setconn(cfg.socket) != MI_SUCCESS ||
	    smfi_register(callbacks_desc) != MI_SUCCESS ||
	    smfi_opensocket(1) != MI_SUCCESS) {
		fprintf(stderr, "dkimsa: cannot listen on %s%s%s\n", cfg.socket,
			errno ? ": " : "", errno ? strerror(errno) : "");
		goto out;
	}
	main_nodelay();
	if (cfg.metrics_socket != NULL &&
	    (metrics_fd = main_metrics_listen(&cfg)) < 0)
		goto out;
	if (main_socket_owner(&cfg) != 0 || main_drop(&cfg) != 0)
		goto out;
	rc = main_start(path, &cfg, foreground, metrics_fd);
out:
	cfg_free(&cfg);
	free(main_metrics_spec);
	return rc;
}
