/* Private to daemon/web/ (vigie-web): the server's shared state and one
 * request as the pages see it. The state is three snapshots that requests
 * take a reference on and that are replaced whole, never edited: the
 * configuration and rules (on SIGHUP), the series (when an import changed
 * the data) and the alerts, active and resolved without an outcome (when a
 * cycle or a follow-up changed them). Each worker thread borrows one store
 * connection per request. */
#ifndef VIGIE_WEB_IMPL_H
#define VIGIE_WEB_IMPL_H

#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "vigie/cells.h"
#include "vigie/config.h"
#include "vigie/engine.h"
#include "vigie/rules.h"
#include "vigie/series.h"
#include "vigie/store.h"
#include "vigie/store_accounts.h"
#include "vigie/store_console.h"
#include "vigie/web_scope.h"

#define WEB_THREADS 4			/* worker threads = store connections */
#define WEB_MAX_BODY (64 * 1024)	/* largest POST body */
#define WEB_LOGIN_EXTRA 4096		/* more for a login form, which may
					 * carry a note of a form of WEB_MAX_BODY
					 * (kept) besides its own fields */
#define WEB_IMPORT_MAX (8 * 1024 * 1024)	/* largest file imported
					 * from the console (page_import.c) */
#define WEB_IMPORT_DRAIN (32 * 1024 * 1024)	/* an import body up to this
					 * is read to its end, past WEB_IMPORT_MAX
					 * unkept, for the page to say it is too
					 * large: a browser answered before it
					 * has sent the form shows "connection
					 * reset" */
