/* vigied: the daemon (SPEC 8). One thread, one epoll loop over file
 * descriptors only: a timerfd for `interval`, a signalfd for SIGHUP,
 * SIGUSR1 (a cycle now: `vigie retry`), SIGTERM and SIGINT (blocked as the
 * very first thing main does, so an early SIGHUP cannot kill the process,
 * and read between cycles so a cycle
 * always completes its transaction), an inotify watch on the inbox (a file
 * renamed into it starts a cycle at once), a one-shot timerfd that comes
 * back for inbox files still being written and, under a systemd watchdog,
 * a timerfd that pings every eighth of its period, and a timerfd that
 * looks every DATA_POLL_S for an import by another process (watch.h).
 * Between cycles the process sleeps in epoll_wait; during a cycle every long
 * step calls progress_tick() (progress.h), which pings when an eighth of
 * the period has passed. One daemon per database: an exclusive lock beside it (exit 75
 * when another holds it; --once waits up to an interval), and a database
 * file deleted or replaced under the daemon stops it (exit 74). A reload
 * parses the new configuration and rules aside and swaps them only when
 * valid. */
#include <limits.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sysexits.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>
#include "vigie/cycle.h"
#include "vigie/log.h"
#include "vigie/mail.h"
#include "vigie/progress.h"
#include "vigie/report.h"
#include "vigie/retry.h"
#include "vigie/store_outbox.h"
#include "vigie/version.h"
#include "vigie/watch.h"
#include "vigie/xalloc.h"

/* An inbox file still being written is looked at again after this. */
#define SETTLE_RETRY_MS 2200

struct daemon {
	const char *config;	/* the configuration file's path */
	struct cycle_set *set;
	struct store *st;
	struct cycle_state cs;
	int ep, tfd, sfd, wfd, rfd, lockfd;
	struct inbox_watch iw;
	struct data_watch dw;
	uint64_t wd_usec;	/* watchdog period, 0 when off */
	_Atomic uint64_t last_ping;	/* CLOCK_MONOTONIC microseconds; the
					 * evaluation threads tick too */
	int fatal;		/* exit code that stops the loop, 0 */
	bool again;		/* the inbox was ingested during a cycle's
				 * delivery: another cycle evaluates it */
	int failed;		/* cycles failed in a row (a database error) */
};

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void watchdog_ping(struct daemon *d)
{
	if (!d->wd_usec)
		return;
	sd_notify(0, "WATCHDOG=1");
	atomic_store(&d->last_ping, now_usec());
}

/* The progress hook (progress.h), called by every long step of a cycle
 * (and from the evaluation threads): pings when an eighth of the period
 * has passed, so a long import or a slow server does not get us killed
 * while a hung process still is (every step is bounded: transfers have a
 * timeout, loops an end). Says whether SIGTERM or SIGINT is waiting
 * (blocked, in the daemon and under --once alike): the cycle then ends
 * after the step under way, network waits (deliveries, pulls, the lock of
 * --once) are cut short, and the loops that would otherwise not end
 * (recording a delivery) give up. The daemon reads the signal after the
 * cycle; --once simply returns. */
static bool progress_hook(void *arg)
{
	struct daemon *d = arg;
	sigset_t p;

	if (d->wd_usec && now_usec() - atomic_load(&d->last_ping) >= d->wd_usec / 8)
		watchdog_ping(d);
	return sigpending(&p) == 0 &&
	    (sigismember(&p, SIGTERM) == 1 || sigismember(&p, SIGINT) == 1);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: vigied [-c CONFIG] [--once] [--check] [--version] [--help]\n"
	    "\n"
	    "  -c, --config CONFIG  configuration file (default $VIGIE_CONFIG or "
	    CONFIG_DEFAULT_PATH ")\n"
	    "      --once           run one cycle, attempt every pending notification, exit\n"
	    "      --check          validate the configuration and rules, exit 0 or 78\n"
	    "      --version        print the version\n"
	    "      --help           this help\n"
	    "\nSee vigied(8).\n");
}

/* Arms the one-shot timer that comes back for inbox files still being
 * written (0: disarms it). */
static void arm_retry(struct daemon *d, long ms)
{
	struct itimerspec its = { .it_value = { ms / 1000, (ms % 1000) * 1000000L } };

	if (d->rfd >= 0)
		timerfd_settime(d->rfd, 0, &its, NULL);
}

