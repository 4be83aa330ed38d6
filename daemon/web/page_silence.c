/* Silences from a unit's page (web_impl.h), so that a social worker or HR
 * holds the notifications of a unit during a known situation (an announced
 * reorganisation) without a shell: the same record as `vigie silence`
 * (SPEC 9, 10), made and lifted by the user, in the audit log as the CLI's
 * are. A silence holds the notifications of the alerts it covers, for
 * every role, up to and including the data of its last period; the alerts
 * are still evaluated, recorded and shown. From the console a silence is
 * of one rule the user's role sees on the unit, or of every rule ("*"),
 * on the unit, and with its sub-units if asked (a second silence, whose
 * glob is the unit's path and a "**" segment), for 1 to 12 periods after
 * the latest data. The page lists the
 * silences in force that cover the unit or its sub-units, whoever made
 * them, each with its button to lift it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/lifecycle.h"
#include "vigie/log.h"
#include "vigie/rules.h"
#include "vigie/store_silences.h"
#include "vigie/text.h"
#include "vigie/typo.h"
#include "vigie/unit.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

#define REASON_MAX 500
#define SILENCE_PERIODS 12

/* Whether rule (an id or "*") may be silenced by the user on unit: every
 * rule, or one in force there that the user's role sees. */
static bool rule_ok(struct req *r, const char *rule, const char *unit)
{
	const struct rule *ru;

	if (!strcmp(rule, "*"))
		return true;
	ru = ruleset_find(r->site->rs, rule);
	return ru && ru->enabled && rule_in_scope(ru, unit) &&
	    viewer_sees_rule(&r->who, r->site->cfg, ru);
}

/* Whether glob is the one of unit's sub-units: the unit's path and "**". */
static bool sub_units(const char *glob, const char *unit)
{
	size_t n = strlen(unit);

	return !strncmp(glob, unit, n) && !strcmp(glob + n, "/**");
}

/* Whether glob is one of a sub-unit the user sees, as the console makes
 * them: that unit's path, or it followed by "/" and "**". */
static bool of_sub_unit(struct req *r, const char *glob, const char *unit)
{
	size_t len = strlen(glob);
	char *path;
	bool ok;

	if (len >= 3 && !strcmp(glob + len - 3, "/**"))
		len -= 3;
	path = xstrndup(glob, len);
	ok = strcmp(path, unit) && unit_is_under(path, unit) && !strchr(path, '*') &&
	    viewer_sees_unit(&r->who, path);
	free(path);
	return ok;
}

/* A silence of the unit's page: in force at the latest period, on the unit,
 * on its sub-units or on one of them the user sees, of a rule the user
 * sees or of every one. */
static bool shown(struct req *r, const struct silence_row *s, const char *unit,
    int32_t latest)
{
	const char *g = s->s.unit_glob;

	if (s->removed_at || strcmp(lifecycle_silence_state(&s->s, latest), "active"))
		return false;
	if (!unit_glob_match(g, unit) && !sub_units(g, unit) && !of_sub_unit(r, g, unit))
		return false;
	if (!strcmp(s->s.rule, "*"))
		return true;
	const struct rule *ru = ruleset_find(r->site->rs, s->s.rule);
	return ru && viewer_sees_rule(&r->who, r->site->cfg, ru);
}

/* Whether rule has an active alert on unit (as: by unit, then rule). */
static bool alerting(const struct alertset *as, const char *rule, const char *unit)
{
	for (size_t i = 0; i < as->n; i++)
		if (!strcmp(as->v[i].unit, unit) && !strcmp(as->v[i].rule, rule))
			return true;
	return false;
}

/* Whether the silence of v[0..n) that the user made at `at` from unit's
 * form (and its twin on the sub-units, when asked) holds an active alert. */