#define WEB_PER_ADDRESS 32		/* connections of one address, on TLS */
#define WEB_UPLOADS 2			/* imports read at once: their bodies
					 * are read before the form is checked
					 * (a session's only) */
#define WEB_NOTE_MAX 8000		/* characters of a note, said in its label */
#define WEB_UNITS_PER_PAGE 25		/* unit groups on a page of alerts */
#define WEB_ROWS_PER_PAGE 100		/* alerts on a page, about */
#define WEB_HISTORY 24			/* periods in a chart */
#define WEB_EVENTS 50			/* events listed on a page */
#define WEB_LATE_MIN (15 * 60)		/* seconds without a cycle before the
					 * console says the daemon is late, at
					 * least (fresh.c) */
#define WEB_MAIL_GRACE 3600		/* seconds of failing email before
					 * the console says so (fresh.c) */
#define WEB_UNRECORDED_MAX 20000	/* resolved alerts without an outcome
					 * kept in memory, the latest first */

/* A cache of values computed from one snapshot, by string key (memo.c):
 * at most three quarters of cap entries, freed with the snapshot. */
struct memo {
	pthread_mutex_t lock;
	size_t n, cap;
	char **keys;
	void **vals;
	void (*free_val)(void *);
};
void memo_init(struct memo *m, size_t cap, void (*free_val)(void *));
/* The value of key, or NULL. Valid as long as the memo. */
void *memo_get(struct memo *m, const char *key);
/* Stores val under key and returns what the memo holds for key now: val
 * (taken), or the value another request put first (val not taken), or
 * NULL when the memo is full (val not taken). */
void *memo_put(struct memo *m, const char *key, void *val);
void memo_free(struct memo *m);

/* The configuration and rules, with what pages need of each rule. */
struct site {
	unsigned serial;	/* a new one at each load: keys of the memos */
	struct config *cfg;
	struct ruleset *rs;
	char **axis;		/* per rule: its axis unit ("" when none) */
	const char **theme;	/* per rule: its label theme, or NULL */
	const char **themes;	/* the distinct themes, sorted */
	size_t nthemes;
	uint32_t *by_id;	/* rule indices sorted by id */
	char **rules_left;	/* rule files left out at start for their
				 * errors (site_load, lenient) */
	size_t nrules_left;
	int refs;
};
struct dataset {
	struct series *s;	/* NULL when the database holds no value */
	struct cells *cells;	/* of s (SPEC 3), with the floor and dominance
				 * of the configuration when it was loaded */
	int64_t gen;		/* store_data_generation when loaded */
	int floor;		/* the configuration's min_headcount and */
	double dominance;	/* dominance its cells were computed with */
	struct memo charts;	/* "SITE/RULE/UNIT": a chart's HTML */
	struct memo units;	/* "CYCLE": the units of resolved alerts
				 * without a value (page_units.c) */
	struct memo history;	/* "SITE": rule_history_matrix (notyet.c) */
	int refs;
};
/* The resolved alerts whose outcome is still to be recorded (page_alerts.c,
 * « résolues sans issue »): read with a snapshot of alerts, and shared by
 * the next one when only follow-ups of active alerts came between. */
struct unrecorded {
	struct console_alert *v;	/* by unit, latest resolution first */
	size_t n;
	bool more;			/* the store holds more than these */
	int refs;
};
struct alertset {
	struct console_alert *v;	/* active alerts by unit, then rule */
	size_t n;
	struct unrecorded *u;		/* never NULL */
	struct console_generation gen;
	struct memo views;	/* a page of alerts' selection, by user
				 * scopes, role and filters (page_alerts.c) */
	int refs;
};

struct web {
	pthread_mutex_t lock;		/* the snapshots and their counts */
	pthread_mutex_t reload;		/* one reload of data at a time */
	struct site *site;
	struct dataset *data;
	struct alertset *alerts;
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_cond;
	struct store *pool[WEB_THREADS];
	size_t nfree;
	bool tls;		/* the listener speaks TLS itself */
	bool secure;		/* cookies Secure (TLS, a unix socket, or an
				 * https web.url in front of loopback) */
	const char *config_path;
	struct MHD_Daemon *mhd;
	int listen_fd;
	atomic_int uploads;		/* POST /import being read */
	atomic_int fatal;		/* the exit status once the database
					 * was found replaced (74), else 0 */
};

/* One request, from the first byte to the response. */
struct req {
	struct web *w;
	struct MHD_Connection *conn;
	const char *method, *url;
	bool post;
	char *body;			/* a POST body, NUL-terminated */
	size_t len;
	bool too_big;
	bool unreadable;		/* a multipart form libmicrohttpd cannot
					 * read */
	bool upload_slot;		/* counts in w->uploads */
	bool dropped;			/* an import's body without a session:
					 * read and not kept */
	struct upload *uploads;		/* a multipart form's files (import_impl.h) */
	size_t nuploads;
	bool uploads_over;		/* past WEB_IMPORT_FILES, left out */
	struct site *site;
	struct store *st;
	enum locale loc;
	char addr[INET6_ADDRSTRLEN + 16];	/* the client, for the rate limiter */
	bool local;			/* unix socket or loopback peer */
	bool logged;
	bool stale;			/* a session cookie that opens no session */
	bool note_refused;		/* a note's text refused: its form, shown
					 * again, says why (note_refused) */
	char note_word[64];		/* a note refused for these words
					 * (note_sensitive), unless confirmed */
	bool note_unsaved;		/* a note's text the store could not take
					 * (a full disk): its form, shown again,
					 * holds it (note_unsaved) */
	const char *silence_msg;	/* why the silence form was refused:
					 * shown again with it (page_silence.c) */
	const char *notes_done;		/* what a note's form did, said under
					 * the notes' heading, where its redirect
					 * (#notes) lands (put_notes) */
	const char *silences_done;	/* the same for the silences' forms
					 * (#silences, put_silences) */
	const char *done;		/* what an alert's form did (page_alert) */
	char said[128];			/* title_said's */
	char *kept;			/* a note's text kept from a form posted
					 * after its session ended: carried by the
					 * login form, then given back (not saved)
					 * in its field on its page (route) */
	struct account acct;
	struct session sess;
	struct viewer who;
	/* the response */
	unsigned status;
	char *location;
	char *cookies[2];
	int ncookies;
	long retry_after;
	FILE *out;
	char *page;
	size_t pagelen;
	const char *type;
	char *disposition;		/* a download's Content-Disposition */
	FILE *file;			/* a download, answered instead of the
					 * page: an unlinked temporary file,
					 * sent from the disk */
};

/* ---- server.c ---- */
enum MHD_Result web_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **ctx);
void web_completed(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_RequestTerminationCode toe);
/* A string's URL encoding (with path, '/' and '@' kept). Caller frees. */
char *url_encode(const char *s, bool path);
/* This page's path and query (a filtered list stays filtered), URL
 * encoded as a login form's next. Caller frees. */
