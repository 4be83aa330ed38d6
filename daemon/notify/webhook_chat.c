/* Chat receivers (daemon/notify/webhook_impl.h): Slack (`text` plus Block
 * Kit `blocks`), Mattermost (its own incoming-webhook format: `text` plus
 * `attachments` with fallback, color, title and fields; Mattermost does not
 * render Block Kit) and Microsoft Teams (an Adaptive Card 1.4 wrapped in a
 * "message", as Power Automate Workflows webhooks take it). Each renders one
 * complete message for the notices of its part; minimal detail shows what
 * names an alert (title, unit, severity, event, period) and a link to the
 * console, never a figure, a summary or guidance. Text that a receiver
 * would read as markup is escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "webhook_impl.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

/* Longest summary or guidance shown, so that one notice always fits a
 * receiver's message. */
#define TEXT_MAX 1500

static const char *sev_word(const struct notice *x, enum locale loc)
{
	return wording_severity(x->severity, loc);
}

/* "[critique] Title" for an alert that is not over, "Title" otherwise. */
static char *headline(const struct notice *x, enum locale loc)
{
	const char *t = x->title ? x->title : wording_event(x->kind, loc);

	if (x->rule && !wh_resolved(x))
		return xasprintf("[%s] %s", sev_word(x, loc), t);
	return xstrdup(t);
}

static void memstream_close(FILE *f)
{
	if (fclose(f) != 0)
		xalloc_die();
}

/* ---- Slack ----------------------------------------------------------- */

/* Slack's mrkdwn gives &, < and > a meaning: escape them. */
static void mrkdwn(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		default: fputc(*s, f);
		}
	}
}

static char *mrkdwn_dup(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		xalloc_die();
	mrkdwn(f, s);
	memstream_close(f);
	return buf;
}

static char *slack_section(const struct webhook_render *r, const struct notice *x)
{
	enum locale loc = r->loc;
	bool full = r->detail == DETAIL_FULL;
	char *buf = NULL, *h = headline(x, loc), *link = wh_link(r, x), val[160];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		xalloc_die();
	fputs("*", f);
	mrkdwn(f, h);
	fprintf(f, "* — %s", wording_event(x->kind, loc));
	free(h);
	if (x->unit) {
		fprintf(f, "\n%s `", WORD(loc, "Unité :", "Unit:"));
		mrkdwn(f, x->unit);
		fputs("`", f);
	}
	if (x->period)
		fprintf(f, " · %s %s", WORD(loc, "Période :", "Period:"), x->period);
	if (full && x->rule) {
		wh_value_text(val, sizeof(val), x, loc);
		fprintf(f, "\n%s %s", WORD(loc, "Valeur :", "Value:"), val);
	}
	if (full && wording_summary(x)) {
		fputs("\n>", f);
		mrkdwn(f, wording_summary(x));
	}
	if (full && x->guidance) {
		fputs("\n_", f);
		mrkdwn(f, x->guidance);
		fputs("_", f);
	}
	if (full && x->rule && x->unit && !wh_resolved(x)) {
		fprintf(f, "\n%s `vigie ack ", WORD(loc, "Accuser réception :", "Acknowledge:"));
		mrkdwn(f, x->rule);
		fputs("@", f);
		mrkdwn(f, x->unit);
		fprintf(f, " --by %s`", WORD(loc, "NOM", "NAME"));
	}
	if (link) {
		fputs("\n<", f);
		mrkdwn(f, link);
		fprintf(f, "|%s>", WORD(loc, "Ouvrir dans Vigie", "Open in Vigie"));
		free(link);
	}
	memstream_close(f);
	/* Slack caps a section at 3000 characters. */
	if (len > 2900) {
		char *c = wh_clip(buf, 2900);

		free(buf);
		buf = c;
	}
	return buf;
}

char *wh_slack(const struct webhook_render *r, const struct notice *v, size_t n,
    struct wh_part p)
{
	json_t *root = json_object(), *blocks = json_array();
	char *subject = wh_subject(r, v, n, p), *esc = mrkdwn_dup(subject), *hdr;
	size_t shown = n > 49 ? 48 : n;