static bool holds_any(struct req *r, const struct silence_row *v, size_t n,
    const char *unit, int64_t at, int32_t latest)
{
	struct alertset *as = alerts_ref(r);
	bool yes = false;

	for (size_t i = 0; as && i < n && !yes; i++) {
		const char *g = v[i].s.unit_glob;
		if (v[i].removed_at || v[i].created_at != at || !v[i].author ||
		    strcmp(v[i].author, r->acct.name) || (strcmp(g, unit) &&
		    !sub_units(g, unit)))
			continue;
		for (size_t k = 0; k < as->n && !yes; k++)
			yes = lifecycle_silenced(&v[i].s, 1, as->v[k].rule, as->v[k].unit,
			    latest);
	}
	alerts_unref(r->w, as);
	return yes || !as;	/* unread: nothing said */
}

static void period_words(struct req *r, int32_t p, char *words, size_t size)
{
	char iso[PERIOD_BUFSZ];

	period_format(r->site->cfg->period, p, iso);
	typo_period(words, size, iso, false, r->loc);
}

static void put_rule_name(struct req *r, const char *rule)
{
	const struct rule *ru = strcmp(rule, "*") ? ruleset_find(r->site->rs, rule) : NULL;

	html_text(r->out, ru ? ru->title : WORD(r->loc, "Toutes les règles", "Every rule"));
}

/* The silence made with v[i] by the same form (« Avec ses unités
 * rattachées »: UNIT and its sub-units, one author, reason and time),
 * still in force, or -1: one action made them, one shows and lifts them. */
static long twin_of(const struct silence_row *v, size_t n, size_t i)
{
	for (size_t j = 0; j < n; j++) {
		const struct silence_row *x = &v[i], *y = &v[j];
		bool pair = sub_units(y->s.unit_glob, x->s.unit_glob) ||
		    sub_units(x->s.unit_glob, y->s.unit_glob);
		if (j != i && pair && !y->removed_at && y->created_at == x->created_at &&
		    !strcmp(y->s.rule, x->s.rule) && y->s.until == x->s.until &&
		    !strcmp(y->reason, x->reason) && x->author && y->author &&
		    !strcmp(y->author, x->author))
			return (long)j;
	}
	return -1;
}

/* Where a silence holds: its unit, or its sub-units (a glob ending in
 * slash and two stars), or its glob as written (vigie silence). */
static void put_where(struct req *r, const char *glob, bool with_twin)
{
	size_t len = strlen(glob);

	if (len > 3 && !strcmp(glob + len - 3, "/**") && !memchr(glob, '*', len - 3)) {
		char *unit = xstrndup(glob, len - 3);
		fputs(WORD(r->loc, "les unités rattachées à ", "the sub-units of "), r->out);
		html_text(r->out, unit);
		free(unit);
		return;
	}
	html_text(r->out, glob);
	if (with_twin)
		fputs(WORD(r->loc, " et ses unités rattachées", " and its sub-units"), r->out);
}

static void put_list(struct req *r, const char *unit, int32_t latest)
{
	struct silence_row *v = NULL;
	size_t n = 0, shown_n = 0;
	FILE *f = r->out;
	char when[64];

	if (store_silences_list(r->st, &v, &n) != 0) {
		log_err("cannot read the silences: %s", store_errmsg(r->st));
		fprintf(f, "<p class=\"message error\">%s</p>\n", WORD(r->loc, "Les "
		    "suspensions n'ont pas pu être lues.", "The silences could not be read."));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		long twin;

		if (!shown(r, &v[i], unit, latest))
			continue;
		/* A pair made by one form shows as one, by its unit's. */
		twin = twin_of(v, n, i);
		if (twin >= 0 && strlen(v[twin].s.unit_glob) < strlen(v[i].s.unit_glob) &&
		    shown(r, &v[twin], unit, latest))
			continue;
		if (!shown_n++)
			fputs("<ul class=\"silences\">\n", f);
		/* Each button is described by its silence (WCAG 2.4.6). */
		fprintf(f, "<li><span id=\"silence-%lld\"><strong>", (long long)v[i].s.id);
		put_rule_name(r, v[i].s.rule);
		fprintf(f, "</strong> %s ", WORD(r->loc, "sur", "on"));
		put_where(r, v[i].s.unit_glob, twin >= 0 &&
		    strlen(v[twin].s.unit_glob) > strlen(v[i].s.unit_glob));
		fprintf(f, ", %s", WORD(r->loc, "jusqu'aux données", "up to the data of"));
		put_de_period(r, v[i].s.until);
		fputs(" — ", f);
		html_text(f, v[i].reason);
		fputs(" <span class=\"meta\">(", f);
		html_text(f, v[i].author ? v[i].author : "?");
		fmt_time(when, sizeof(when), v[i].created_at, r->loc);
		fprintf(f, ", %s)</span></span>\n<form method=\"post\" action=\"/units/", when);
		html_url(f, unit, true);
		fputs("#silences\" class=\"inline\">", f);
		csrf_field(r);
		fprintf(f, "<input type=\"hidden\" name=\"action\" value=\"unsilence\">"
		    "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
		    "<button type=\"submit\" aria-describedby=\"silence-%lld\">%s</button>"
		    "</form></li>\n", (long long)v[i].s.id, (long long)v[i].s.id,
		    WORD(r->loc, "Lever", "Lift"));
	}
	if (shown_n)
		fputs("</ul>\n", f);
	else
		fprintf(f, "<p>%s</p>\n", WORD(r->loc, "Aucune notification de cette unité "
		    "n'est suspendue.", "No notification of this unit is held."));
	store_silences_list_free(v, n);
}