char *here(struct req *r);
/* To the login page, then back to this one with its query; expired: say
 * that the session has ended (a session cookie that opens none, or a form
 * of a session). post_login takes the page back only if it is a path of
 * this site. */
void to_login(struct req *r, bool expired);

/* ---- upload.c ---- */
/* A multipart/form-data POST: its fields made r->body (urlencoded), its
 * files r->uploads. Any other request is left alone. false when the form
 * cannot be read. */
bool upload_split(struct req *r);
/* The file's name as the import records it: its last path component, at
 * most 100 bytes of UTF-8, controls and marks of direction as '_', or
 * "import.csv"; a new string. */
char *upload_file_name(const char *sent);

/* ---- kept.c ---- */
/* Whether the browser says that the POST comes from a page of this
 * console, or says nothing of it (an older browser): only such a form's
 * note is kept (r->kept), so that no other site, not even a sibling
 * subdomain, puts words in the user's note field. */
bool from_console(struct req *r);
/* A form posted without a session: the login page, keeping its note's
 * text (page_login_kept), or to_login. */
void expired_form(struct req *r);
/* A form refused for its CSRF token: when it holds a note's text, answers
 * with its page, the text in its field (403), or for a login form, with
 * the login form again, and returns true. */
bool stale_form(struct req *r);
/* After a login that carries r->kept: the page of next (a path of this
 * site, as the login form holds it) with the text in its note's field,
 * unsaved; a page that takes no note is only redirected to. */
void page_resume(struct req *r, const char *next);

/* ---- listen.c ---- */
/* The listening socket: systemd's (*activated) or web.listen's. Refuses a
 * plain socket that is neither unix nor loopback unless tls. Returns the
 * descriptor, or -1 and a new message in *err. */
int listen_open(const char *listen_on, bool tls, bool *is_unix, bool *activated,
    char **err);

/* ---- state.c ---- */
/* Loads configuration and rules from path; NULL after printing errors.
 * Lenient (the start, not --check nor a reload): rule files with errors
 * are said and left out, and the others loaded (ruleset_load_valid). */
struct site *site_load(const char *path, bool lenient);
void site_unref(struct web *w, struct site *s);
struct site *site_ref(struct web *w);
/* The rule of that id in the site, or NULL. */
const struct rule *site_rule(const struct site *s, const char *id, uint32_t *idx);
/* The current series / active alerts, reloaded first when the store says
 * they changed. NULL only when the store cannot be read. */
struct dataset *data_ref(struct req *r);
void data_unref(struct web *w, struct dataset *d);
struct alertset *alerts_ref(struct req *r);
void alerts_unref(struct web *w, struct alertset *a);
/* The store connection pool. */
int pool_open(struct web *w, const struct config *cfg, char **err);
void pool_close(struct web *w);
struct store *pool_get(struct web *w);
void pool_put(struct web *w, struct store *st);
/* Whether the database file, its write-ahead log and shared memory are
 * still those the pool opened (store_check_file, a few stat calls): when
 * not, said once in the log, and the console stops with exit 74 as vigied
 * does (w->fatal: once the request's answer is sent, web_completed sends
 * the main thread a SIGTERM), rather than show and take what nobody else
 * will read. */
bool pool_still_ours(struct web *w, struct store *st);
/* qsort's and bsearch's comparison of strings (char *). */
int web_cmp_str(const void *a, const void *b);
/* Drops every snapshot (shutdown). */
void state_free(struct web *w);

