/* vigied: the daemon (SPEC 8). One thread, one epoll loop over file
 * descriptors only: a timerfd for `interval`, a signalfd for SIGHUP,
 * SIGTERM and SIGINT (blocked, so they are read between cycles and a cycle
 * always completes its transaction), an inotify watch on the inbox (a file
 * renamed into it starts a cycle at once) and, under a systemd watchdog, a
 * second timerfd that pings every half period. Between cycles the process
 * sleeps in epoll_wait and uses no CPU. A reload parses the new
 * configuration and rules aside and swaps them only when valid. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sysexits.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>
#include "vigie/cycle.h"
#include "vigie/log.h"
#include "vigie/mail.h"
#include "vigie/report.h"

struct daemon {
	const char *config;	/* the configuration file's path */
	struct cycle_set *set;
	struct store *st;
	struct cycle_state cs;
	int ep, tfd, sfd, ifd, iwd, wfd;
	uint64_t wd_usec;	/* watchdog period, 0 when off */
	uint64_t last_ping;	/* CLOCK_MONOTONIC microseconds */
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
	d->last_ping = now_usec();
}

/* Called while a cycle waits on the network (pull sources, delivery):
 * pings when a quarter of the period has passed, so a slow server does not
 * get us killed while a hung one does (every transfer has a timeout). */
