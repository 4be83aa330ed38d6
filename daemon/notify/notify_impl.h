/* Private to daemon/notify/: one transfer (an email to one address or a
 * POST to one webhook) and the secrets its preparation reads, shared by the
 * outbox delivery (deliver.c) and the transfers themselves (send.c). */
#ifndef VIGIE_NOTIFY_IMPL_H
#define VIGIE_NOTIFY_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include "vigie/config.h"
#include "vigie/deliver.h"
#include "vigie/notice.h"
#include "vigie/rules.h"
#include "vigie/transport.h"
#include "vigie/webhook.h"

#define SMTP_REPLY_MAX 320

/* What an SMTP server said, as the transfer goes: the last command sent
 * and the first reply that refused something (4xx or 5xx), kept whole
 * (continuation lines joined) for logs, the database and `vigie history`. */
struct smtp_talk {
	char cmd[12];		/* EHLO, AUTH, MAIL, RCPT, DATA...; "" at the greeting */
	char cur[SMTP_REPLY_MAX];	/* the reply being read */
	size_t cur_len;
	bool open;		/* continuation lines ("250-...") follow */
	int code;		/* of the first refusal; 0: none */
	char reply[SMTP_REPLY_MAX];	/* "554 5.1.1 <x@y>: Recipient ... unavailable" */
	char at[12];		/* the command it answered */
};

struct xfer {
	struct transport t;	/* t.h is NULL when it could not be prepared */
	struct curl_slist *rcpt, *headers;
	char **parts;		/* the bodies: one email, or a webhook message
				   split at its receiver's limit */
	size_t nparts, part;	/* part: the one being sent */
	char *payload;		/* parts[part] */
	FILE *file;		/* or a webhook's one body in a file (webhook_file.c) */
	size_t len, off;
	bool is_mail;
	struct smtp_talk smtp;
	const struct webhook_config *wh;	/* a webhook's */
	const char *secret;	/* its secret (owned by struct secrets), or NULL */
	const char *auth;	/* its Authorization value, "Bearer ..." or
				   "Basic ..." (owned by struct secrets), or NULL */
	char *uid;		/* Message-ID / webhook-id of the first part */
	struct send_result res;
	/* called after each part but the last is delivered (x->part parts) */
	void (*on_part)(struct xfer *, void *);
	void *on_part_arg;
	/* outbox bookkeeping; msg_id 0 for the Alertmanager refresh */
	int64_t msg_id;
	int attempts;
	time_t created_at;
	char *target;
	const char *channel;	/* "email" or "webhook" (static) */
};

/* Secrets, read once per delivery run: an unreadable one is the reason of
 * failure of every message that needs it. */
struct secret_once {
	char *val, *err;
	bool done;
};
struct secrets {
	struct secret_once smtp;
	struct secret_once *wh;		/* per webhook: its signing key */
	struct secret_once *auth;	/* and its Authorization value */
};
void secrets_init(struct secrets *s, const struct config *cfg);
void secrets_free(struct secrets *s, const struct config *cfg);

/* The transfer of notices v[0..n) through channel ("email": target is an
 * address; "webhook": a webhook name), uid the Message-ID / webhook-id,
 * starting at part `skip` (the parts a receiver already has); or, for a
 * webhook, of the one body already rendered in file `body` (NULL: none),
 * which the transfer owns from then on. Never NULL;
 * when it cannot even be prepared, or has nothing left to send, x->t.h is
 * NULL and x->res says why (res.ok when nothing is left). Caller frees with
 * send_free (send_run does it). */
struct xfer *send_prepare(const struct config *cfg, struct secrets *sec,
    const char *channel, const char *target, const char *uid,
    const struct notice *v, size_t n, FILE *body, size_t skip, progress_fn *tick,
    void *tick_arg);
/* The refresh of the Alertmanager webhooks (refresh.c): every active
 * alert, and vigie-stale-data while data is missing, posted again at each
 * run to the Alertmanager webhooks its routing gives it, so that
 * Alertmanager does not forget it; in the POST of the webhook's outbox
 * message when one is due, else alone (refresh_alone). */
