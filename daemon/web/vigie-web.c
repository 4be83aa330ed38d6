/* vigie-web: the social workers' and HR's console (SPEC 14). It opens the
 * database vigied writes (WAL: readers never wait for a cycle), serves the
 * pages with libmicrohttpd's thread pool from a socket systemd passes or
 * from web.listen, and otherwise waits for signals in its main thread:
 * SIGHUP reloads the configuration and rules (parsed aside, swapped only
 * when valid and on the same database, as vigied's), SIGTERM and SIGINT
 * stop it after the requests in flight. A database file replaced or
 * deleted under it, found at a request or a reload, stops it with exit 74
 * (pool_still_ours). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>
#include "vigie/fileio.h"
#include "vigie/log.h"
#include "vigie/report.h"
#include "vigie/secret.h"
#include "vigie/version.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: vigie-web [-c CONFIG] [--check] [--version] [--help]\n"
	    "\n"
	    "  -c, --config CONFIG  configuration file (default $VIGIE_CONFIG or "
	    CONFIG_DEFAULT_PATH ")\n"
	    "      --check          validate the configuration, the rules and the TLS\n"
	    "                       files, exit 0 or 78\n"
	    "      --version        print the version\n"
	    "      --help           this help\n"
	    "\nSee vigie-web(8).\n");
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	log_warnx("http: %s", buf);
}

/* The certificate and key of web.tls_*, read once (the key like any
 * secret: refused when group or others may read it). 0 or -1. */
static int read_tls(const struct web_config *wc, char **cert, char **key)
{
	char *err = NULL;
	size_t len;

	*cert = *key = NULL;
	if (!wc || !wc->tls_cert_file)
		return 0;
	if (!(*cert = read_file(wc->tls_cert_file, &len))) {
		log_err("cannot read web.tls_cert_file %s: %m", wc->tls_cert_file);
		return -1;
	}
	if (secret_read(wc->tls_key_file, NULL, key, &err) != 0) {
		log_err("web.tls_key_file: %s", err ? err : "cannot read it");
		free(err);
		free(*cert);
		*cert = NULL;
		return -1;
	}
	return 0;
}

static void reload(struct web *w)
{
	struct site *s, *old;
	struct store *st = pool_get(w);
	bool ours = pool_still_ours(w, st);
	char *why = NULL;

	pool_put(w, st);
	/* The checks of a reload open the database by its path. */
	if (!ours)
		return;
	sd_notify(0, "RELOADING=1");
	s = site_load(w->config_path, false);
	if (!s) {
		log_err("reload: the configuration or the rules are invalid (errors above); "
		    "keeping the previous ones");
	} else if ((why = config_reload_refused(w->site->cfg, s->cfg))) {
		log_err("reload refused; still running with the previous "
		    "configuration and rules: %s", why);
		free(why);
		site_unref(w, s);
	} else {
		char *keys = config_web_restart_keys(w->site->cfg, s->cfg);

		pthread_mutex_lock(&w->lock);
		old = w->site;
		w->site = s;
		pthread_mutex_unlock(&w->lock);
		site_unref(w, old);
		log_info("reloaded %s: %zu rules", w->config_path, s->rs->n);
		/* A reload that cannot apply them says so: "reloaded" alone
		 * reads as done. */
		if (keys)
			log_warnx("%s changed: vigie-web keeps what it read at its "
			    "start until it is restarted (systemctl restart vigie-web)",
			    keys);
		free(keys);
	}
	sd_notify(0, "READY=1");
}

/* Single sign-on on TCP, loopback included: any process of the machine may
 * connect and name any account; only a unix socket leaves that to the
 * proxy. Said on stderr (--check) or in the log (start). */