/* ---- follow.c ---- */
enum follow { FOLLOW_TAKE, FOLLOW_CLOSE, FOLLOW_CORRECT, FOLLOW_TAKEOVER, FOLLOW_REOPEN };
/* Take in charge, take over, close, correct the outcome of, or reopen a
 * (aid "RULE@UNIT") in one transaction with its audit entry: 0; 1 when
 * nothing was to be written (read again in the transaction: of two clicks
 * at once, the second writes nothing); 2 when another role took it in
 * charge (may_close); 3 when a correction finds it not closed; -1. */
int alert_follow(struct req *r, const struct console_alert *a, const char *aid,
    enum follow how, enum outcome o);
/* Active, closed, then worse: open again, and its role may reopen it. */
bool worse_since_closed(const struct console_alert *a);

/* ---- page_takeover.c ---- */
/* Under the list of alerts: the form that takes over every active alert a
 * colleague of the user's role follows (the takers of as's alerts). */
void put_takeover_form(struct req *r, const struct alertset *as);
/* POST /takeover: those of the field "from", each as on its page; then the
 * list of the user's own. */
void post_takeover(struct req *r);
/* What the list says after it (done=takeover&from=X), when none of X's
 * is left to take over; NULL otherwise. */
const char *takeover_done(struct req *r, const struct alertset *as);

/* ---- alerts_filter.c: the filters of the list of alerts ---- */
enum state_filter { ST_ALL, ST_OPEN, ST_TAKEN, ST_MINE, ST_CLOSED, ST_UNRECORDED };

struct filters {
	enum severity sev;		/* SEV_NONE: all */
	enum state_filter state;
	const char *theme;		/* NULL: all */
	char *site;			/* a unit and its sub-units; NULL: all */
	long page;			/* from 1 */
};
/* Whether alert a is of follow-up state s (me: the user, for ST_MINE). */
bool alerts_state_matches(const struct console_alert *a, enum state_filter s,
    const char *me);
/* The filters of the request's query (f->site a new string or NULL). */
void alerts_read_filters(struct req *r, struct filters *f);
/* The form that sets them, with the sites of as's alerts to choose from. */
void alerts_filter_form(struct req *r, const struct alertset *as,
    const struct filters *fl);
/* The filters on, in words (« gravité critique ; site acme/nancy »). */
void alerts_put_criteria(struct req *r, const struct filters *fl);
/* A link to another page of the list, its filters kept. */
void alerts_page_link(struct req *r, const struct filters *fl, long page,
    const char *label, const char *rel);

/* ---- auth.c ---- */
/* Finds the request's user: a session cookie, or single sign-on by
 * web.trusted_user_header from a local peer. Sets r->logged. */
void auth_request(struct req *r);
/* Whether a request's head names a session that is open (or the single
 * sign-on header), before its body is read: a body that only a session
 * may send is not held for a client without one. */
bool auth_may_have_session(struct web *w, struct MHD_Connection *c);
/* Whether the POST carries the right CSRF token: the session's, or for the
 * login form the one of its pre-session cookie (none needed once logged in:
 * post_login then only redirects). */
bool auth_csrf_ok(struct req *r);
void page_login(struct req *r, const char *message);
/* The answer to a form posted after its session ended whose note's text is
 * kept (r->kept): the login page, the text in a hidden field, next the
 * form's page (encoded, with its query). */
void page_login_kept(struct req *r, const char *next);
void post_login(struct req *r);
void post_logout(struct req *r);
/* The rate limiter of the passwords typed in the console (the login's, and
 * the current one of a password change): counts the failures of user and of
 * the request's address and, unless they call for a wait, records this
 * attempt as a failure before the password is checked. 0 (recorded), the
 * seconds to wait (> 0, r->retry_after set, nothing recorded), or -1. */
long auth_attempt(struct req *r, const char *user, int64_t now);
/* Forgets the attempt auth_attempt recorded at now: the password was right. */
void auth_attempt_forget(struct req *r, const char *user, int64_t now);
/* Tells the browser to forget its session cookie. */
void auth_cookie_clear(struct req *r);
/* "Too many failed login attempts: try again in N seconds." into buf. */
const char *auth_wait_message(struct req *r, char *buf, size_t size);