/* Arms the one-shot timer for what comes before the next interval: inbox
 * files still being written (settle), and the earliest notification due
 * again (SPEC 9: retried from 30 s, not at the next interval). */
static void arm_next(struct daemon *d, bool settle)
{
	int64_t now = time(NULL), due = store_outbox_next_due(d->st, now, RETRY_GIVE_UP_S);
	long s = d->set->cfg->interval_s > 0 ? d->set->cfg->interval_s : 3600;
	long ms = settle ? SETTLE_RETRY_MS : -1;

	if (due >= 0 && due - now < s) {
		long m = due <= now ? 1000 : (long)(due - now) * 1000;

		if (ms < 0 || m < ms)
			ms = m;
	}
	if (ms > 0) {
		if (!settle)
			log_debug("next delivery attempt in %ld s", ms / 1000);
		arm_retry(d, ms);
	}
}

/* The idle hook (progress.h), called while a delivery or a pull waits on
 * the network and while the scheduled report is made: a file renamed into
 * the inbox meanwhile is ingested at once rather than after the transfer,
 * which a slow server can hold for its whole timeout, or after the report
 * of a large company (SPEC 8: ingested within 2 s). The cycle under way then
 * ends as it would, and the next one, at once, evaluates the new data. */
static void idle_hook(void *arg)
{
	struct daemon *d = arg;
	struct cycle_report rep;

	if (!inbox_watch_read(&d->iw, d->set->cfg->inbox, &d->cs))
		return;
	if (cycle_ingest(d->st, d->set, &d->cs, time(NULL), &rep) != 0)
		log_err("inbox: database error: %s", store_errmsg(d->st));
	d->again = true;
}

/* Whether the database file, its write-ahead log and its shared memory
 * are still those open: writing on into a deleted file, or beside the file
 * that replaced it, would lose everything without a word (SPEC 8). When
 * not, the daemon stops (exit 74); the store empties a log that belongs to
 * a file replaced (store_check_file). Before anything opens the database
 * by its path again; every DATA_POLL_S too, so an idle daemon notices. */
static bool database_still_ours(struct daemon *d)
{
	char *err = NULL;

	if (store_check_file(d->st, &err) == 0)
		return true;
	log_err("%s: vigied stops, or what it writes would be lost; stop "
	    "vigie-web too, restore the database with both stopped (README, "
	    "Backups), and start them again",
	    err ? err : "the database file changed");
	free(err);
	sd_notify(0, "STATUS=stopped: the database file was deleted or replaced");
	d->fatal = EX_IOERR;
	return false;
}

static void cycle_once(struct daemon *d, bool force)
{
	struct cycle_report rep;
	char line[768];

	watchdog_ping(d);
	if (!database_still_ours(d))
		return;
	if (cycle_run(d->st, d->set, &d->cs, force, time(NULL), progress_hook, d,
	    &rep) != 0) {
		/* A full disk, a locked database: what waits (a delivery to
		 * claim, a file) is tried again on the delivery's backoff, from
		 * 30 s, not an interval later. */
		long cap = d->set->cfg->interval_s > 0 ? d->set->cfg->interval_s : 3600;
		long s = d->failed < 7 ? 30L << d->failed++ : cap;

		s = s < cap ? s : cap;
		sd_notify(0, "STATUS=last cycle failed (database error, see the log)");
		log_warnx("the cycle failed; the next one in %ld s", s);
		arm_retry(d, s * 1000);
		return;
	}
	d->failed = 0;
	cycle_status_line(&rep, store_granularity(d->st), line, sizeof(line));
	sd_notifyf(0, "STATUS=%s%s", d->cs.reload_failed_at ? "reload failed (the "
	    "previous configuration runs, see the log); " : "", line);
	if (rep.deferred)
		log_debug("%d inbox file%s still being written; looked at again in %d ms",
		    rep.deferred, rep.deferred == 1 ? "" : "s", SETTLE_RETRY_MS);
	arm_next(d, rep.deferred > 0);
	if (rep.imported || rep.rejected || rep.transitions)
		log_info("cycle: %s; %d imported, %d rejected, %d transitions", line,
		    rep.imported, rep.rejected, rep.transitions);
	else
		log_debug("cycle: %s", line);
	watchdog_ping(d);
}

/* A cycle, and another at once for what the inbox brought during its
 * delivery (idle_hook), unless asked to stop. */