struct silence;
struct refresh {
	const struct config *cfg;
	const struct ruleset *rs;	/* NULL routes no rule's alert */
	struct store *st;	/* where an inhibitor's alert is read */
	struct silence *sil;	/* a silenced alert is not refreshed */
	size_t nsil;
	bool *due;		/* per webhook: an Alertmanager one not yet
				   refreshed in this run; NULL: none is */
	size_t next;		/* the next webhook to look at for a lone one */
};
/* Reads the silences and marks every Alertmanager webhook of cfg due; on a
 * store error (logged) none is. Free with refresh_free. */
void refresh_load(struct store *st, const struct config *cfg, const struct ruleset *rs,
    struct refresh *rf);
void refresh_free(struct refresh *rf);
/* The index of webhook `name` when its refresh is still to send, else -1. */
ssize_t refresh_pending(const struct refresh *rf, const char *channel, const char *name);
/* Whether active alert a goes in webhook hook's refresh: not silenced,
 * not covered there by an active alert of its inhibited_by, and the routing of its transitions (route.c) gives it that webhook (for
 * vigie-stale-data, the missing-data role's route covering every unit). */
bool refresh_wants(const struct refresh *rf, size_t hook, const struct notice *a);
/* What a message already says of alerts still on, so that its refresh
 * adds only the others: in one POST Alertmanager keeps the last word on
 * an alert, and the refresh is the current state. said_has(s, a): whether
 * a notice added says active alert a, the same alert at the same severity
 * (or the same system event), a resolution saying nothing. */
struct said {
	char **keys;
	size_t n, cap;
	bool sorted;
};
void said_add(struct said *s, const struct notice *m);
bool said_has(struct said *s, const struct notice *a);
void said_free(struct said *s);
/* The refresh of webhook i alone, in one POST; NULL when nothing active
 * goes to it, or it cannot be prepared (logged). */
struct recheck;
struct xfer *refresh_alone(struct store *st, struct secrets *sec, const struct refresh *rf,
    size_t i, time_t now, struct recheck *rc, progress_fn *tick, void *tick_arg);
/* The body of outbox message msg (0: none) to a webhook of a streamed
 * format (webhook.h: generic, Alertmanager), and when rf is not NULL,
 * after it, the active alerts of webhook hook's refresh that the message
 * does not already say; written alert by alert, read from the store one at
 * a time, to an unnamed file (mode 0600) in the directory of database (its
 * path), rewound: neither the notices nor the body are held in memory
 * (webhook_file.c). With rc, each notice is checked against today's data
 * first (recheck_notice). *count: the notices written. NULL with a one-line
 * reason in err when the store cannot be read or the file written. */
FILE *webhook_file(struct store *st, const char *database, const struct webhook_render *r,
    int64_t msg, const struct refresh *rf, ssize_t hook, struct recheck *rc,
    size_t *count, char *err, size_t errsize);

/* Today's data for the messages an earlier evaluation wrote (recheck.c),
 * read at the first that needs it. */
struct recheck {
	struct store *st;
	const struct config *cfg;
	const struct ruleset *rs;
	struct series *s;
	struct cells *cells;
	bool loaded;
};
void recheck_init(struct recheck *rc, struct store *st, const struct config *cfg,
    const struct ruleset *rs);
void recheck_free(struct recheck *rc);
/* Withholds each figure of notice x that today's data hides (SPEC 3): a
 * point of its history, or when its value is hidden now (or today's data
 * cannot be read), all of them, as a hidden value. True in that last
 * case: then its summary, which quotes them, must not be shown either
 * (the caller owns it). */
bool recheck_notice(struct recheck *rc, struct notice *x);
/* Gives notice x, an alert shown as it stands whose latest event is of an
 * older period (x->restate), the figures of its current period from
 * today's data: observed and expected, the last periods, the terms and
 * the summary, as an event of that period would record them; nothing
 * when today's data does not give the alert's value there (a correction
 * not yet evaluated) or cannot be read. */
void recheck_restate(struct recheck *rc, struct notice *x);

/* The fingerprint (SHA-256 hex) of what the configuration says about a
 * channel target: the smtp section for "email", the webhook's settings for
 * "webhook" (or that it is absent), and the identity of the secret's file
 * (device, inode, size, mode, times; never its content), so that any edit
 * of them, a new secret included, changes it. */