void put_silences(struct req *r, const char *unit, int32_t latest, bool children)
{
	const struct ruleset *rs = r->site->rs;
	const char *bad = r->silence_msg ? " aria-invalid=\"true\" aria-describedby="
	    "\"silence-error\"" : "";
	FILE *f = r->out;
	char words[TYPO_BUFSZ], iso[PERIOD_BUFSZ];
	/* A refused form comes back as it was sent: the user corrects the
	 * reason, not the rule and the period again (nor silences every rule
	 * by resending the defaults). */
	struct { char *rule, *until, *sub, *reason; } was = { 0 };
	int32_t chosen = 3;

	if (r->silence_msg) {
		was.rule = field(r, "rule");
		was.until = field(r, "until");
		was.sub = field(r, "sub");
		was.reason = field_trimmed(r, "reason");
	}
	fprintf(f, "<section aria-labelledby=\"silences\">\n<h2 id=\"silences\">%s</h2>\n",
	    WORD(r->loc, "Notifications suspendues", "Held notifications"));
	put_done(r, r->silences_done);
	put_list(r, unit, latest);
	fprintf(f, "<form method=\"post\" action=\"/units/");
	html_url(f, unit, true);
	fputs("#silences\" class=\"silence\">\n", f);
	csrf_field(r);
	fprintf(f, "<input type=\"hidden\" name=\"action\" value=\"silence\">\n"
	    "<fieldset><legend>%s</legend>\n", WORD(r->loc, "Suspendre les "
	    "notifications de cette unité", "Hold the notifications of this unit"));
	if (r->silence_msg) {
		fputs("<p class=\"message error\" id=\"silence-error\" role=\"alert\">", f);
		html_text(f, r->silence_msg);
		fputs("</p>\n", f);
	}
	fprintf(f, "<p class=\"hint\" id=\"silence-hint\">%s</p>\n", WORD(r->loc,
	    "Pendant une situation connue (une réorganisation annoncée)" TYPO_NNBSP ": "
	    "les alertes restent évaluées, enregistrées et visibles ici, mais leurs "
	    "courriels et webhooks sont retenus, pour tous les rôles, jusqu'aux "
	    "données de la période choisie, ceux des nouvelles alertes aussi, même "
	    "critiques.", "During a known situation (an announced reorganisation): "
	    "the alerts are still evaluated, recorded and shown here, but their "
	    "emails and webhooks are held, for every role, up to the data of the "
	    "period chosen, those of new alerts too, critical ones included."));
	/* No rule chosen beforehand: « every rule » would hold a harassment
	 * report that comes in meanwhile, and is said as such. */
	fprintf(f, "<p><label for=\"silence-rule\">%s</label>\n<select id=\"silence-rule\" "
	    "name=\"rule\" required aria-describedby=\"silence-hint\"><option value=\"\">%s"
	    "</option><option value=\"*\"%s>%s</option>", WORD(r->loc, "Règle", "Rule"),
	    WORD(r->loc, "— choisir —", "— choose —"),
	    was.rule && !strcmp(was.rule, "*") ? " selected" : "",
	    WORD(r->loc, "Toutes les règles (les nouvelles alertes aussi)",
	    "Every rule (new alerts too)"));
	/* The rules alerting on the unit first, said so: the one to choose,
	 * most often, among titles alike (two of departures). */
	struct alertset *as = alerts_ref(r);
	for (int first = 1; first >= 0; first--)
		for (size_t i = 0; i < rs->n; i++) {
			bool on = as && alerting(as, rs->rules[i].id, unit);
			if (on != first || !rule_ok(r, rs->rules[i].id, unit))
				continue;
			fputs("<option value=\"", f);
			html_attr(f, rs->rules[i].id);
			fprintf(f, "\"%s>", was.rule && !strcmp(was.rule, rs->rules[i].id) ?
			    " selected" : "");
			html_text(f, rs->rules[i].title);
			fprintf(f, "%s</option>", on ? WORD(r->loc, " (alerte active)",
			    " (active alert)") : "");
		}
	alerts_unref(r->w, as);
	fprintf(f, "</select></p>\n<p><label for=\"silence-until\">%s</label>\n"
	    "<select id=\"silence-until\" name=\"until\">", WORD(r->loc,
	    "Jusqu'aux données de", "Up to the data of"));
	for (int32_t k = 1; k <= SILENCE_PERIODS; k++) {
		period_format(r->site->cfg->period, latest + k, iso);
		if (was.until && !strcmp(was.until, iso))
			chosen = k;
	}
	for (int32_t k = 1; k <= SILENCE_PERIODS; k++) {
		period_format(r->site->cfg->period, latest + k, iso);
		period_words(r, latest + k, words, sizeof(words));
		fprintf(f, "<option value=\"%s\"%s>", iso, k == chosen ? " selected" : "");
		html_text(f, words);
		fputs("</option>", f);
	}
	fputs("</select></p>\n", f);
	if (children)
		fprintf(f, "<p class=\"check\"><input type=\"checkbox\" id=\"silence-sub\" name=\"sub\" "
		    "value=\"1\"%s> <label for=\"silence-sub\">%s</label></p>\n",
		    was.sub && !strcmp(was.sub, "1") ? " checked" : "",
		    WORD(r->loc, "Avec ses unités rattachées", "With its sub-units"));
	fprintf(f, "<p><label for=\"silence-reason\">%s</label>\n<input id=\"silence-reason\" "
	    "name=\"reason\" required maxlength=\"%d\"%s", WORD(r->loc, "Raison", "Reason"),
	    REASON_MAX, bad);
	if (was.reason && *was.reason) {
		for (char *c = was.reason; *c; c++)	/* one line: the form's */
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = ' ';
		fputs(" value=\"", f);
		html_attr(f, was.reason);
		fputs("\"", f);
	}
	fprintf(f, "></p>\n<p><button type=\"submit\">%s</button></p>\n</fieldset>\n"
	    "</form>\n</section>\n", WORD(r->loc, "Suspendre", "Hold"));
	free(was.rule);
	free(was.until);
	free(was.sub);
	free(was.reason);
}