static void header_on_tcp(const struct web_config *wc, const char *where,
    bool to_stderr)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "web.trusted_user_header %s is believed from any "
	    "process of this machine that connects to %s: listen on a unix socket "
	    "that only the proxy's group may open (vigie-web(8))",
	    wc->trusted_user_header, where);
	if (to_stderr)
		fprintf(stderr, "vigie-web: warning: %s\n", msg);
	else
		log_warnx("%s", msg);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'k' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct web w = { .lock = PTHREAD_MUTEX_INITIALIZER,
	    .reload = PTHREAD_MUTEX_INITIALIZER, .pool_lock = PTHREAD_MUTEX_INITIALIZER,
	    .pool_cond = PTHREAD_COND_INITIALIZER, .listen_fd = -1 };
	const struct web_config *wc;
	const char *arg = NULL;
	char *cert = NULL, *key = NULL, *err = NULL, *listen_on = NULL;
	bool check = false, is_unix = false, activated = false;
	sigset_t mask;
	int c, rc = 0, sig;

	argv[0] = "vigie-web";	/* getopt's messages: the name, not the path */
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (!*optarg) {
				fprintf(stderr, "vigie-web: -c needs a configuration file, "
				    "not an empty name\n");
				usage(stderr);
				return EX_USAGE;
			}
			arg = optarg;
			break;
		case 'k': check = true; break;
		case 'V': printf("vigie-web %s\n", vigie_version_long); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigie-web: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return EX_USAGE;
	}
	log_init("vigie-web", getenv("VIGIE_DEBUG") != NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);	/* a write error, as vigied's */
	w.config_path = config_path(arg);
	if (!(w.site = site_load(w.config_path, !check)))
		return EX_CONFIG;
	wc = w.site->cfg->web;
	if (read_tls(wc, &cert, &key) != 0) {
		rc = EX_CONFIG;
		goto out;
	}
	if (check) {
		/* What start would say of web.listen; systemd's socket, when it
		 * passes one, is not known here. */
		if (wc && wc->trusted_user_header && (!wc->listen || wc->listen[0] != '/'))
			header_on_tcp(wc, wc->listen ? wc->listen : "127.0.0.1:8080", true);
		/* The same warnings as vigied --check: one file for both. */
		report_warnings(w.site->cfg, w.site->rs, stderr);
		printf("%s: configuration, %zu rule%s%s are valid\n", w.config_path,
		    w.site->rs->n, w.site->rs->n == 1 ? "" : "s",
		    cert ? " and the TLS files" : "");
		goto out;
	}
	/* Kept: a reload replaces the configuration, not the listener. */
	listen_on = xstrdup(wc && wc->listen ? wc->listen : "127.0.0.1:8080");
	w.tls = cert != NULL;
	if ((w.listen_fd = listen_open(listen_on, w.tls, &is_unix, &activated, &err)) < 0) {
		log_err("%s", err);
		free(err);
		rc = EX_CONFIG;
		goto out;
	}
	if (wc && wc->trusted_user_header && !is_unix)
		header_on_tcp(wc, activated ? "the socket systemd passed" : listen_on,
		    false);
	/* Secure cookies over TLS; behind a proxy (a unix socket, or loopback
	 * with an https web.url) the browser speaks HTTPS to the proxy. */
	w.secure = w.tls || (wc && wc->url ? !strncmp(wc->url, "https://", 8) : is_unix);
	if ((rc = pool_open(&w, w.site->cfg, &err)) != 0) {
		/* An older vigied still runs: the upgrade is its restart's. */
		if (rc == STORE_ERUNNING)
			log_err("%s: restart vigied, which upgrades it, then start "
			    "vigie-web again", err);
		else
			log_err("%s", err ? err : "cannot open the database");
		free(err);
		rc = rc == STORE_EMISMATCH ? EX_CONFIG : rc == STORE_ERUNNING ?
		    EX_TEMPFAIL : EX_IOERR;
		goto out;
	}
	/* The snapshots are read before the first request. */
	{
		struct req r0 = { .w = &w, .site = w.site, .st = pool_get(&w) };
		data_unref(&w, data_ref(&r0));
		alerts_unref(&w, alerts_ref(&r0));
		pool_put(&w, r0.st);
	}
	/* Workers inherit the mask: signals are read here only. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	w.mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG | (w.tls ? MHD_USE_TLS : 0), 0, NULL, NULL,
	    web_access, &w,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_LISTEN_SOCKET, w.listen_fd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)WEB_THREADS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
	    /* Facing the network (TLS), one address may not hold them all
	     * with requests it never ends; behind a proxy every connection
	     * is the proxy's. */
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(w.tls ? WEB_PER_ADDRESS : 0),
	    MHD_OPTION_NOTIFY_COMPLETED, web_completed, &w,
	    w.tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
	    MHD_OPTION_HTTPS_MEM_KEY, key,
	    MHD_OPTION_HTTPS_PRIORITIES, "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
	    MHD_OPTION_END);
	if (!w.mhd) {
		log_err("cannot start the HTTP server on %s", listen_on);
		rc = EX_SOFTWARE;
		goto out;
	}
	log_info("listening on %s%s%s", activated ? "the socket systemd passed" : listen_on,
	    w.tls ? " (TLS)" : "", w.secure ? "" : " (cookies without Secure: plain loopback)");
	sd_notify(0, "READY=1");
	for (;;) {
		if (sigwait(&mask, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			reload(&w);
			if (!atomic_load(&w.fatal))
				continue;
		}
		break;
	}
	sd_notify(0, "STOPPING=1");
	if (!(rc = atomic_load(&w.fatal)))
		log_info("stopping");
	MHD_stop_daemon(w.mhd);
out:
	if (w.listen_fd >= 0)
		close(w.listen_fd);
	if (!activated && listen_on && listen_on[0] == '/' && w.listen_fd >= 0)
		unlink(listen_on);
	free(listen_on);
	state_free(&w);
	pool_close(&w);
	free(cert);
	secret_free(key);
	return rc;
}