void send_fingerprint(const struct config *cfg, const char *channel,
    const char *target, char out[65]);
void send_free(struct xfer *x);
/* Sets r to a failure with a one-line reason. */
void send_fail(struct send_result *r, bool retryable, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An email of v[0..n) to one address (smtp.c): 0, or -1 with x->res set
 * when it cannot be prepared. */
int smtp_prepare(struct xfer *x, const struct config *cfg, const char *password,
    const char *to, const char *uid, const struct notice *v, size_t n,
    progress_fn *tick, void *tick_arg);
/* Sorts a finished email transfer that ended with rc (smtp.c). */
void smtp_classify(struct xfer *x, CURLcode rc);
/* Sorts a finished HTTP transfer into success, retryable, permanent, or
 * the configuration's fault (send.c). */
void send_classify_http(struct xfer *x, CURLcode rc);
/* After a part of a webhook's message was delivered: puts the next one on
 * the same handle (x->on_part is told). False when there is none, or it
 * cannot be signed (x->res says so). */
bool send_next_part(struct xfer *x);
/* Runs transfers side by side (send_loop.c), at most 32 at once, each on a
 * curl multi handle of its own, so that each one's end is handed to done()
 * as soon as the call that drove it returns: next() gives the next
 * prepared transfer, or NULL when there is none now (it is asked again
 * while transfers run, and the run ends when it answers NULL with none in
 * flight), so that a message is rendered only when it is about to go; done() sees each one finished,
 * with x->res filled, just before it is freed; tick() (may be NULL;
 * progress.h) is called at least every quarter of a second, and once it
 * answers true no transfer starts and those in flight go to done()
 * abandoned (x->res.abandoned). */
void send_run(struct xfer *(*next)(void *), void *next_arg,
    progress_fn *tick, void *tick_arg,
    void (*done)(struct xfer *, void *), void *arg);

/* Appends to the notices v[0..*n) of email message msg to address, after
 * its own, the context notices its digest needs (context.c): for each
 * active alert of the message that no notice of it folds, the deepest
 * active alert of its rule on a descendant that the rule routes to
 * address and no silence holds. rs: the rules (NULL: none is added). The
 * appended notices are v's (the caller frees all *n). 0, or -1 on a
 * database error (what was added so far stays in v). */
int context_add(struct store *st, const struct config *cfg, const struct ruleset *rs,
    int64_t msg, const char *address, struct notice **v, size_t *n);
/* Appends to the notices v[0..*n) of email message msg to address, after
 * its own, for each active alert of the message, the active alerts on its
 * unit of the rules it inhibits (inhibited_by) that their rule routes to
 * address and no silence holds, but those v has, marked covered_by
 * (covered.c). rs NULL: none. The appended notices are v's. 0, or -1 on a
 * database error (what was added so far stays in v). */
int covered_add(struct store *st, const struct config *cfg, const struct ruleset *rs,
    int64_t msg, const char *address, struct notice **v, size_t *n);
/* Whether an active alert of a rule r->inhibited_by names, on unit,
 * reaches (channel, target): r's alert on unit is held there. */
bool covered_for(struct store *st, const struct config *cfg, const struct ruleset *rs,
    const struct rule *r, const char *unit, const char *channel, const char *target);
/* Appends to the notices v[0..*n) of email msg to address, after all the
 * others, once per data period (none when an email delivered before it to
 * address was written for the same latest period: store_unowned_told),
 * the active alerts that no one has taken in charge for more than
 * NOTICE_UNOWNED_PERIODS periods (store_unowned_each), marked unowned,
 * that the routing of their rule sends to address (route.c) and that no
 * silence holds now, but those v already has, the oldest first; read one
 * at a time, only those kept held in memory; none in a scheduled report.
 * rs: the rules (NULL: none is added). The appended notices are v's. 0, or
 * -1 on a database error (what was added so far stays in v). */
int unowned_add(struct store *st, const struct config *cfg, const struct ruleset *rs,
    int64_t msg, const char *address, struct notice **v, size_t *n);

#endif