/* ---- page_silence.c ---- */
/* The unit page's section of silences: those in force on the unit or its
 * sub-units, each with its button to lift it, and the form that holds the
 * unit's notifications (children: the unit has sub-units to offer), the
 * rules alerting on it first. */
void put_silences(struct req *r, const char *unit, int32_t latest, bool children);
/* What the page says after the form, from the record (a silence of the
 * user's in force here, and whether it holds an active alert; or, lifted,
 * one of this unit lifted), or NULL. */
const char *silence_done(struct req *r, const char *unit, int32_t latest, bool lifted);
/* « Aussi couverte par » its inhibitors' active alerts the viewer sees. */
void put_covered_by(struct req *r, const struct rule *ru, const char *unit, bool row);
/* On an active alert's page: that a silence holds its notifications, up
 * to which period and why (the one that lasts longest), or a link to the
 * unit's form that holds them. */
void put_alert_silence(struct req *r, const char *rule, const char *unit,
    int32_t latest);
/* The form's action (remove: lift one): 0 done, 1 refused (r->status 400,
 * r->silence_msg says why: the page is answered again), -1 (logged). */
int post_silence(struct req *r, const char *unit, int32_t latest, bool remove);

/* ---- page_account.c ---- */
/* The account page: who is logged in, and the form that changes one's own
 * password (the current one, then the new one twice). */
void page_account(struct req *r);
void post_account(struct req *r);

/* ---- fresh.c ---- */
/* What every page of a logged-in user says first when its alerts may not
 * be up to date: no cycle of the daemon for twice its interval (or none
 * yet), no data imported for stale_after (the missing-data alert), or
 * email failing for an hour. */
void put_freshness(struct req *r);

