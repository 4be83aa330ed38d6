/* Parts the unit and alert pages share (web_impl.h): a rule's chart with
 * its values as a table (the chart's text alternative), the list of
 * events, and the notes of the user's role with the form to add one (its
 * author corrects or deletes a note on its page, page_note.c). */
#include <math.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/engine.h"
#include "vigie/log.h"
#include "vigie/store_followup.h"
#include "vigie/typo.h"
#include "vigie/web_chart.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

/* What a rule with observed: and expected: saw at the alert's period, from
 * the engine (through the cells, SPEC 3); NAN when it has none or they are
 * hidden or undefined. */
struct engine_point alert_seen(struct req *r, const struct dataset *d,
    const struct console_alert *a, uint32_t ri, struct console_alert *now)
{
	const struct rule *ru = &r->site->rs->rules[ri];
	struct engine_point pt = { NAN, NAN, NAN, false, false };
	int32_t ui;

	*now = *a;
	if (!d || !d->s || a->period < 0 || (ui = series_unit(d->s, a->unit)) < 0)
		return pt;
	/* The value of today's data, not the one the daemon stored at its
	 * last cycle: a correction since may have put the team below the
	 * floor (SPEC 3, 14), or changed the figure. */
	engine_points(r->site->rs, d->s, d->cells, r->site->cfg->min_headcount,
	    ri, (uint32_t)ui, a->period, 1, &pt);
	now->value = pt.value;
	/* as the daemon records it (lifecycle_step): no headcount there is
	 * missing data, not a hidden value */
	now->absent = isnan(pt.value) && (!pt.hidden || pt.nodata);
	if (!(ru->observed && ru->expected))
		pt.observed = pt.expected = NAN;
	return pt;
}

bool alert_held(const struct rule *ru, const struct console_alert *a, double v)
{
	bool crit = a->severity == SEV_CRITICAL;
	double t = crit ? ru->critical : ru->warning;

	return a->active && !isnan(v) && (crit ? ru->has_critical : ru->has_warning) &&
	    !(ru->below ? v < t : v > t);
}