	/* The top-level text is what notifications show: mrkdwn too. */
	json_object_set_new(root, "text", wh_str(esc));
	free(esc);
	hdr = wh_clip(subject, 150);
	json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:o}}", "type", "header",
	    "text", "type", "plain_text", "text", wh_str(hdr)));
	free(hdr);
	free(subject);
	for (size_t i = 0; i < shown; i++) {
		char *text = slack_section(r, &v[i]);

		json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:o}}", "type", "section",
		    "text", "type", "mrkdwn", "text", wh_str(text)));
		free(text);
	}
	if (shown < n) {
		/* Only when rendered whole: webhook_parts keeps to 49. */
		char more[96];

		snprintf(more, sizeof(more), WORD(r->loc, "… et %zu autres", "… and %zu more"),
		    n - shown);
		json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:s}}", "type", "section",
		    "text", "type", "mrkdwn", "text", more));
	}
	json_object_set_new(root, "blocks", blocks);
	return wh_dump(root);
}

/* ---- Mattermost ------------------------------------------------------ */

/* Mattermost renders Markdown in texts and field values: escape what
 * would format. */
static char *md(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		xalloc_die();
	for (; s && *s; s++) {
		if (strchr("\\`*_[]<>~|#", *s))
			fputc('\\', f);
		fputc(*s, f);
	}
	memstream_close(f);
	return buf;
}

static const char *sev_color(const struct notice *x)
{
	switch (wording_rank(x)) {
	case 2: return "#b3261e";
	case 1: return "#b26a00";
	default: return "#2e7d32";
	}
}

static void mm_field(json_t *fields, const char *title, const char *value)
{
	char *v = md(value);

	json_array_append_new(fields, json_pack("{s:b, s:s, s:o}", "short", 1, "title",
	    title, "value", wh_str(v)));
	free(v);
}

static json_t *mm_attachment(const struct webhook_render *r, const struct notice *x)
{
	enum locale loc = r->loc;
	bool full = r->detail == DETAIL_FULL;
	json_t *a = json_object(), *fields = json_array();
	char *h = headline(x, loc), *link = wh_link(r, x), *fb, val[160];

	fb = xasprintf("%s — %s%s%s%s%s", h, wording_event(x->kind, loc),
	    x->unit ? ", " : "", x->unit ? x->unit : "", x->period ? ", " : "",
	    x->period ? x->period : "");
	json_object_set_new(a, "fallback", wh_str(fb));
	free(fb);
	json_object_set_new(a, "color", json_string(sev_color(x)));
	json_object_set_new(a, "title", wh_str(h));
	free(h);
	if (link) {
		json_object_set_new(a, "title_link", json_string(link));
		free(link);
	}
	if (full) {
		char *buf = NULL, *s;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		const char *sum = wording_summary(x);

		if (!f)
			xalloc_die();
		if (sum) {
			s = md(sum);
			fputs(s, f);
			free(s);
		}
		if (x->guidance) {
			s = md(x->guidance);
			fprintf(f, "%s_%s_", sum ? "\n" : "", s);
			free(s);
		}
		if (x->rule && x->unit && !wh_resolved(x))
			fprintf(f, "%s%s `vigie ack %s@%s --by %s`", sum ||
			    x->guidance ? "\n" : "", WORD(loc, "Accuser réception :",
			    "Acknowledge:"), x->rule, x->unit, WORD(loc, "NOM", "NAME"));
		memstream_close(f);
		if (*buf) {
			s = wh_clip(buf, TEXT_MAX * 2);
			json_object_set_new(a, "text", wh_str(s));
			free(s);
		}
		free(buf);
	}
	mm_field(fields, WORD(loc, "Évènement", "Event"), wording_event(x->kind, loc));
	if (x->unit)
		mm_field(fields, WORD(loc, "Unité", "Unit"), x->unit);
	if (x->period)
		mm_field(fields, WORD(loc, "Période", "Period"), x->period);
	if (x->rule && !wh_resolved(x))
		mm_field(fields, WORD(loc, "Gravité", "Severity"), sev_word(x, loc));
	if (full && x->rule) {
		wh_value_text(val, sizeof(val), x, loc);
		mm_field(fields, WORD(loc, "Valeur", "Value"), val);
	}
	json_object_set_new(a, "fields", fields);
	return a;
}

char *wh_mattermost(const struct webhook_render *r, const struct notice *v, size_t n,
    struct wh_part p)
{
	json_t *root = json_object(), *att = json_array();
	char *subject = wh_subject(r, v, n, p), *s = md(subject);