/* ---- layout.c ---- */
void page_begin(struct req *r, const char *title);
void page_end(struct req *r);
/* A complete error page with that status (404 for anything out of scope). */
void page_error(struct req *r, unsigned status, const char *message);
void redirect(struct req *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The hidden CSRF field of a form. */
void csrf_field(struct req *r);
/* "01/12/2026 10:32" (fr) or "2026-12-01 10:32" (en), local time. */
char *fmt_time(char *buf, size_t size, int64_t t, enum locale loc);
/* Period p of the configured granularity as people read it (« octobre
 * 2026 », « semaine 7 de 2026 »: typo_period, as digests write it), in a
 * <time> whose datetime keeps the ISO form ("2026-10") for machines. */
void put_period(struct req *r, int32_t p);
/* "Done" messages of a POST's redirect (msg NULL: nothing): a status. */
void put_done(struct req *r, const char *msg);
/* " de " and put_period's, or " d'" before a vowel (« d'octobre 2026 »),
 * in French; " " and put_period's in English, whose words before say "of"
 * or "from" themselves. */
void put_de_period(struct req *r, int32_t p);
/* The last year with data: the 12 periods up to s's latest, or fewer when
 * s holds fewer (the report's default span, the rules page's). */
#define WEB_YEAR 12
void last_year(const struct series *s, int32_t *from, int32_t *to);
/* Text of a rule (a summary, guidance) with the locale's typography, as
 * digests write it (typo_prose: in French U+202F before ; : ! ? %),
 * escaped. */
void put_prose(struct req *r, const char *s);
/* A number with the rule's decimals in the locale, or the words for a
 * hidden value. */
void put_value(struct req *r, double v, int decimals, const char *unit);
/* The value of alert a: put_value, or the words for missing data when it
 * is undefined for want of data rather than hidden. */
void put_alert_value(struct req *r, const struct console_alert *a, int decimals,
    const char *unit);
/* Whether active alert a, whose rule's value is v today, is held by
 * hysteresis: v no longer crosses its severity's threshold (SPEC 5, 16). */
bool alert_held(const struct rule *ru, const struct console_alert *a, double v);
/* What the rule of alert a (index ri) gives at the alert's period on
 * today's data, through the cells: *now is a with that value (hidden or
 * missing when it is NAN), a as it is when there is no data; the point's
 * observed and expected, when the rule states them (else NAN, as when
 * they are hidden or undefined). (parts.c) */
struct engine_point alert_seen(struct req *r, const struct dataset *d,
    const struct console_alert *a, uint32_t ri, struct console_alert *now);
/* A severity badge (text and colour, never colour alone). */
void put_severity(struct req *r, enum severity s);
/* The follow-up of an alert in words. */
void put_followup(struct req *r, const struct console_alert *a);
/* A GET query argument, or NULL. */
const char *query(struct req *r, const char *key);
/* A new copy of a POST field, or NULL. */
char *field(struct req *r, const char *key);
/* Whether the viewer may see alert a (its unit and its rule). */
bool sees_alert(struct req *r, const char *rule, const char *unit);
/* Records an action in the audit log as the console user. 0 or -1. */
int audit(struct req *r, const char *action, const char *object,
    const char *detail);
/* A page title's start, which a screen reader reads first (WCAG 4.1.3):
 * "Erreur : " when its form was refused, "Note non enregistrée : " over a
 * note kept from an ended session, else what the form did (title_said). */
const char *title_prefix(const struct req *r);
/* Puts what a form did (msg, "Note enregistrée.") first in the title. */
void title_said(struct req *r, const char *msg);

/* ---- the pages ---- */
/* Whether the user's role is one of web.import_roles (page_import.c). */
bool may_import(const struct req *r);
void page_import(struct req *r);
void post_import(struct req *r);
/* A file larger than the console reads (WEB_IMPORT_MAX): the page again,
 * 413, saying so. */
void import_too_large(struct req *r);
/* A change to stored data in two steps, counted then confirmed with the
 * count (recount.c). */
struct recount {
	bool confirm;		/* the second step */
	size_t expect;		/* the count it carries */
};
/* Reads the fields confirm and expect: false when confirm comes without a
 * count. */
bool recount_read(struct req *r, struct recount *c);
/* The second form's end: the count n, the confirmation, the button. */
void recount_put_fields(struct req *r, size_t n, const char *button);
/* « Les données ont changé depuis le décompte : rien n'a été retiré. … » */
void recount_put_changed(struct req *r, const char *nothing);
/* The page of a database error (503), logged as "cannot ACTION". */
void recount_db_error(struct req *r, const char *action, const char *nothing);
/* « Retour à l'import » */
void recount_put_back(struct req *r);
/* « Données reçues »: the latest period, the units of the user's scopes
 * without it and the indicators it lacks (coverage.c). */
void put_coverage(struct req *r);
/* The import page's form that removes a period's values, and its two steps
 * (page_delete.c). */
void put_delete_form(struct req *r);
void post_import_delete(struct req *r);
/* Its form that renames a unit, and its two steps (page_rename.c). */
void put_rename_form(struct req *r);
void post_import_rename(struct req *r);
void page_alerts(struct req *r);
/* Frees what page_alerts keeps in an alert snapshot's views. */
void alert_view_free(void *view);
/* The units of the user's scopes, by site, as links; no figure. */
void page_units(struct req *r);
/* The rules of the user's role and what became of their alerts (page_rules.c). */
void page_rules(struct req *r);
/* The words of the console and the emails explained (page_help.c). */
void page_help(struct req *r);
void page_unit(struct req *r, const char *unit);
void post_unit(struct req *r, const char *unit);
void page_alert(struct req *r, const char *id);
void post_alert(struct req *r, const char *id);
/* The path of the page of alert RULE@UNIT, URL-encoded, to f. */
void alert_link(FILE *f, const char *rule, const char *unit);
/* Whether the viewer may close alert a: not when another role took it in
 * charge (the follow-up is theirs). */
bool may_close(const struct req *r, const struct console_alert *a);
/* ---- page_report.c ---- */
/* The works council report's form (SPEC 15), and its download: the
 * report of the company or of a unit the user's scopes cover whole, with
 * its audit entry, as vigie report writes it. */
void page_report(struct req *r);
void post_report(struct req *r);
/* ---- page_note.c ---- */
/* A note's page, for its role only; its author corrects or deletes it
 * there (post_note, each with its audit entry). */
void page_note(struct req *r, const char *id);
void post_note(struct req *r, const char *id);
/* Whether the request's user wrote note n with its account (the author's
 * name, and written since the account was created): then it corrects or
 * deletes it. */
bool note_mine(const struct req *r, const struct note *n);
/* Whether the query's note=ID names a note absent from v[0..n) that the
 * user deleted in this session from the page of alert RULE@UNIT (rule
 * NULL: of unit UNIT), as the audit log records it: what a page says
 * after a deletion, from the record, not from the URL alone. */
bool note_gone(struct req *r, const char *rule, const char *unit,
    const struct note *v, size_t n);
/* ---- parts.c ---- */
/* The chart of rule ri for unit ui, its legend and its values (computed
 * once per snapshot of data and rules). */
void put_chart(struct req *r, struct dataset *d, uint32_t ri, uint32_t ui);
/* How what event e of an alert of unit recorded shows on today's data,
 * with *now today's point (engine_recorded, SPEC 3). */
enum recorded event_recorded(struct req *r, const struct dataset *d,
    const char *unit, const struct console_event *e, struct engine_point *now);
/* Events of unit's alerts, newest first; with_rule adds the rule's title
 * (a unit page). A value the data of its period no longer gives, and the
 * summary that shows it, are withheld (SPEC 3, engine_recorded). */
void put_events(struct req *r, const struct dataset *d, const char *unit,
    const struct console_event *v, size_t n, bool with_rule);
/* The role's notes and the form adding one, posted to /KIND/TARGET; on a
 * unit's page, also[0..nalso) the notes on its alerts (each with its
 * rule), listed after its own. */
void put_notes(struct req *r, const struct note *v, size_t n, const struct note *also,
    size_t nalso, const char *kind, const char *target);
/* Saves a note of the user's role on alert (> 0) or unit, with its audit
 * entry naming object, in one transaction. 0 or -1. */
int note_save(struct req *r, int64_t alert, const char *unit, const char *object,
    const char *body);
/* A field of the POST without the spaces and line breaks around it (a new
 * string, maybe empty), or NULL when there is no such field. */
char *field_trimmed(struct req *r, const char *name);
/* The characters of s to e as a form's maxlength counts them: code
 * points, a line break sent as CRLF counting as one. */
size_t form_chars(const char *s, const char *e);
/* The note of a POST, trimmed; NULL when empty or too long. */
char *note_text(struct req *r);
/* The note of a POST to save: note_text's, NULL too when
 * note_sensitive finds words in it (copied to r->note_word) and the form
 * did not say to save it anyway (its field "anyway"). */
char *note_body(struct req *r);
/* Whether text seems to name a person (a civility or a verb of meeting
 * before a name: « Mme Martin », « avec Julie ») or to speak of one
 * person's health or leave (« en arrêt », « dépression »): then the first
 * such words are text[*at, *at + *len). (notecheck.c) */
bool note_sensitive(const char *text, size_t *at, size_t *len);
/* A note note_body refused: the answer is 400, and the page of its form,
 * which its caller then writes, shows the form again with the text sent,
 * marked invalid and described by why (note_field). */
void note_refused(struct req *r);
/* A note that could not be saved (note_save or a correction failed and
 * logged why): the answer is 503, and the page of its form, which its
 * caller then writes, shows the form again with the text sent, saying it
 * is not saved. */
void note_unsaved(struct req *r);
/* A note's <textarea id="body">: the text, or the refused text sent and
 * the reason before it; hint is the id of the form's hint. */
void note_field(struct req *r, int rows, const char *hint, const char *text);

/* ---- css.c (generated from vigie.css) ---- */
extern const char web_css[];
extern const size_t web_css_len;

#endif