/* The chart, legend and value table of rule ri for unit ui, written to f. */
static void render_chart(struct req *r, const struct dataset *d, FILE *f,
    uint32_t ri, uint32_t ui)
{
	const struct rule *ru = &r->site->rs->rules[ri];
	const struct series *s = d->s;
	struct engine_point pts[WEB_HISTORY];
	double val[WEB_HISTORY], exp[WEB_HISTORY];
	char lb[WEB_HISTORY][TYPO_BUFSZ], iso[PERIOD_BUFSZ], id[16], *title;
	const char *labels[WEB_HISTORY];
	int32_t at = s->p0 + s->np - 1;
	FILE *out = r->out;
	/* A rule that states what it observed and expected is drawn as
	 * that, without its thresholds (they are on its value, SPEC 16). */
	bool obs = ru->observed && ru->expected;

	/* The engine's points: NAN wherever the value is undefined or hidden
	 * (SPEC 3); nothing here reads the series' values itself. */
	engine_points(r->site->rs, s, d->cells, r->site->cfg->min_headcount, ri, ui, at,
	    WEB_HISTORY, pts);
	/* Periods in words on the chart and in its table, as digests write
	 * them (« octobre 2026 »). */
	for (int i = 0; i < WEB_HISTORY; i++) {
		period_format(s->gran, at - WEB_HISTORY + 1 + i, iso);
		typo_period(lb[i], sizeof(lb[i]), iso, false, r->loc);
		labels[i] = lb[i];
		val[i] = obs ? pts[i].observed : pts[i].value;
		exp[i] = pts[i].expected;
	}
	/* One chart per rule on a page: the rule's index names it. */
	snprintf(id, sizeof(id), "c%u", ri);
	title = xasprintf(r->site->cfg->period == GRAN_WEEK ? WORD(r->loc, "%s — %s, %d "
	    "dernières semaines", "%s — %s, last %d weeks") : WORD(r->loc, "%s — %s, %d "
	    "derniers mois", "%s — %s, last %d months"), ru->title, s->units[ui], WEB_HISTORY);
	chart_svg(f, &(struct chart){ .n = WEB_HISTORY, .labels = labels, .value = val,
	    .expected = ru->expected ? exp : NULL, .has_warning = !obs && ru->has_warning,
	    .has_critical = !obs && ru->has_critical, .warning = ru->warning,
	    .critical = ru->critical, .axis_unit = r->site->axis[ri],
	    .decimals = ru->decimals, .loc = r->loc, .title = title, .id = id });
	free(title);
	/* The column says what it holds: the observed count of a rule that
	 * states one, as the legend above it, else the rule's value. */
	const char *col = obs ? WORD(r->loc, "Observé", "Observed") : WORD(r->loc, "Valeur", "Value");

	fprintf(f, "<p class=\"legend\"><span class=\"key-value\">%s</span>%s "
	    "<span class=\"key-gap\">%s</span></p>\n", obs ? WORD(r->loc, "observé",
	    "observed") : WORD(r->loc, "valeur", "value"), ru->expected ? WORD(r->loc, " <span class=\"key-expected\">attendu"
	    "</span>", " <span class=\"key-expected\">expected</span>") : "",
	    WORD(r->loc, "période sans valeur affichable (masquée ou non calculée)",
	    "period without a value that can be shown (hidden or not computed)"));
	/* A unit's page has one of these per rule: the rule's title, for
	 * screen readers only, tells them apart in a list of controls or of
	 * tables (WCAG 2.4.6, 1.3.1). */
	fprintf(f, "<details><summary>%s<span class=\"visually-hidden\"> — ",
	    WORD(r->loc, "Les valeurs du graphique", "The chart's values"));
	html_text(f, ru->title);
	fprintf(f, "</span></summary>\n<table class=\"values\">\n<caption class=\"visually-hidden\">"
	    "%s — ", WORD(r->loc, "Les valeurs du graphique", "The chart's values"));
	html_text(f, ru->title);
	fprintf(f, "</caption>\n"
	    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>%s</tr></thead>\n"
	    "<tbody>\n", WORD(r->loc, "Période", "Period"), col,
	    ru->expected ? WORD(r->loc, "<th scope=\"col\">Attendu</th>",
	    "<th scope=\"col\">Expected</th>") : "");
	/* put_value writes to r->out: point it at the fragment meanwhile. */
	r->out = f;
	/* data-label: the column's name, which a phone's narrow screen
	 * writes before each value (vigie.css). */
	for (int i = WEB_HISTORY - 1; i >= 0; i--) {
		fputs("<tr><th scope=\"row\">", f);
		put_period(r, at - WEB_HISTORY + 1 + i);
		fprintf(f, "</th><td data-label=\"%s\">", col);
		if (isnan(val[i]))
			fputs(wording_gap(pts[i].nodata, pts[i].hidden, obs && !isnan(pts[i].value),
			    r->loc), f);
		else
			put_value(r, val[i], ru->decimals, r->site->axis[ri]);
		fputs("</td>", f);
		if (ru->expected) {
			fprintf(f, "<td data-label=\"%s\">", WORD(r->loc, "Attendu", "Expected"));
			if (isnan(exp[i]) || isnan(val[i]))
				fputs("-", f);
			else
				put_value(r, exp[i], ru->decimals, r->site->axis[ri]);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	r->out = out;
	fputs("</tbody>\n</table>\n</details>\n", f);
}

void put_chart(struct req *r, struct dataset *d, uint32_t ri, uint32_t ui)
{
	char key[64], *buf = NULL, *got;
	size_t len = 0;
	FILE *f;

	/* A chart depends on the data, the rules and the locale only: made
	 * once per snapshot, for every user who looks. */
	snprintf(key, sizeof(key), "%u/%u/%u", r->site->serial, ri, ui);
	if ((got = memo_get(&d->charts, key))) {
		fputs(got, r->out);
		return;
	}
	if (!(f = open_memstream(&buf, &len)))
		xalloc_die();
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	render_chart(r, d, f, ri, ui);
	if (fclose(f) != 0)
		xalloc_die();
	fwrite(buf, 1, len, r->out);
	if (memo_put(&d->charts, key, buf) != buf)
		free(buf);
}

static const char *event_words(const char *kind, enum locale loc)
{
	if (!strcmp(kind, "ack"))
		return WORD(loc, "prise en charge", "acknowledged");
	if (!strcmp(kind, "closed"))
		return WORD(loc, "clôturée", "closed");
	if (!strcmp(kind, "corrected"))
		return WORD(loc, "issue corrigée", "outcome corrected");
	if (!strcmp(kind, "reopened"))	/* closed, then worse */
		return WORD(loc, "rouverte", "reopened");
	return wording_event(kind, loc);
}

/* What happened, as the digest said it (mail.c): a firing of an episode
 * that began before its period is no new alert, and one whose resolution
 * its readers were told is active again. */
static void put_event_words(struct req *r, const struct console_event *e)
{
	bool before = e->since >= 0 && e->since < e->period;

	if (strcmp(e->kind, "firing") || (!before && !e->reopened)) {
		fputs(event_words(e->kind, r->loc), r->out);
		return;
	}
	fputs(e->reopened ? WORD(r->loc, "de nouveau en alerte", "active again") :
	    WORD(r->loc, "en alerte", "active"), r->out);
	if (before) {
		fputs(WORD(r->loc, " depuis ", " since "), r->out);
		put_period(r, e->since);
	}
}

static int event_decimals(struct req *r, const struct console_event *e)
{
	const struct rule *ru = site_rule(r->site, e->rule, NULL);

	return e->decimals >= 0 ? e->decimals : ru ? ru->decimals : 1;
}

enum recorded event_recorded(struct req *r, const struct dataset *d,
    const char *unit, const struct console_event *e, struct engine_point *now)
{
	struct engine_point rec = { e->value, e->observed, e->expected, false, false };

	return engine_recorded(r->site->rs, d ? d->s : NULL, d ? d->cells : NULL,
	    r->site->cfg->min_headcount, e->rule, unit, e->period, &rec,
	    event_decimals(r, e), now);
}

/* A point as messages show it: its observed count against the expected
 * one where the rule has both, else its value (SPEC 16: never an opaque
 * score where a count can be shown). */
static void put_point(struct req *r, double value, double observed,
    double expected, int decimals)
{
	if (!isnan(observed) && !isnan(expected)) {
		put_value(r, observed, figure_decimals(observed, decimals), NULL);
		fputs(WORD(r->loc, " (attendu ", " (expected "), r->out);
		put_value(r, expected, figure_decimals(expected, decimals), NULL);
		fputc(')', r->out);
	} else {
		put_value(r, value, decimals, NULL);
	}
}

/* The events table's figure column: « Observé » for one rule that states
 * observed and expected (an alert's page), « Valeur » for one that does
 * not, « Observé ou valeur » for several rules (a unit's page). */
static const char *events_column(struct req *r, const struct console_event *v,
    size_t n, bool with_rule)
{
	const struct rule *ru = n ? site_rule(r->site, v[0].rule, NULL) : NULL;

	if (with_rule || !ru)
		return WORD(r->loc, "Observé ou valeur", "Observed or value");
	return ru->observed && ru->expected ? WORD(r->loc, "Observé", "Observed") :
	    WORD(r->loc, "Valeur", "Value");
}

void put_events(struct req *r, const struct dataset *d, const char *unit,
    const struct console_event *v, size_t n, bool with_rule)
{
	FILE *f = r->out;
	char tb[64];

	if (n == 0) {
		fprintf(f, "<p>%s</p>\n", WORD(r->loc, "Aucun évènement.", "No event."));
		return;
	}
	fprintf(f, "<table class=\"events\">\n<thead><tr><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th>%s<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    WORD(r->loc, "Date", "Time"), WORD(r->loc, "Évènement", "Event"),
	    with_rule ? WORD(r->loc, "<th scope=\"col\">Signal</th>",
	    "<th scope=\"col\">Signal</th>") : "", WORD(r->loc, "Période", "Period"),
	    WORD(r->loc, "Gravité", "Severity"), events_column(r, v, n, with_rule),
	    WORD(r->loc, "Détail", "Detail"));
	for (size_t i = 0; i < n; i++) {
		const struct console_event *e = &v[i];
		const struct rule *ru = site_rule(r->site, e->rule, NULL);
		int dec = event_decimals(r, e);
		bool follow = !strcmp(e->kind, "ack") || !strcmp(e->kind, "reopened") ||
		    outcome_event(e->kind);
		struct engine_point now = { NAN, NAN, NAN, false, false };
		enum recorded how = follow ? RECORDED_SHOWN :
		    event_recorded(r, d, unit, e, &now);

		if (!ru || !viewer_sees_rule(&r->who, r->site->cfg, ru))
			continue;
		fprintf(f, "<tr><td class=\"nowrap\" data-label=\"%s\">%s</td>"
		    "<td data-label=\"%s\">",
		    WORD(r->loc, "Date", "Time"), fmt_time(tb, sizeof(tb), e->at, r->loc),
		    WORD(r->loc, "Évènement", "Event"));
		put_event_words(r, e);
		fputs("</td>", f);
		if (with_rule) {	/* its alert's page, one tap away */
			fprintf(f, "<td data-label=\"%s\"><a href=\"", WORD(r->loc,
			    "Signal", "Signal"));
			alert_link(f, e->rule, unit);
			fputs("\">", f);
			html_text(f, ru->title);
			fputs("</a></td>", f);
		}
		fprintf(f, "<td class=\"nowrap\" data-label=\"%s\">", WORD(r->loc, "Période",
		    "Period"));
		if (e->period >= 0)
			put_period(r, e->period);
		else
			fputs("-", f);
		fprintf(f, "</td><td data-label=\"%s\">", WORD(r->loc, "Gravité", "Severity"));
		if (!follow && strcmp(e->kind, "resolved"))
			put_severity(r, e->severity);
		else
			fputs("-", f);
		fprintf(f, "</td><td data-label=\"%s\">", ru->observed && ru->expected ?
		    WORD(r->loc, "Observé", "Observed") : WORD(r->loc, "Valeur", "Value"));
		if (follow)
			fputs("-", f);
		else if (how == RECORDED_REVISED) {
			fputs(WORD(r->loc, "révisée", "revised"), f);
			if (!isnan(now.value)) {
				fputs(WORD(r->loc, ", aujourd'hui ", ", now "), f);
				put_point(r, now.value, now.observed, now.expected, dec);
			}
		} else if (how == RECORDED_HIDDEN)
			put_value(r, NAN, dec, NULL);
		else
			put_point(r, e->value, e->observed, e->expected, dec);
		fprintf(f, "</td><td data-label=\"%s\">", WORD(r->loc, "Détail", "Detail"));
		if (follow && e->author) {
			fputs(WORD(r->loc, "par ", "by "), f);
			html_text(f, e->author);
			if (e->outcome != OUTCOME_NONE)
				fprintf(f, WORD(r->loc, TYPO_NNBSP ": %s", ": %s"),
				    wording_outcome(e->outcome, r->loc));
		} else if (how != RECORDED_SHOWN) {
			fputs(WORD(r->loc, "Les données de cette période ont changé depuis" TYPO_NNBSP ": "
			    "la valeur d'alors n'est plus montrée.", "The data of this period "
			    "changed since: the value then is no longer shown."), f);
		} else if (e->summary) {
			put_prose(r, e->summary);
		}
		if (e->silenced && e->inhibited)
			fputs(e->released ? WORD(r->loc, " (couverte par une autre alerte"
			    TYPO_NNBSP ": notifiée à sa fin)", " (covered by another alert: "
			    "notified once it ended)") : WORD(r->loc, " (couverte par une "
			    "autre alerte" TYPO_NNBSP ": non notifiée)", " (covered by another "
			    "alert: not notified)"), f);
		else if (e->silenced && e->released)
			fputs(WORD(r->loc, " (silence" TYPO_NNBSP ": notifié à sa fin)",
			    " (silenced: notified once the silence was over)"), f);
		else if (e->silenced)
			fputs(WORD(r->loc, " (silence" TYPO_NNBSP ": non notifié)", " (silenced: not notified)"), f);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

/* The notes v[0..n) as a list; each of an alert's (a rule set) says which,
 * linked to its page. */
static void put_note_items(struct req *r, const struct note *v, size_t n)
{
	FILE *f = r->out;
	char tb[64];

	fputs("<ol class=\"notes\">\n", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "<li id=\"note-%lld\"><p class=\"meta\"><a href=\"/notes/%lld\">",
		    (long long)v[i].id, (long long)v[i].id);
		fputs(fmt_time(tb, sizeof(tb), v[i].at, r->loc), f);
		fputs("</a> — ", f);
		html_text(f, v[i].author);
		if (v[i].edited)
			fprintf(f, WORD(r->loc, " — modifiée le %s", " — edited on %s"),
			    fmt_time(tb, sizeof(tb), v[i].edited, r->loc));
		if (v[i].rule) {
			const struct rule *ru = site_rule(r->site, v[i].rule, NULL);
			fputs(WORD(r->loc, " — sur l'alerte <a href=\"", " — on the alert <a href=\""), f);
			alert_link(f, v[i].rule, v[i].unit);
			fputs("\">", f);
			html_text(f, ru ? ru->title : v[i].rule);
			fputs("</a>", f);
		}
		fputs("</p>\n<div class=\"note-body\">", f);
		html_text(f, v[i].body);
		fputs("</div>", f);
		/* Its author alone corrects or deletes it, on its page. */
		if (note_mine(r, &v[i]))
			fprintf(f, "\n<p><a href=\"/notes/%lld\">%s</a></p>", (long long)v[i].id,
			    WORD(r->loc, "Corriger ou supprimer cette note",
			    "Correct or delete this note"));
		fputs("</li>\n", f);
	}
	fputs("</ol>\n", f);
}

void put_notes(struct req *r, const struct note *v, size_t n, const struct note *also,
    size_t nalso, const char *kind, const char *target)
{
	FILE *f = r->out;

	fprintf(f, "<section aria-labelledby=\"notes\">\n<h2 id=\"notes\">%s</h2>\n",
	    WORD(r->loc, "Notes", "Notes"));
	put_done(r, r->notes_done);
	fputs("<p class=\"hint\" id=\"notes-hint\">", f);
	fputs(WORD(r->loc, "Visibles seulement des utilisateurs du rôle «\xe2\x80\xaf",
	    "Seen only by users of the role \xe2\x80\x9c"), f);
	html_text(f, wording_role(r->who.role, r->loc));
	fputs(WORD(r->loc, "\xe2\x80\xaf». N'y écrivez ni nom ni information de santé.",
	    "\xe2\x80\x9d. Write no name and no health information in them."), f);
	fputs("</p>\n", f);
	if (n)
		put_note_items(r, v, n);
	else
		fprintf(f, "<p>%s</p>\n", nalso ? WORD(r->loc, "Aucune note sur l'unité "
		    "elle-même.", "No note on the unit itself.") : WORD(r->loc,
		    "Aucune note.", "No note."));
	/* A team's follow-up is on its alerts too: where a colleague covering
	 * a leave looks first, they are here. */
	if (nalso) {
		fprintf(f, "<h3>%s</h3>\n", WORD(r->loc, "Sur ses alertes", "On its alerts"));
		put_note_items(r, also, nalso);
	}
	/* #notes: a form refused and shown again opens at its field. */
	fprintf(f, "<form method=\"post\" action=\"/%s/", kind);
	html_url(f, target, true);
	fputs("#notes\">\n", f);
	csrf_field(r);
	/* Who reads the note and what not to write in it (the hint above):
	 * read with the field, not only by who reads the page in order. */
	fprintf(f, "<input type=\"hidden\" name=\"action\" value=\"note\">\n"
	    "<p><label for=\"body\">%s (%d %s)</label>\n", WORD(r->loc, "Nouvelle note",
	    "New note"), WEB_NOTE_MAX, WORD(r->loc, "caractères au plus", "characters at most"));
	note_field(r, 4, "notes-hint", NULL);
	fprintf(f, "</p>\n<p><button type=\"submit\">%s</button></p>\n</form>\n</section>\n",
	    WORD(r->loc, "Enregistrer la note", "Save the note"));
}

int note_save(struct req *r, int64_t alert, const char *unit, const char *object,
    const char *body)
{
	int64_t id;
	char detail[64];

	if (store_begin(r->st) != 0)
		goto fail;
	if ((id = store_note_add(r->st, r->who.role, r->acct.name, alert, unit, body,
	    (int64_t)time(NULL))) < 0)
		goto fail;
	/* The audit log says that a note was written, not what it says. */
	snprintf(detail, sizeof(detail), "note %lld", (long long)id);
	if (audit(r, "note", object, detail) != 0 || store_commit(r->st) != 0)
		goto fail;
	return 0;
fail:
	log_err("cannot save a note on %s: %s", object, store_errmsg(r->st));
	store_rollback(r->st);
	return -1;
}

size_t form_chars(const char *s, const char *e)
{
	size_t n = 0;

	for (; s < e; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80 && !(*s == '\r' && s[1] == '\n');
	return n;
}

/* The body of a note from the form: trimmed, 1 to WEB_NOTE_MAX characters.
 * A new string, or NULL (note_refused then says why). */
char *field_trimmed(struct req *r, const char *name)
{
	char *b = field(r, name), *s, *e;

	if (!b)
		return NULL;
	for (s = b; *s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'; s++)
		;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r' || e[-1] == '\t'))
		e--;
	*e = '\0';
	memmove(b, s, (size_t)(e - s) + 1);
	return b;
}

char *note_text(struct req *r)
{
	char *b = field_trimmed(r, "body");

	if (b && (!*b || form_chars(b, b + strlen(b)) > WEB_NOTE_MAX)) {
		free(b);
		return NULL;
	}
	return b;
}

char *note_body(struct req *r)
{
	char *b = note_text(r), *anyway = field(r, "anyway");
	bool sure = anyway && !strcmp(anyway, "1");

	free(anyway);
	/* A name or a health word: asked before it is saved (notecheck.c). */
	size_t at, len;
	if (b && !sure && note_sensitive(b, &at, &len)) {
		if (len >= sizeof(r->note_word))
			for (len = sizeof(r->note_word) - 1;
			    len && ((unsigned char)b[at + len] & 0xc0) == 0x80; len--)
				;	/* cut at a character's start */
		snprintf(r->note_word, sizeof(r->note_word), "%.*s", (int)len, b + at);
		free(b);
		return NULL;
	}
	return b;
}

void note_refused(struct req *r)
{
	r->note_refused = true;
	r->status = MHD_HTTP_BAD_REQUEST;
}

void note_unsaved(struct req *r)
{
	r->note_unsaved = true;
	r->status = MHD_HTTP_SERVICE_UNAVAILABLE;
}

void note_field(struct req *r, int rows, const char *hint, const char *text)
{
	FILE *f = r->out;
	char *sent = NULL;

	/* A refused text is shown again, not lost, with why just above it;
	 * the field is marked invalid and described by both (WCAG 3.3.1). So
	 * is a text the store could not take, which is not invalid. */
	if (r->note_refused || r->note_unsaved) {
		char *t = r->note_refused ? field_trimmed(r, "body") : NULL;

		fputs("<span class=\"message error field-error\" id=\"body-error\" "
		    "role=\"alert\">", f);
		if (r->note_refused && *r->note_word) {
			/* The words as the user wrote them, escaped. */
			fputs(WORD(r->loc, "Cette note semble nommer une personne ou parler "
			    "de sa santé («" TYPO_NNBSP, "This note seems to name a person or "
			    "speak of their health (\u201c"), f);
			html_text(f, r->note_word);
			fputs(WORD(r->loc, TYPO_NNBSP "»)" TYPO_NNBSP ": relisez-la. Tous les "
			    "utilisateurs du rôle lisent les notes, qui ne contiennent ni nom ni "
			    "information de santé. Si ces mots y sont employés autrement, cochez "
			    "la case sous la note pour l'enregistrer telle quelle.", "\u201d): "
			    "read it again. Every user of the role reads the notes, which hold "
			    "no name and no health information. If the words mean something "
			    "else here, tick the box under the note to save it as it is."), f);
		} else if (r->note_refused && (!t || !*t))
			fputs(WORD(r->loc, "La note est vide" TYPO_NNBSP ": écrivez-la avant de "
			    "l'enregistrer.", "The note is empty: write it before saving it."), f);
		else if (r->note_unsaved)
			fputs(WORD(r->loc, "La note n'a pas pu être enregistrée (une erreur "
			    "du serveur, consignée dans son journal)" TYPO_NNBSP ": son texte est "
			    "ci-dessous, réessayez plus tard.", "The note could not be saved "
			    "(a server error, recorded in its log): its text is below; try "
			    "again later."), f);
		else
			fprintf(f, WORD(r->loc, "La note est trop longue" TYPO_NNBSP ": %zu "
			    "caractères, pour %d au plus. Raccourcissez-la, ou scindez-la en "
			    "deux notes.", "The note is too long: %zu characters, for %d at "
			    "most. Shorten it, or split it in two notes."),
			    form_chars(t, t + strlen(t)), WEB_NOTE_MAX);
		free(t);
		fputs("</span>\n", f);
		text = sent = field(r, "body");
	}
	/* A text kept from a form whose session ended (route), not saved:
	 * said just above it, and with the field (WCAG 2.2.1). */
	if (r->kept && !r->note_refused && !r->note_unsaved) {
		fprintf(f, "<span class=\"message warn field-error\" id=\"body-kept\" "
		    "role=\"status\">%s</span>\n", text ? WORD(r->loc, "Votre session avait "
		    "expiré" TYPO_NNBSP ": votre correction n'est pas encore enregistrée, relisez-la "
		    "puis enregistrez-la.", "Your session had expired: your correction is not "
		    "saved yet; read it again, then save it.") : WORD(r->loc, "Votre session "
		    "avait expiré" TYPO_NNBSP ": votre note n'est pas encore enregistrée, relisez-la "
		    "puis enregistrez-la.", "Your session had expired: your note is not saved "
		    "yet; read it again, then save it."));
		text = r->kept;
	}
	/* No maxlength: it cuts a longer text without a word (note_body says). */
	fprintf(f, "<textarea id=\"body\" name=\"body\" rows=\"%d\" required "
	    "%saria-describedby=\"%s%s\">", rows, r->note_refused ?
	    "aria-invalid=\"true\" " : "", r->note_refused || r->note_unsaved ?
	    "body-error " : r->kept ? "body-kept " : "", hint);
	html_text(f, text ? text : "");
	fputs("</textarea>", f);
	if (r->note_refused && *r->note_word)
		fprintf(f, "</p>\n<p class=\"check\"><input type=\"checkbox\" id=\"anyway\" "
		    "name=\"anyway\" value=\"1\"> <label for=\"anyway\">%s</label>",
		    WORD(r->loc, "Ces mots n'y nomment personne et ne disent rien de la "
		    "santé de quiconque" TYPO_NNBSP ": enregistrer la note telle quelle",
		    "The words name no one and say nothing of anyone's health: save the "
		    "note as it is"));
	free(sent);
}