/* The reason typed, trimmed, or NULL after setting r->silence_msg. */
static char *reason_of(struct req *r)
{
	char *t = field_trimmed(r, "reason");
	size_t n = t ? strlen(t) : 0;

	for (size_t i = 0; i < n && !r->silence_msg; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			r->silence_msg = WORD(r->loc, "La raison tient sur une ligne.",
			    "The reason fits on one line.");
	if (!r->silence_msg && n == 0)
		r->silence_msg = WORD(r->loc, "Dites pourquoi les notifications sont "
		    "suspendues" TYPO_NNBSP ": la raison est lue par ceux qui les attendaient.",
		    "Say why the notifications are held: the reason is read by those who "
		    "expected them.");
	else if (!r->silence_msg && (!text_utf8_valid(t, n) || form_chars(t, t + n) >
	    REASON_MAX))
		r->silence_msg = WORD(r->loc, "La raison est trop longue (500 caractères "
		    "au plus).", "The reason is too long (500 characters at most).");
	if (r->silence_msg) {
		free(t);
		return NULL;
	}
	return t;
}

/* Adds the silence of the form: 0 done, 1 refused (r->silence_msg), -1. */
static int add(struct req *r, const char *unit, int32_t latest)
{
	char *rule = field(r, "rule"), *until = field(r, "until"), *sub = field(r, "sub");
	char *reason = NULL, *glob = NULL, *object = NULL, *detail = NULL;
	enum granularity g;
	int32_t p;
	int64_t id, now = time(NULL);
	int rc = 1;

	if (!rule || !rule_ok(r, rule, unit) || !until ||
	    period_parse(until, strlen(until), &g, &p) != 0 ||
	    g != r->site->cfg->period || p <= latest || p > latest + SILENCE_PERIODS) {
		r->silence_msg = WORD(r->loc, "Choisissez une règle et une période de "
		    "la liste.", "Choose a rule and a period of the list.");
		goto out;
	}
	if (!(reason = reason_of(r)))
		goto out;
	rc = -1;
	if (store_begin(r->st) != 0)
		goto out;
	for (int k = 0; k < (sub && !strcmp(sub, "1") ? 2 : 1); k++) {
		free(glob);
		free(object);
		free(detail);
		glob = k ? xasprintf("%s/**", unit) : xstrdup(unit);
		object = detail = NULL;
		if (store_silence_add(r->st, rule, glob, p, reason, r->acct.name, now,
		    &id) != 0) {
			store_rollback(r->st);
			goto out;
		}
		object = xasprintf("silence %lld", (long long)id);
		detail = xasprintf("rule %s, unit %s, until %s", rule, glob, until);
		if (audit(r, "silence", object, detail) != 0) {
			store_rollback(r->st);
			goto out;
		}
	}
	if (store_commit(r->st) != 0) {
		store_rollback(r->st);
		goto out;
	}
	log_info("%s held the notifications of %s on %s up to %s", r->acct.name,
	    strcmp(rule, "*") ? rule : "every rule", glob, until);
	rc = 0;
out:
	if (rc < 0)
		log_err("cannot record a silence: %s", store_errmsg(r->st));
	free(rule);
	free(until);
	free(sub);
	free(reason);
	free(glob);
	free(object);
	free(detail);
	return rc;
}

/* Lifts the silence of the form, one the page shows: 0 done, 1 not one of
 * them (lifted already, or never shown), -1. */
static int lift(struct req *r, const char *unit, int32_t latest)
{
	char *sid = field(r, "id"), *end, object[48];
	long long id = sid ? strtoll(sid, &end, 10) : 0;
	struct silence_row *v = NULL;
	size_t n = 0;
	bool ok = false;
	int rc;

	if (!sid || *end || id <= 0) {
		free(sid);
		return 1;
	}
	free(sid);
	long long twin = 0;

	if (store_silences_list(r->st, &v, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (v[i].s.id == id && shown(r, &v[i], unit, latest)) {
			long t = twin_of(v, n, i);
			ok = true;
			/* Only where the pair shows as one line (the unit's
			 * page): from a sub-unit's, its unit's silence is not
			 * the user's to lift, nor always to see. */
			twin = t >= 0 && shown(r, &v[t], unit, latest) ? v[t].s.id : 0;
		}
	store_silences_list_free(v, n);
	if (!ok)
		return 1;
	if (store_begin(r->st) != 0)
		return -1;
	/* What one form made, one lift takes back: the silence, and the
	 * one made with it for the sub-units (or for their unit). */
	for (int k = 0; k < (twin ? 2 : 1); k++) {
		long long x = k ? twin : id;
		snprintf(object, sizeof(object), "silence %lld", x);
		rc = store_silence_remove(r->st, x, time(NULL));
		if (rc != 1 || audit(r, "unsilence", object, NULL) != 0) {
			store_rollback(r->st);
			return rc == 0 ? 1 : -1;
		}
		log_info("%s lifted silence %lld", r->acct.name, x);
	}
	if (store_commit(r->st) != 0) {
		store_rollback(r->st);
		return -1;
	}
	return 0;
}

int post_silence(struct req *r, const char *unit, int32_t latest, bool remove)
{
	int rc = remove ? lift(r, unit, latest) : add(r, unit, latest);

	if (rc < 0 && remove)
		log_err("cannot lift a silence: %s", store_errmsg(r->st));
	if (rc > 0 && remove)
		r->silence_msg = WORD(r->loc, "Cette suspension est déjà levée.",
		    "This silence is lifted already.");
	if (rc > 0)
		r->status = MHD_HTTP_BAD_REQUEST;
	return rc;
}

void put_alert_silence(struct req *r, const char *rule, const char *unit,
    int32_t latest)
{
	struct silence_row *v = NULL, *last = NULL;
	size_t n = 0;
	FILE *f = r->out;

	if (store_silences_list(r->st, &v, &n) != 0) {
		log_err("cannot read the silences: %s", store_errmsg(r->st));
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (lifecycle_silenced(&v[i].s, 1, rule, unit, latest) &&
		    (!last || v[i].s.until > last->s.until))
			last = &v[i];
	if (last) {
		fprintf(f, "<dt>%s</dt><dd>%s", WORD(r->loc, "Notifications",
		    "Notifications"), WORD(r->loc, "suspendues jusqu'aux données",
		    "held up to the data of"));
		put_de_period(r, last->s.until);
		fputs(" — ", f);
		html_text(f, last->reason);
		fputs(" (<a href=\"/units/", f);
		html_url(f, unit, true);
		fprintf(f, "#silences\">%s</a>)</dd>\n", WORD(r->loc,
		    "les suspensions de l'unité", "the unit's silences"));
	} else {
		/* The form is on the unit's page, far from this one on a
		 * phone: where an alert is decided on, a link to it. */
		fprintf(f, "<dt>%s</dt><dd><a href=\"/units/", WORD(r->loc,
		    "Notifications", "Notifications"));
		html_url(f, unit, true);
		fprintf(f, "#silences\">%s</a></dd>\n", WORD(r->loc, "Les suspendre "
		    "pour cette unité", "Hold them for this unit"));
	}
	store_silences_list_free(v, n);
}

const char *silence_done(struct req *r, const char *unit, int32_t latest, bool lifted)
{
	struct silence_row *v = NULL;
	size_t n = 0;
	int64_t at = -1;	/* when the user last made one from this form */
	bool mine = false;	/* one of the user's in force here */
	const char *said = NULL;

	if (store_silences_list(r->st, &v, &n) != 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *g = v[i].s.unit_glob;
		bool here = !strcmp(g, unit) || sub_units(g, unit) || unit_glob_match(g, unit);
		if (here && lifted && v[i].removed_at)
			said = WORD(r->loc, "Suspension levée.", "Silence lifted.");
		else if (here && !lifted && shown(r, &v[i], unit, latest) && v[i].author &&
		    !strcmp(v[i].author, r->acct.name)) {
			mine = true;
			if ((!strcmp(g, unit) || sub_units(g, unit)) && v[i].created_at > at)
				at = v[i].created_at;
		}
	}
	/* As Alertmanager's form says what a silence affects: one that holds
	 * no alert of today (another rule than the one alerting) says so. */
	if (mine)
		said = at < 0 || holds_any(r, v, n, unit, at, latest) ? WORD(r->loc,
		    "Notifications suspendues.", "Notifications held.") : WORD(r->loc, "Notifications "
		    "suspendues. Cette suspension ne retient aucune alerte active de "
		    "l'unité.", "Notifications held. This silence holds no active alert "
		    "of the unit.");
	store_silences_list_free(v, n);
	return said;
}