static void run_cycle(struct daemon *d, bool force)
{
	d->iw.first_us = 0;	/* the files that came are ingested now */
	do {
		d->again = false;
		cycle_once(d, force);
		force = false;
	} while (d->again && !d->fatal && !progress_hook(d));
	data_watch_seen(&d->dw, d->st);
}

static int arm_interval(struct daemon *d)
{
	long s = d->set->cfg->interval_s > 0 ? d->set->cfg->interval_s : 3600;
	struct itimerspec its = {
		.it_interval = { .tv_sec = s }, .it_value = { .tv_sec = s },
	};

	return timerfd_settime(d->tfd, 0, &its, NULL);
}

/* The configuration, its rules and what its features name (the report's
 * indicators file), or NULL with every error in dg. */
static struct cycle_set *set_load(const char *path, struct diags *dg)
{
	struct cycle_set *set = cycle_set_load(path, dg);
	struct diags again = { 0 };
	struct config *cfg;
	bool valid;

	if (set) {
		if (report_indicators_check(set->cfg, dg) == 0)
			return set;
		cycle_set_free(set);
		return NULL;
	}
	/* Invalid already: the indicators file's errors too, all at once
	 * (the configuration's own are in dg). */
	if ((cfg = config_load_anyway(path, &again, &valid)))
		report_indicators_check(cfg, dg);
	config_free(cfg);
	diags_free(&again);
	return NULL;
}

/* The last reload's outcome, for the metrics (d->cs) and for vigie status
 * (the database's meta "reload_failed_at", unix time, "0": none failed). */
static void reload_record(struct daemon *d, bool failed)
{
	char t[24];

	d->cs.reload_failed_at = failed ? (int64_t)time(NULL) : 0;
	snprintf(t, sizeof(t), "%lld", (long long)d->cs.reload_failed_at);
	if (store_meta_set(d->st, "reload_failed_at", t) != 0)
		log_err("cannot record the reload: %s", store_errmsg(d->st));
}

static void reload(struct daemon *d)
{
	struct diags dg = { 0 };
	struct cycle_set *nset;
	char *why;

	/* The checks of a reload open the database by its path. */
	if (!database_still_ours(d))
		return;
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", (unsigned long long)now_usec());
	nset = set_load(d->config, &dg);
	if (!nset) {
		log_err("reload failed; still running with the previous "
		    "configuration and rules:");
		log_diag_lines(LOG_ERR, &dg, 0);
	} else if ((why = config_reload_refused(d->set->cfg, nset->cfg))) {
		log_err("reload refused; still running with the previous "
		    "configuration and rules: %s", why);
		free(why);
		cycle_set_free(nset);
		nset = NULL;
	} else {
		cycle_set_free(d->set);
		d->set = nset;
	}
	reload_record(d, !nset);
	if (nset) {
		if (arm_interval(d) != 0)
			log_err("cannot arm the interval timer: %s", strerror(errno));
		inbox_watch_set(&d->iw, d->set->cfg->inbox);
		log_info("reloaded %s: %zu rules", d->config, d->set->rs->n);
		report_warnings(d->set->cfg, d->set->rs, NULL);
	}
	diags_free(&dg);
	sd_notify(0, "READY=1");
	run_cycle(d, false);
}