static void network_tick(void *arg)
{
	struct daemon *d = arg;

	if (d->wd_usec && now_usec() - d->last_ping >= d->wd_usec / 4)
		watchdog_ping(d);
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

/* Logs every diagnostic (FILE:LINE:COL: error: ...), one line each. */
static void log_diags(const char *what, const struct diags *dg)
{
	char *text = diags_to_string(dg, 0);

	log_err("%s:\n%s", what, text ? text : "(out of memory)");
	free(text);
}

static void run_cycle(struct daemon *d, bool force)
{
	struct cycle_report rep;
	char line[256];

	watchdog_ping(d);
	if (cycle_run(d->st, d->set, &d->cs, force, time(NULL), network_tick, d,
	    &rep) != 0) {
		sd_notify(0, "STATUS=last cycle failed (database error, see the log)");
		return;
	}
	cycle_status_line(&rep, store_granularity(d->st), line, sizeof(line));
	sd_notifyf(0, "STATUS=%s", line);
	if (rep.imported || rep.rejected || rep.transitions)
		log_info("cycle: %s; %d imported, %d rejected, %d transitions", line,
		    rep.imported, rep.rejected, rep.transitions);
	else
		log_debug("cycle: %s", line);
	watchdog_ping(d);
}

static int arm_interval(struct daemon *d)
{
	long s = d->set->cfg->interval_s > 0 ? d->set->cfg->interval_s : 3600;
	struct itimerspec its = {
		.it_interval = { .tv_sec = s }, .it_value = { .tv_sec = s },
	};

	return timerfd_settime(d->tfd, 0, &its, NULL);
}

/* (Re)places the inotify watch on the configured inbox. */
static void watch_inbox(struct daemon *d)
{
	const char *inbox = d->set->cfg->inbox;

	if (d->iwd >= 0) {
		inotify_rm_watch(d->ifd, d->iwd);
		d->iwd = -1;
	}
	if (!inbox)
		return;
	d->iwd = inotify_add_watch(d->ifd, inbox, IN_MOVED_TO | IN_CLOSE_WRITE |
	    IN_ONLYDIR);
	if (d->iwd < 0)
		log_err("cannot watch the inbox %s: %s; it is read every interval only",
		    inbox, strerror(errno));
}

static void reload(struct daemon *d)
{
	struct diags dg = { 0 };
	struct cycle_set *nset;

	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", (unsigned long long)now_usec());
	nset = cycle_set_load(d->config, &dg);
	if (!nset) {
		log_diags("reload failed; still running with the previous "
		    "configuration and rules", &dg);
	} else if (strcmp(nset->cfg->database, d->set->cfg->database) ||
	    nset->cfg->period != d->set->cfg->period) {
		struct store *nst = NULL;
		char *err = NULL;
		if (store_open(nset->cfg->database, nset->cfg->period, &nst, &err) != 0) {
			log_err("reload failed; still running with the previous "
			    "configuration and rules: %s", err ? err : "cannot open the database");
			free(err);
			cycle_set_free(nset);
		} else {
			store_close(d->st);
			d->st = nst;
			d->cs = (struct cycle_state){ 0 };
			cycle_set_free(d->set);
			d->set = nset;
		}
	} else {
		cycle_set_free(d->set);
		d->set = nset;
	}
	if (nset && d->set == nset) {
		if (arm_interval(d) != 0)
			log_err("cannot arm the interval timer: %s", strerror(errno));
		watch_inbox(d);
		log_info("reloaded %s: %zu rules", d->config, d->set->rs->n);
	}
	diags_free(&dg);
	sd_notify(0, "READY=1");
	run_cycle(d, false);
}

/* Reads the inotify events; true when one names a file the inbox takes. */
static bool inbox_event(struct daemon *d)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool any = false;
	ssize_t n;

	while ((n = read(d->ifd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			size_t len = ev->len ? strlen(ev->name) : 0;
			if (ev->mask & IN_Q_OVERFLOW)
				any = true;
			else if (len >= 5 && ev->name[0] != '.' &&
			    !strcmp(ev->name + len - 4, ".csv"))
				any = true;
			p += sizeof(*ev) + ev->len;
		}
	}
	return any;
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

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0 ||
	    (d->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    (d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) < 0 ||
	    (d->ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0 ||
	    (d->ep = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    arm_interval(d) != 0 ||
	    add_fd(d->ep, d->sfd) != 0 || add_fd(d->ep, d->tfd) != 0 ||
	    add_fd(d->ep, d->ifd) != 0) {
		log_err("cannot set up the event loop: %s", strerror(errno));
		return EX_OSERR;
	}
	if (sd_watchdog_enabled(0, &d->wd_usec) > 0 && d->wd_usec > 0) {
		uint64_t half = d->wd_usec / 2;
		struct itimerspec its = {
			.it_interval = { (time_t)(half / 1000000), (long)(half % 1000000) * 1000 },
			.it_value = { (time_t)(half / 1000000), (long)(half % 1000000) * 1000 },
		};
		if ((d->wfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) < 0 ||
		    timerfd_settime(d->wfd, 0, &its, NULL) != 0 || add_fd(d->ep, d->wfd) != 0) {
			log_err("cannot set up the watchdog timer: %s", strerror(errno));
			return EX_OSERR;
		}
	} else {
		d->wd_usec = 0;
	}
	watch_inbox(d);
	sd_notify(0, "READY=1");
	log_info("started: %s, %zu rules, database %s", d->config, d->set->rs->n,
	    d->set->cfg->database);
	run_cycle(d, false);

	while (running) {
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
					else
						running = false;
				}
			} else if (fd == d->tfd) {
				if (read(d->tfd, &ticks, sizeof(ticks)) > 0)
					cycle = true;
			} else if (fd == d->wfd) {
				if (read(d->wfd, &ticks, sizeof(ticks)) > 0)
					watchdog_ping(d);
			} else if (fd == d->ifd) {
				if (inbox_event(d))
					cycle = true;
			}
		}
		if (!running)
			break;
		if (hup)
			reload(d);	/* runs a cycle */
		else if (cycle)
			run_cycle(d, false);
	}
	sd_notify(0, "STOPPING=1");
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
	struct daemon d = { .ep = -1, .tfd = -1, .sfd = -1, .ifd = -1, .iwd = -1, .wfd = -1 };
	struct diags dg = { 0 };
	const char *arg = NULL;
	bool once = false, check = false;
	char *err = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': arg = optarg; break;
		case 'o': once = true; break;
		case 'k': check = true; break;
		case 'V': printf("vigied %s\n", VIGIE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigied: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return EX_USAGE;
	}
	log_init("vigied", getenv("VIGIE_DEBUG") != NULL);
	signal(SIGPIPE, SIG_IGN);
	/* The scheduled report is rendered by the report room when it is sent. */
	mail_set_report_renderer(report_mail);
	d.config = config_path(arg);

	d.set = cycle_set_load(d.config, &dg);
	if (!d.set) {
		diags_print(&dg, stderr, 0);
		diags_free(&dg);
		return EX_CONFIG;
	}
	diags_free(&dg);
	if (check) {
		printf("%s: configuration and %zu rules are valid\n", d.config, d.set->rs->n);
		cycle_set_free(d.set);
		return 0;
	}
	if ((rc = store_open(d.set->cfg->database, d.set->cfg->period, &d.st, &err)) != 0) {
		log_err("%s", err ? err : "cannot open the database");
		free(err);
		cycle_set_free(d.set);
		/* SPEC 8: --once exits 1 when the cycle could not run. */
		return once ? 1 : rc == STORE_EMISMATCH ? EX_CONFIG : EX_IOERR;
	}
	if (once) {
		struct cycle_report rep;
		char line[256];
		rc = cycle_run(d.st, d.set, &d.cs, true, time(NULL), NULL, NULL, &rep);
		if (rc == 0) {
			cycle_status_line(&rep, store_granularity(d.st), line, sizeof(line));
			log_info("%s", line);
		}
		rc = rc == 0 ? 0 : 1;
	} else {
		rc = serve(&d);
	}
	for (int *fd = &d.ep; fd <= &d.wfd; fd++)
		if (fd != &d.iwd && *fd >= 0)
			close(*fd);
	store_close(d.st);
	cycle_set_free(d.set);
	return rc;
}