	json_object_set_new(root, "text", wh_str(s));
	free(s);
	free(subject);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(att, mm_attachment(r, &v[i]));
	json_object_set_new(root, "attachments", att);
	return wh_dump(root);
}

/* ---- Teams ----------------------------------------------------------- */

static json_t *text_block(const char *text, const char *extra_key, const char *extra_val)
{
	json_t *b = json_pack("{s:s, s:o, s:b}", "type", "TextBlock", "text", wh_str(text),
	    "wrap", 1);

	if (extra_key)
		json_object_set_new(b, extra_key, json_string(extra_val));
	return b;
}

static void fact(json_t *facts, const char *title, const char *value)
{
	json_array_append_new(facts, json_pack("{s:s, s:o}", "title", title, "value",
	    wh_str(value)));
}

static json_t *teams_container(const struct webhook_render *r, const struct notice *x)
{
	enum locale loc = r->loc;
	bool full = r->detail == DETAIL_FULL;
	json_t *items = json_array(), *facts = json_array(), *t;
	char *h = headline(x, loc), *title = wh_clip(h, 500), *link = wh_link(r, x), val[160];
	const char *style = wh_resolved(x) ? "good" :
	    x->severity && !strcmp(x->severity, "critical") ? "attention" : "warning";

	free(h);
	t = text_block(title, "weight", "Bolder");
	free(title);
	json_object_set_new(t, "color", json_string(wh_resolved(x) ? "Good" :
	    x->severity && !strcmp(x->severity, "critical") ? "Attention" : "Warning"));
	json_array_append_new(items, t);
	fact(facts, WORD(loc, "Évènement", "Event"), wording_event(x->kind, loc));
	if (x->unit)
		fact(facts, WORD(loc, "Unité", "Unit"), x->unit);
	if (x->period)
		fact(facts, WORD(loc, "Période", "Period"), x->period);
	if (full && x->since)
		fact(facts, WORD(loc, "Depuis", "Since"), x->since);
	if (full && x->rule) {
		wh_value_text(val, sizeof(val), x, loc);
		fact(facts, WORD(loc, "Valeur", "Value"), val);
	}
	json_array_append_new(items, json_pack("{s:s, s:o}", "type", "FactSet", "facts", facts));
	if (full && wording_summary(x)) {
		char *c = wh_clip(wording_summary(x), TEXT_MAX);

		json_array_append_new(items, text_block(c, NULL, NULL));
		free(c);
	}
	if (full && x->guidance) {
		char *c = wh_clip(x->guidance, TEXT_MAX);

		t = text_block(c, NULL, NULL);
		free(c);
		json_object_set_new(t, "isSubtle", json_true());
		json_array_append_new(items, t);
	}
	if (full && x->rule && x->unit && !wh_resolved(x)) {
		char *ack = xasprintf("vigie ack %s@%s --by %s", x->rule, x->unit,
		    WORD(loc, "NOM", "NAME"));
		json_array_append_new(items, text_block(ack, "fontType", "Monospace"));
		free(ack);
	}
	if (link) {
		char *md_link = xasprintf("[%s](%s)", WORD(loc, "Ouvrir dans Vigie",
		    "Open in Vigie"), link);

		json_array_append_new(items, text_block(md_link, NULL, NULL));
		free(md_link);
		free(link);
	}
	return json_pack("{s:s, s:o, s:s, s:b}", "type", "Container", "items", items,
	    "style", style, "separator", 1);
}

char *wh_teams(const struct webhook_render *r, const struct notice *v, size_t n,
    struct wh_part p)
{
	json_t *body = json_array(), *card, *root, *t;
	char *subject = wh_subject(r, v, n, p);

	t = text_block(subject, "size", "Medium");
	json_object_set_new(t, "weight", json_string("Bolder"));
	json_array_append_new(body, t);
	free(subject);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(body, teams_container(r, &v[i]));
	card = json_pack("{s:s, s:s, s:s, s:o}",
	    "$schema", "http://adaptivecards.io/schemas/adaptive-card.json",
	    "type", "AdaptiveCard", "version", "1.4", "body", body);
	root = json_pack("{s:s, s:[{s:s, s:n, s:o}]}", "type", "message", "attachments",
	    "contentType", "application/vnd.microsoft.card.adaptive", "contentUrl",
	    "content", card);
	return wh_dump(root);
}