static int add_fd(int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int serve(struct daemon *d)
{
	sigset_t mask;
	bool running = true;

	/* Blocked since the first line of main: read here. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if ((d->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    (d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) < 0 ||
	    (d->rfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) < 0 ||
	    inbox_watch_init(&d->iw) != 0 || data_watch_init(&d->dw) != 0 ||
	    (d->ep = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    arm_interval(d) != 0 ||
	    add_fd(d->ep, d->sfd) != 0 || add_fd(d->ep, d->tfd) != 0 ||
	    add_fd(d->ep, d->rfd) != 0 || add_fd(d->ep, d->iw.fd) != 0 ||
	    add_fd(d->ep, d->dw.fd) != 0) {
		log_err("cannot set up the event loop: %s", strerror(errno));
		return EX_OSERR;
	}
	if (d->wd_usec > 0) {
		/* An eighth of the period, as progress_hook: a busy machine
		 * that wakes us late still leaves most of it in hand. */
		if ((d->wfd = periodic_timer(d->wd_usec / 8)) < 0 ||
		    add_fd(d->ep, d->wfd) != 0) {
			log_err("cannot set up the watchdog timer: %s", strerror(errno));
			return EX_OSERR;
		}
	} else {
		d->wd_usec = 0;
	}
	inbox_watch_set(&d->iw, d->set->cfg->inbox);
	progress_set_idle(idle_hook, d);
	sd_notify(0, "READY=1");
	log_info("started: %s, %zu rules, database %s", d->config, d->set->rs->n,
	    d->set->cfg->database);
	report_warnings(d->set->cfg, d->set->rs, NULL);
	run_cycle(d, false);

	while (running && !d->fatal) {
		struct epoll_event evs[8];
		int n = epoll_wait(d->ep, evs, 8, -1);
		bool cycle = false, hup = false;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait: %s", strerror(errno));
			return EX_OSERR;
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			uint64_t ticks;
			if (fd == d->sfd) {
				struct signalfd_siginfo si;
				while (read(d->sfd, &si, sizeof(si)) == sizeof(si)) {
					if (si.ssi_signo == SIGHUP)
						hup = true;
					else if (si.ssi_signo == SIGUSR1)
						cycle = true;	/* vigie retry */
					else
						running = false;
				}
			} else if (fd == d->tfd || fd == d->rfd) {
				if (read(fd, &ticks, sizeof(ticks)) > 0)
					cycle = true;
			} else if (fd == d->wfd) {
				if (read(d->wfd, &ticks, sizeof(ticks)) > 0)
					watchdog_ping(d);
			} else if (fd == d->iw.fd &&
			    inbox_watch_read(&d->iw, d->set->cfg->inbox, &d->cs)) {
				long ms = inbox_watch_quiet(&d->iw, now_usec());
				if (ms > 0)
					arm_retry(d, ms);
				else
					cycle = true;
			} else if (fd == d->dw.fd) {
				if (database_still_ours(d) &&
				    data_watch_read(&d->dw, d->st))
					cycle = true;
			}
		}
		if (!running || d->fatal)
			break;
		if (hup)
			reload(d);	/* runs a cycle */
		else if (cycle)
			run_cycle(d, false);
	}
	sd_notify(0, "STOPPING=1");
	if (d->fatal)
		return d->fatal;
	log_info("stopping");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 'k' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct daemon d = { .ep = -1, .tfd = -1, .sfd = -1, .iw = { -1, -1 }, .dw = { -1, -1, -1 },
	    .wfd = -1, .rfd = -1, .lockfd = -1 };
	struct diags dg = { 0 };
	const char *arg = NULL;
	bool once = false, check = false;
	char *err = NULL, up[PATH_MAX + 128];
	int c, rc;
	sigset_t sigs;

	/* Before anything else: a SIGHUP sent by a reload right after start
	 * (or a SIGTERM) waits for the event loop instead of killing us.
	 * SIGTERM and SIGINT stay blocked under --once too, and are seen the
	 * same way (progress_hook): a stop finishes the current transaction,
	 * releases the claims and exits 0, never leaving claims behind nor
	 * failing the unit that `systemctl stop` stops (SPEC 8). */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);

	argv[0] = "vigied";	/* getopt's messages: the name, not the path */
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (!*optarg) {
				fprintf(stderr, "vigied: -c needs a configuration file, "
				    "not an empty name\n");
				usage(stderr);
				return EX_USAGE;
			}
			arg = optarg;
			break;
		case 'o': once = true; break;
		case 'k': check = true; break;
		case 'V': printf("vigied %s\n", vigie_version_long); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (once && check) {
		fprintf(stderr, "vigied: --once and --check cannot be combined\n");
		usage(stderr);
		return EX_USAGE;
	}
	if (once || check) {
		/* One run: there is nothing to reload. --check holds nothing and
		 * writes nothing: SIGTERM and SIGINT stop it as any command.
		 * SIGUSR1 is ignored, not blocked: vigie retry then knows that
		 * this run does not deliver on it. */
		signal(SIGHUP, SIG_IGN);
		signal(SIGUSR1, SIG_IGN);
		if (once) {
			sigemptyset(&sigs);
			sigaddset(&sigs, SIGHUP);
			sigaddset(&sigs, SIGUSR1);
		}
		sigprocmask(SIG_UNBLOCK, &sigs, NULL);
	}
	if (optind < argc) {
		fprintf(stderr, "vigied: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return EX_USAGE;
	}
	log_init("vigied", getenv("VIGIE_DEBUG") != NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit (LimitFSIZE=) reached: a write error, said and
	 * rolled back like a full disk, not a kill. */
	signal(SIGXFSZ, SIG_IGN);
	/* The scheduled report is rendered by the report room when it is sent. */
	mail_set_report_renderer(report_mail);
	d.config = config_path(arg);
	config_strict_secrets(!check);	/* the daemon is the user that matters */
	d.set = set_load(d.config, &dg);
	if (!d.set) {
		diags_print(&dg, stderr, 0);
		diags_free(&dg);
		return EX_CONFIG;
	}
	diags_free(&dg);
	if ((check ? cycle_database_check : cycle_database_damage)(d.set->cfg, &dg)) {
		diags_print(&dg, stderr, 0);
		diags_free(&dg);
		cycle_set_free(d.set);
		return EX_CONFIG;
	}
	if (check) {
		report_warnings(d.set->cfg, d.set->rs, stderr);
		/* The moment to take the backup (README "Upgrading"). */
		if (store_upgrade_due(d.set->cfg->database, up, sizeof(up)))
			printf("%s\n", up);
		printf("%s: configuration and %zu rule%s are valid\n", d.config,
		    d.set->rs->n, d.set->rs->n == 1 ? "" : "s");
		cycle_set_free(d.set);
		return 0;
	}
	/* The watchdog, for the daemon and for a --once run by a unit with
	 * WatchdogSec= alike. */
	if (sd_watchdog_enabled(0, &d.wd_usec) <= 0)
		d.wd_usec = 0;
	progress_set(progress_hook, &d);
	if ((d.lockfd = cycle_take_lock(d.set->cfg, once, &rc)) < 0) {
		cycle_set_free(d.set);
		return rc;
	}
	if ((rc = store_open(d.set->cfg->database, d.set->cfg->period, &d.st, &err)) != 0 ||
	    (rc = store_check_writable(d.st, &err)) != 0) {
		/* A read-only database would fail every write of every cycle,
		 * and deliver nothing, as long as the daemon runs. */
		log_err("%s", err ? err : "cannot open the database");
		store_close(d.st);
		free(err);
		cycle_set_free(d.set);
		close(d.lockfd);
		/* SPEC 8: --once exits 1 when the cycle could not run. */
		return once ? 1 : rc == STORE_EMISMATCH ? EX_CONFIG : EX_IOERR;
	}
	/* A creation or an upgrade is said once, where the operator looks. */
	if (store_upgraded(d.st, up, sizeof(up)))
		log_info("%s", up);
	if (!once)	/* a start loads the configuration anew */
		reload_record(&d, false);
	/* We hold the lock: no other vigied is sending, and a claim left
	 * behind is from one that died (SIGKILL) before recording. */
	if (store_outbox_release_claims(d.st) != 0)
		log_err("cannot release the claims on notifications: %s",
		    store_errmsg(d.st));
	if (once) {
		struct cycle_report rep;
		char line[768];
		/* Each run from a timer is a start: its warnings are logged as
		 * the daemon's are, where the operator reads them. */
		report_warnings(d.set->cfg, d.set->rs, NULL);
		rc = cycle_run(d.st, d.set, &d.cs, true, time(NULL), progress_hook, &d,
		    &rep);
		if (rc == 0) {
			cycle_status_line(&rep, store_granularity(d.st), line, sizeof(line));
			log_info("%s", line);
		}
		rc = rc == 0 ? 0 : 1;
		if (progress_hook(&d))
			log_info("stopping");
	} else {
		rc = serve(&d);
	}
	/* Whatever a stop cut short is due again for the next run; a claim
	 * still held would only lapse. We hold the lock: every claim is ours.
	 * Not in a database replaced: nothing more is written beside the new
	 * file (database_still_ours). */
	if (d.fatal != EX_IOERR && store_outbox_release_claims(d.st) != 0)
		log_err("cannot release the claims on notifications: %s",
		    store_errmsg(d.st));
	for (int *fd = &d.ep; fd <= &d.rfd; fd++)
		if (*fd >= 0)
			close(*fd);
	inbox_watch_close(&d.iw);
	data_watch_close(&d.dw);
	store_close(d.st);
	close(d.lockfd);	/* after the database is closed */
	cycle_state_forget_renamed(&d.cs);
	cycle_set_free(d.set);
	return rc;
}
