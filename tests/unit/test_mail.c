/* Digest emails (SPEC 9): RFC 2047 subjects, quoted-printable parts, CRLF,
 * short lines, no header injection, escaped HTML, French and English. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/mail.h"
#include "vigie/mime.h"
#include "vigie/typo.h"
#include "vigie/wording.h"

#define NNBSP "\xe2\x80\xaf"

static struct notice alert(const char *rule, const char *unit, const char *sev)
{
	struct notice x = {
		.kind = (char *)"firing", .rule = (char *)rule, .unit = (char *)unit,
		.period = (char *)"2026-02", .since = (char *)"2026-01", .severity = (char *)sev,
		.has_value = true, .value = 12.583333, .has_threshold = true, .threshold = 9,
		.title = (char *)"Taux d'absentéisme élevé",
		.summary = (char *)"Absentéisme de 12,6 % sur 3 mois",
		.guidance = (char *)"Rencontrer le manager ; proposer une permanence.",
		.decimals = 1,
	};

	for (int i = 0; i < 12; i++) {
		snprintf(x.history[i].period, sizeof(x.history[i].period), "2025-%02d", i % 12 + 1);
		x.history[i].defined = i != 4;
		x.history[i].value = i;
	}
	x.nhistory = 12;
	return x;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static int hexval(char c)
{
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - '0';
}

/* Decodes a folded header of Q encoded-words back to UTF-8, checking the
 * RFC 2047 limits on the way. */
static char *decode_header(const char *h, const char *name)
{
	char *out = calloc(1, strlen(h) + 1), *o = out;
	const char *p = h + strlen(name) + 2;

	cr_assert_eq(strncmp(h, name, strlen(name)), 0);
	while (*p) {
		const char *end;

		if (*p == '\r') {
			cr_assert_eq(p[1], '\n');
			p += 2;
			if (*p == ' ')
				p++;
			continue;
		}
		cr_assert_eq(strncmp(p, "=?UTF-8?Q?", 10), 0, "at %s", p);
		end = strstr(p + 10, "?=");
		cr_assert_not_null(end);
		cr_assert_leq(end + 2 - p, 75, "encoded word too long");
		/* a word decodes to whole UTF-8 characters */
		{
			const char *q = p + 10;
			char *start = o;

			while (q < end) {
				if (*q == '_')
					*o++ = ' ', q++;
				else if (*q == '=')
					*o++ = (char)(hexval(q[1]) * 16 + hexval(q[2])), q += 3;
				else
					*o++ = *q++;
			}
			cr_assert(((unsigned char)*start & 0xc0) != 0x80, "word starts mid-character");
		}
		p = end + 2;
	}
	*o = '\0';
	return out;
}

static void check_lines(const char *s, size_t len)
{
	size_t col = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			cr_assert(i > 0 && s[i - 1] == '\r', "bare LF at byte %zu", i);
			col = 0;
			continue;
		}
		if (s[i] != '\r')
			col++;
		else
			cr_assert(i + 1 < len && s[i + 1] == '\n', "bare CR at byte %zu", i);
		cr_assert_leq(col, 76, "line longer than 76 at byte %zu", i);
	}
}

static char *qp_decode(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '=' && s[i + 1] == '\r' && s[i + 2] == '\n')
			i += 2;
		else if (s[i] == '=')
			*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])), i += 2;
		else if (s[i] == '\r')
			;
		else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* Characters (not bytes) of s[0..n). */
static size_t chars(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

/* The decoded text part of a rendered message (a new string), from its
 * first line to the footer's. */
static char *text_part(const char *plain)
{
	const char *a = strstr(plain, "Content-Type: text/plain"), *b;

	cr_assert_not_null(a);
	a = strstr(a, "\n\n");
	cr_assert_not_null(a);
	/* up to the boundary before the HTML part (qp_decode garbles its "=_") */
	b = strstr(a, "Content-Type: text/html");
	cr_assert_not_null(b);
	while (b > a && strncmp(b, "\n--", 3))
		b--;
	return strndup(a + 2, (size_t)(b - a - 2));
}

/* The text part is wrapped at 72 characters: no line is longer, but one
 * that holds a single word after its indent (a URL, the ack command), or is the
 * author's own (a line of a guidance it indented or quoted: kept, the
 * lines that start with one of keep[0..nkeep), after their indent). */
static void check_wrapped(const char *t, const char *const *keep, size_t nkeep)
{
	for (const char *l = t; *l; ) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l), ind = strspn(l, " ");
		/* the ack command is copied whole: never split */
		bool kept = !strncmp(l + ind, "vigie ack ", 10);

		for (size_t k = 0; k < nkeep; k++)
			kept |= !strncmp(l + ind, keep[k], strlen(keep[k]));
		cr_assert(kept || chars(l, n) <= 72 || strcspn(l + ind, " \n") == n - ind,
		    "line of %zu characters: %.*s", chars(l, n), (int)n, l);
		if (!nl)
			break;
		l = nl + 1;
	}
}

/* t with the wrapped lines joined again: a line break followed by an
 * indent is undone where the next line's first word would not have fitted
 * on the line (a new string). Phrases can then be checked whole. */
static char *unwrap(const char *t)
{
	char *out = malloc(strlen(t) + 1), *o = out;
	size_t cont = SIZE_MAX;	/* the indent of the continuation lines */

	for (const char *l = t; *l; ) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);

		memcpy(o, l, n);
		o += n;
		if (!nl)
			break;
		const char *m = nl + 1, *w = m + strspn(m, " ");
		size_t wn = strcspn(w, " \n");
		/* l..nl is t's line (its indent included when l starts one) */
		const char *ls = l;

		while (ls > t && ls[-1] != '\n')
			ls--;
		size_t ind = strspn(ls, " "), mind = (size_t)(w - m);

		if (wn && (mind == ind + 2 || (cont != SIZE_MAX && mind == cont)) &&
		    chars(ls, (size_t)(nl - ls)) + 1 + chars(w, wn) > 72) {
			*o++ = ' ';
			cont = mind;
			l = w;
		} else {
			*o++ = '\n';
			cont = SIZE_MAX;
			l = m;
		}
	}
	*o = '\0';
	return out;
}

/* mail_text, checked for its wrapping, then unwrapped (a new string). */
static char *flat_text(const struct notice *v, size_t n, enum locale loc)
{
	char *t = mail_text(v, n, loc), *u;

	check_wrapped(t, NULL, 0);
	u = unwrap(t);
	free(t);
	return u;
}

Test(mail, subject_decodes_back_exactly_with_short_words_and_lines)
{
	const char *subj = "[Vigie] 3 notifications : critique — acme/nancy/logistique, "
	    "acme/épinal/entrepôt, acme/metz/accueil, … « très » long sujet àéîõü 日本語";
	char *h = mime_header_encoded("Subject", subj), *back;

	check_lines(h, strlen(h));
	back = decode_header(h, "Subject");
	cr_assert_str_eq(back, subj);
	free(back);
	free(h);
}

Test(mail, no_header_injection_through_titles_or_units)
{
	struct notice x = alert("r", "acme/a", "warning");
	struct mail_envelope env = { .from_name = "Vigie", .from_addr = "vigie@example.org", .to = "a@example.org",
	    .uid = "u1", .date = 0 };
	size_t len;
	char *m;

	x.title = (char *)"Bad\r\nBcc: victim@example.org\x01";
	m = mail_render(&x, 1, LOC_FR, &env, &len);
	cr_assert_null(strstr(m, "\r\nBcc:"));
	cr_assert_null(strstr(m, "\nBcc:"));
	cr_assert_null(strchr(m, '\x01'));
	check_lines(m, len);
	free(m);
}

Test(mail, message_has_headers_and_two_qp_parts_text_first)
{
	struct notice v[2] = { alert("absenteeism-rate", "acme/nancy", "warning"),
	    alert("conflicts", "acme/metz", "critical") };
	struct mail_envelope env = { .from_name = "Vigie", .from_addr = "vigie@example.org",
	    .to = "marie@example.org", .uid = "abc123", .date = 1767225600 };
	size_t len;
	char *m = mail_render(v, 2, LOC_FR, &env, &len), *text, *html, *plain;

	check_lines(m, len);
	cr_assert_eq(strlen(m), len);
	cr_assert_not_null(strstr(m, "From: Vigie <vigie@example.org>\r\n"));
	cr_assert_not_null(strstr(m, "\r\nTo: marie@example.org\r\n"));
	cr_assert_not_null(strstr(m, "\r\nSubject: =?UTF-8?Q?"));
	cr_assert_not_null(strstr(m, "\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\n"));
	cr_assert_not_null(strstr(m, "\r\nMessage-ID: <abc123@example.org>\r\n"));
	cr_assert_not_null(strstr(m, "\r\nMIME-Version: 1.0\r\n"));
	cr_assert_not_null(strstr(m, "\r\nAuto-Submitted: auto-generated\r\n"));
	cr_assert_not_null(strstr(m, "\r\nContent-Language: fr\r\n"));
	cr_assert_not_null(strstr(m, "\r\nContent-Type: multipart/alternative;\r\n boundary=\"=_vigie_"));
	text = strstr(m, "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	html = strstr(m, "Content-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	cr_assert_not_null(text);
	cr_assert_not_null(html);
	cr_assert_lt(text, html, "the text part comes first");
	plain = qp_decode(text, (size_t)(html - text));
	/* most severe unit first */
	cr_assert_lt(strstr(plain, "== acme/metz =="), strstr(plain, "== acme/nancy =="));
	cr_assert_not_null(strstr(plain, "[critique] Taux d'absentéisme élevé"));
	cr_assert_not_null(strstr(plain, "[vigilance] Taux d'absentéisme élevé"));
	cr_assert_not_null(strstr(plain, "Valeur" NNBSP ": 12,6 (seuil critique" NNBSP ": 9)"));
	cr_assert_not_null(strstr(plain, "vigie ack conflicts@acme/metz --by NOM"));
	cr_assert_not_null(strstr(plain, "▁▂▂▃·▄▅▅▆▇▇█"));
	cr_assert_not_null(strstr(plain, "Rencontrer le manager" NNBSP "; proposer une permanence."));
	free(plain);
	free(m);
}

Test(mail, hidden_value_says_so_and_resolved_shows_the_resolving_value)
{
	struct notice v[2] = { alert("a", "acme/x", "critical"), alert("b", "acme/x", "warning") };
	char *t;

	v[0].has_value = false;
	v[1].kind = (char *)"resolved";
	v[1].value = 4.05;
	v[1].decimals = 2;
	t = flat_text(v, 2, LOC_FR);
	cr_assert_not_null(strstr(t, "Valeur" NNBSP ": valeur masquée"), "%s", t);
	cr_assert_not_null(strstr(t, "Valeur" NNBSP ": 4,05 (valeur qui l'a résolue"), "%s", t);
	cr_assert_eq(count(t, "Résumé" NNBSP ": "), 1, "no summary beside a hidden value: %s", t);
	cr_assert_null(strstr(t, "12,6 ("), "%s", t);
	free(t);
	t = flat_text(v, 2, LOC_EN);
	cr_assert_not_null(strstr(t, "Value: hidden value"), "%s", t);
	cr_assert_eq(count(t, "Summary: "), 1, "%s", t);
	cr_assert_not_null(strstr(t, "Value: 4.05 (the value that resolved it"), "%s", t);
	cr_assert_not_null(strstr(t, "To acknowledge: vigie ack a@acme/x --by NAME"), "%s", t);
	free(t);
}

/* A resolution needs no advice meant for a live alert, nor the components
 * that moved (to fire it, or back?); the same alert active shows both. */
Test(mail, a_resolution_carries_no_guidance_nor_what_moved)
{
	struct notice_term c[2] = { { (char *)"absences", true, 1e-6 },
	    { (char *)"démissions", true, 0.5 } };
	struct notice v[2] = { alert("a", "acme/x", "warning"), alert("b", "acme/y", "warning") };
	char *t, *h;

	for (int i = 0; i < 2; i++) {
		v[i].components = c;
		v[i].ncomponents = 2;
	}
	v[1].kind = (char *)"resolved";
	t = flat_text(v, 2, LOC_FR);
	cr_assert_eq(count(t, "Indicateurs qui ont bougé" NNBSP ": absences"), 1, "%s", t);
	cr_assert_eq(count(t, "Rencontrer le manager"), 1, "%s", t);
	cr_assert_not_null(strstr(t, "Résolue en février"), "%s", t);
	h = mail_html(v, 2, LOC_FR);
	cr_assert_eq(count(h, "Rencontrer le manager"), 1, "%s", h);
	cr_assert_eq(count(h, "Indicateurs qui ont bougé"), 1, "%s", h);
	free(h);
	free(t);
}

/* A combined rule fired by another indicator while what it observes (its
 * title's) is not above the expected: what moved comes first, and the
 * figures say they are not what fired it; above the expected, the usual
 * order and nothing more. */
Test(mail, what_moved_comes_first_when_the_observed_is_not_above_expected)
{
	struct notice_term c[2] = { { (char *)"sollicitations", true, 0 },
	    { (char *)"démissions", true, 1 } };
	struct notice v = alert("a", "acme/x", "warning");
	char *t, *h;

	v.components = c;
	v.ncomponents = 2;
	v.has_observed = v.has_expected = true;
	v.observed = 0;
	v.expected = 0.2;
	t = flat_text(&v, 1, LOC_FR);
	cr_assert_not_null(strstr(t, "(dernière période" NNBSP ": février" "\xc2\xa0" "2026)\n"
	    "  Indicateurs qui ont bougé" NNBSP ": démissions\n"
	    "  Observé" NNBSP ": 0, attendu" NNBSP ": 0,2" NNBSP "; pas au-dessus de "
	    "l'attendu" NNBSP ": l'alerte vient des indicateurs qui ont bougé\n"
	    "  Résumé"), "%s", t);
	free(t);
	t = flat_text(&v, 1, LOC_EN);
	cr_assert_not_null(strstr(t, "\n  Indicators that moved: démissions\n"
	    "  Observed: 0, expected: 0.2; not above the expected: the alert comes from "
	    "the indicators that moved\n"), "%s", t);
	free(t);
	h = mail_html(&v, 1, LOC_FR);
	cr_assert_lt(strstr(h, "Indicateurs qui ont bougé"), strstr(h, "Observé"), "%s", h);
	cr_assert_not_null(strstr(h, "0,2" NNBSP "; pas au-dessus de l&#39;attendu"), "%s", h);
	free(h);
	v.observed = 3;
	t = flat_text(&v, 1, LOC_FR);
	cr_assert_not_null(strstr(t, "\n  Observé" NNBSP ": 3, attendu" NNBSP ": 0,2\n"
	    "  Indicateurs qui ont bougé" NNBSP ": démissions\n"), "%s", t);
	free(t);
}

/* A resolution of a rule that weighs observed against expected says why
 * its end when the observed figure is still twice the expected one or more
 * (a rise whose first months entered the unit's reference); under that, or
 * with an observed figure alone, nothing. */
Test(mail, a_resolution_of_observed_against_expected_says_why)
{
	struct notice v = alert("a", "acme/x", "warning");
	char *t;

	v.kind = (char *)"resolved";
	v.has_observed = v.has_expected = true;
	v.observed = 24;
	v.expected = 2.8;
	t = flat_text(&v, 1, LOC_FR);
	cr_assert_not_null(strstr(t, "attendu" NNBSP ": 2,8 (valeurs à la résolution)"
	    NNBSP "; la règle met fin à l'alerte, mais l'observé reste plus de deux "
	    "fois l'attendu" NNBSP ": si la hausse dure, elle reste à suivre"), "%s", t);
	free(t);
	/* Less than twice the expected, nothing needs saying. */
	v.observed = 5.5;
	t = flat_text(&v, 1, LOC_FR);
	cr_assert_not_null(strstr(t, "attendu" NNBSP ": 2,8 (valeurs à la résolution)"), "%s", t);
	cr_assert_null(strstr(t, "à suivre"), "%s", t);
	free(t);
	v.observed = 24;
	v.has_expected = false;
	t = flat_text(&v, 1, LOC_FR);
	cr_assert_not_null(strstr(t, "24 (valeurs à la résolution)"), "%s", t);
	cr_assert_null(strstr(t, "à suivre"), "%s", t);
	free(t);
}

/* A resolution with no value that is not data missing past carry_over:
 * the rule was disabled, its scope moved, or the unit's data deleted.
 * Neither hidden nor "the alert holds". */
Test(mail, a_resolution_without_a_value_says_the_rule_no_longer_applies)
{
	struct notice v = alert("a", "acme/x", "warning");
	char *t;

	v.kind = (char *)"resolved";
	v.has_value = false;
	v.absent = true;
	t = flat_text(&v, 1, LOC_EN);
	cr_assert_not_null(strstr(t, "Value: none (the rule no longer applies to this unit, "
	    "or its data was deleted)"), "%s", t);
	cr_assert_null(strstr(t, "holds"), "%s", t);
	cr_assert_null(strstr(t, "hidden"), "%s", t);
	cr_assert_null(strstr(t, "Summary"), "%s", t);
	free(t);
}

Test(mail, a_system_event_keeps_its_summary)
{
	struct notice v = {
		.kind = (char *)"rejected", .title = (char *)"Fichier rejeté : x.csv",
		.summary = (char *)"Rien n'a été importé : 2 erreurs, la première ligne 3.",
		.decimals = -1,
	};
	char *t = flat_text(&v, 1, LOC_FR);

	cr_assert_not_null(strstr(t, "Rien n'a été importé"), "%s", t);
	free(t);
}

Test(mail, html_escapes_everything)
{
	struct notice x = alert("r", "acme/a", "warning");
	char *h;

	x.title = (char *)"<script>alert(1)</script> & \"q\"";
	x.guidance = (char *)"<img src=x onerror=y>";
	h = mail_html(&x, 1, LOC_EN);
	cr_assert_null(strstr(h, "<script>"));
	cr_assert_null(strstr(h, "<img"));
	cr_assert_not_null(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"));
	free(h);
}

Test(mail, quoted_printable_round_trips_with_short_crlf_lines)
{
	char in[2000];
	size_t n = 0, qlen;
	char *q, *back;

	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "%sé=", i % 37 ? "" : "\n.");
	n += (size_t)snprintf(in + n, sizeof(in) - n, "trailing space \n");
	q = mime_qp(in, n, &qlen);
	check_lines(q, qlen);
	cr_assert_null(strstr(q, "\r\n."), "a line starts with a dot");
	cr_assert_null(strstr(q, " \r\n"), "a line ends with a space");
	back = qp_decode(q, qlen);
	cr_assert_str_eq(back, in);
	free(back);
	free(q);
}

Test(mail, subject_wording_fr_and_en)
{
	struct notice v[2] = { alert("a", "acme/x", "warning"), alert("b", "acme/y", "critical") };
	char *s;

	/* New alerts (since their period). */
	v[0].since = v[1].since = v[0].period;
	s = wording_subject(v, 1, LOC_FR);
	cr_assert_str_eq(s, "[Vigie] vigilance" NNBSP ": Taux d'absentéisme élevé — acme/x");
	free(s);
	s = wording_subject(v, 2, LOC_FR);
	cr_assert_str_eq(s, "[Vigie] 2" "\xc2\xa0" "notifications" NNBSP ": critique — acme/y, acme/x");
	free(s);
	s = wording_subject(v, 2, LOC_EN);
	cr_assert_str_eq(s, "[Vigie] 2 notifications: critical — acme/y, acme/x");
	free(s);
	/* Alerts already active, first sent to this address (the first
	 * digest after a history imported, or a route that newly gives them
	 * to it): not news. */
	v[0].since = v[1].since = (char *)"2026-01";
	s = wording_subject(v, 2, LOC_FR);
	cr_assert_str_eq(s, "[Vigie] 2" "\xc2\xa0" "alertes déjà en cours" NNBSP ": critique — "
	    "acme/y, acme/x", "%s", s);
	free(s);
	s = wording_subject(v, 2, LOC_EN);
	cr_assert_str_eq(s, "[Vigie] 2 existing alerts: critical — acme/y, acme/x", "%s", s);
	free(s);
	/* Resolutions only: good news, said as that. */
	v[0].kind = v[1].kind = (char *)"resolved";
	s = wording_subject(v, 2, LOC_FR);
	cr_assert_str_eq(s, "[Vigie] 2" "\xc2\xa0" "alertes résolues — acme/x, acme/y", "%s", s);
	free(s);
	/* A lone escalation: worse, said as that, with its severity;
	 * « critique » alone reads as a new alert. */
	v[1].kind = (char *)"escalated";
	v[1].prev_severity = (char *)"warning";
	s = wording_subject(&v[1], 1, LOC_FR);
	cr_assert_str_eq(s, "[Vigie] aggravation (critique)" NNBSP ": Taux d'absentéisme "
	    "élevé — acme/y", "%s", s);
	free(s);
	s = wording_subject(&v[1], 1, LOC_EN);
	cr_assert_str_eq(s, "[Vigie] escalated (critical): Taux d'absentéisme élevé — acme/y",
	    "%s", s);
	free(s);
	v[1].kind = (char *)"firing";
	v[0].kind = (char *)"test";
	v[0].title = (char *)"Message de test";
	s = wording_subject(v, 1, LOC_FR);
	cr_assert_str_eq(s, "[Vigie] TEST — Message de test");
	free(s);
}

static char *from_line(const char *name, const char *addr)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	mime_put_from(f, name, addr);
	fclose(f);
	return buf;
}

/* The From header: atoms as they are, a quoted string when the name has
 * specials, RFC 2047 when it is not ASCII; the address after it, on a
 * folded line when the name is long. */
Test(mail, from_display_names_are_atoms_quoted_or_encoded)
{
	struct { const char *name, *want; } c[] = {
		{ NULL, "From: vigie@example.org\r\n" },
		{ "Vigie RPS", "From: Vigie RPS <vigie@example.org>\r\n" },
		{ "Vigie, RPS", "From: \"Vigie, RPS\" <vigie@example.org>\r\n" },
		{ "Vigie \"RPS\" \\ 2", "From: \"Vigie \\\"RPS\\\" \\\\ 2\" <vigie@example.org>\r\n" },
		{ "Vigie Santé", "From: =?UTF-8?Q?Vigie_Sant=C3=A9?= <vigie@example.org>\r\n" },
		{ "Bad\r\nBcc: x@y.org", "From: \"Bad  Bcc: x@y.org\" <vigie@example.org>\r\n" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *got = from_line(c[i].name, "vigie@example.org");

		cr_assert_str_eq(got, c[i].want);
		free(got);
	}
	char *got = from_line("Service de santé au travail et de prévention des risques "
	    "psychosociaux", "alertes-rps@entreprise.example.org");
	check_lines(got, strlen(got));
	cr_assert_not_null(strstr(got, "?= <alertes-rps@entreprise.example.org>\r\n"), "%s", got);
	free(got);
	/* an address that no longer fits goes on a line of its own */
	got = from_line("Service de santé au travail et de prévention des risques "
	    "psychosociaux", "alertes-rps-et-qualite-de-vie@entreprise.example.org");
	check_lines(got, strlen(got));
	cr_assert_not_null(strstr(got, "?=\r\n <alertes-rps-et-qualite-de-vie@entreprise.example.org>\r\n"),
	    "%s", got);
	free(got);
}

/* ---- Digests a reader reads to the end (SPEC 16) ---------------------- */

/* The site's alert goes inside the block of the first team on which the
 * same rule fires, counted apart from the team's own; one block per
 * unit; every alert, the folded one too, shows its rule's guidance and how
 * to acknowledge it (SPEC 9), in the text and the HTML part. */
Test(digest, one_block_per_unit_parent_folded_guidance_on_each)
{
	struct notice v[4] = { alert("conflicts", "acme/site", "critical"),
	    alert("conflicts", "acme/site/b", "warning"),
	    alert("conflicts", "acme/site/a", "warning"),
	    alert("overtime", "acme/site/b", "warning") };
	struct digest d;
	char *t;

	v[3].guidance = (char *)"Autre conseil.";
	digest_build(&d, v, 4);
	cr_assert_eq(d.nblocks, 2);
	cr_assert_str_eq(d.blocks[0].unit, "acme/site/a");
	cr_assert_eq(d.blocks[0].rank, 1, "the team's own severity");
	cr_assert_eq(d.blocks[0].changes[DG_SINCE], 1);
	cr_assert_eq(d.blocks[0].nhosted, 1);
	cr_assert_str_eq(d.blocks[0].hosted[0].unit, "acme/site");
	cr_assert_eq(d.blocks[0].hosted[0].rank, 2);
	cr_assert_eq(d.blocks[0].hosted[0].changes[DG_SINCE], 1);
	cr_assert_eq(d.blocks[0].items[0].nparents, 1);
	cr_assert_eq(d.blocks[0].items[0].parents[0], &v[0]);
	cr_assert_str_eq(d.blocks[1].unit, "acme/site/b");
	cr_assert_eq(d.blocks[1].nitems, 2);
	cr_assert_eq(d.blocks[1].changes[DG_SINCE], 2);
	digest_free(&d);
	t = flat_text(v, 4, LOC_FR);
	cr_assert_null(strstr(t, "== acme/site =="), "%s", t);
	cr_assert_not_null(strstr(t, "Aussi en alerte au niveau supérieur" NNBSP ": acme/site "
	    "[critique]"), "%s", t);
	/* The folded parent's guidance is the team's, printed just below. */
	cr_assert_eq(count(t, "Conseil" NNBSP ": Rencontrer le manager"), 2, "%s", t);
	cr_assert_eq(count(t, "Conseil" NNBSP ": le même que ci-dessous\n"), 1, "%s", t);
	cr_assert_eq(count(t, "Autre conseil."), 1, "%s", t);
	cr_assert_eq(count(t, "vigie ack "), 4, "%s", t);
	cr_assert_eq(count(t, "vigie ack conflicts@acme/site --by NOM\n"), 1, "%s", t);
	cr_assert_lt(strstr(t, "== acme/site/a =="), strstr(t, "== acme/site/b =="));
	cr_assert_not_null(strstr(t, "Depuis le dernier envoi" NNBSP ":\n"
	    "  - acme/site/a [vigilance]" NNBSP ": 1" "\xc2\xa0" "alerte déjà en cours, "
	    "signalée pour la première fois\n"
	    "  - acme/site [critique]" NNBSP ": 1" "\xc2\xa0" "alerte déjà en cours, signalée "
	    "pour la première fois (dans le bloc de acme/site/a)\n"
	    "  - acme/site/b [vigilance]" NNBSP ": 2" "\xc2\xa0" "alertes déjà en cours, signalées pour la "
	    "première fois\n"), "%s", t);
	free(t);
	t = mail_html(v, 4, LOC_FR);
	cr_assert_eq(count(t, "Rencontrer le manager"), 2, "%s", t);
	cr_assert_eq(count(t, "<br>Conseil" NNBSP ": le même que ci-dessous<br>"), 1, "%s", t);
	cr_assert_eq(count(t, "Autre conseil."), 1, "%s", t);
	cr_assert_eq(count(t, "<code>vigie ack "), 4, "%s", t);
	cr_assert_eq(count(t, "<code>vigie ack conflicts@acme/site --by NOM</code>"), 1, "%s", t);
	free(t);
}

/* Observed against expected; "active since" for an alert older than the
 * digest, "new" for one born at its period; hysteresis with its clear
 * level; the roles that also got it, said of that alert only: the other
 * may go to this role alone (professional secrecy). */
Test(digest, observed_expected_since_hysteresis_and_roles)
{
	struct notice v[2] = { alert("conflicts", "acme/a", "warning"),
	    alert("absences", "acme/b", "warning") };
	char *t;

	v[0].has_observed = v[0].has_expected = true;
	v[0].observed = 7;
	v[0].expected = 0.94;
	v[0].also = (char *)"hr,direction";
	v[1].since = v[1].period;
	v[1].held = v[1].has_clear = true;
	v[1].value = 8.5;
	v[1].clear = 6;
	t = flat_text(v, 2, LOC_FR);
	cr_assert_not_null(strstr(t, "Observé" NNBSP ": 7, attendu" NNBSP ": 0,9\n"), "%s", t);
	cr_assert_not_null(strstr(t, "En alerte depuis janvier" "\xc2\xa0" "2026, signalée pour "
	    "la première fois"), "%s", t);
	cr_assert_not_null(strstr(t, "Nouvelle alerte en février" "\xc2\xa0" "2026"), "%s", t);
	cr_assert_not_null(strstr(t, "Alerte maintenue" NNBSP ": la valeur de la règle "
	    "(8,5) n'atteint plus le seuil de vigilance (9)" NNBSP "; l'alerte prend fin quand "
	    "elle redescend à 6 ou moins"), "%s", t);
	cr_assert_not_null(strstr(t, "\n  Aussi envoyée à" NNBSP ": RH, direction\n"), "%s", t);
	cr_assert_eq(count(t, "Aussi envoyée"), 1, "%s", t);
	cr_assert_lt(strstr(t, "Aussi envoyée"), strstr(t, "== acme/b =="), "%s", t);
	cr_assert_null(strstr(t, "Ces alertes"), "%s", t);
	cr_assert_not_null(strstr(t, "Absentéisme de 12,6" NNBSP "% sur 3" "\xc2\xa0" "mois"),
	    "%s", t);
	free(t);
	t = flat_text(v, 2, LOC_EN);
	cr_assert_not_null(strstr(t, "Observed: 7, expected: 0.9\n"), "%s", t);
	cr_assert_not_null(strstr(t, "\n  Also sent to: HR, direction\n"), "%s", t);
	cr_assert_not_null(strstr(t, "Active since January" "\xc2\xa0" "2026, sent for the first "
	    "time"), "%s", t);
	cr_assert_not_null(strstr(t, "New alert in February" "\xc2\xa0" "2026"), "%s", t);
	cr_assert_not_null(strstr(t, "Still active: the rule's value (8.5) no longer "
	    "reaches the warning threshold (9); the alert ends when it falls to 6 or less"),
	    "%s", t);
	free(t);
}

/* The chart: negative values left of a drawn zero line, the threshold
 * drawn, the axis with its ends, hidden and missing periods told apart. */
Test(digest, html_chart_is_signed_with_zero_threshold_and_axis)
{
	struct notice x = alert("drift", "acme/a", "warning");
	char *h;

	x.history[0].value = -4;
	x.history[1].defined = false;
	x.history[1].hidden = true;
	x.has_points = false;
	h = mail_html(&x, 1, LOC_FR);
	cr_assert_not_null(strstr(h, "class=\"chart\""), "%s", h);
	cr_assert_not_null(strstr(h, "background:#6a8caf"), "no negative bar");
	cr_assert_not_null(strstr(h, "background:#222"), "no zero line");
	cr_assert_not_null(strstr(h, "background:#d32f2f"), "no threshold line");
	cr_assert_not_null(strstr(h, "<td style=\"text-align:left\">" "\xe2\x88\x92" "4</td>"
	    "<td style=\"text-align:right\">11</td>"), "axis: %s", h);
	cr_assert_not_null(strstr(h, "seuil de vigilance" NNBSP ": 9"), "%s", h);
	cr_assert_eq(count(h, ">non calculée</td>"), 1, "%s", h);
	free(h);
	x.history[1].hidden = true;
	x.has_points = true;
	for (int i = 0; i < 12; i++) {
		x.history[i].has_observed = x.history[i].defined;
		x.history[i].observed = x.history[i].value;
		x.history[i].has_expected = true;
		x.history[i].expected = 2;
	}
	x.has_observed = x.has_expected = true;
	h = mail_html(&x, 1, LOC_FR);
	cr_assert_eq(count(h, ">masquée</td>"), 1, "%s", h);
	cr_assert_null(strstr(h, "background:#d32f2f"), "a threshold on another scale");
	cr_assert_not_null(strstr(h, "background:#1565c0"), "no expected mark");
	free(h);
	/* no headcount: no data, hidden as it is; an observed measure
	 * undefined beside a defined value may have read a hidden cell */
	x.history[3].defined = x.history[3].has_observed = false;
	x.history[3].hidden = x.history[3].nodata = true;
	x.history[6].has_observed = false;
	h = mail_html(&x, 1, LOC_FR);
	cr_expect_eq(count(h, ">masquée</td>"), 1, "%s", h);
	cr_expect_eq(count(h, ">pas de données</td>"), 1, "%s", h);
	cr_expect_eq(count(h, ">masquée ou non calculée</td>"), 1, "%s", h);
	free(h);
	h = mail_html(&x, 1, LOC_EN);
	cr_expect_eq(count(h, ">hidden</td>"), 1, "%s", h);
	cr_expect_eq(count(h, ">no data</td>"), 1, "%s", h);
	cr_expect_eq(count(h, ">hidden or not computed</td>"), 1, "%s", h);
	free(h);
}

/* The background of the pixel run before (dir < 0) or after (dir > 0) the
 * run that starts at p, in a chart's row; "" at either end. */
static void run_next_to(const char *h, const char *p, int dir, char out[16])
{
	const char *key = "background:", *q = NULL;

	out[0] = '\0';
	if (dir > 0) {
		q = strstr(p + 1, key);
	} else {
		for (const char *r = h; (r = strstr(r, key)) && r < p; r++)
			q = r;
	}
	if (q)
		sscanf(q + strlen(key), "%15[^\"]", out);
}

/* How many runs of a mark's colour a chart has, each checked to touch no
 * run of the bar's colour. */
static size_t marks_apart(const char *h, const char *color, const char *bar,
    const char *what)
{
	char key[32], before[16], after[16];
	size_t marks = 0;

	snprintf(key, sizeof(key), "background:%s", color);
	for (const char *p = h; (p = strstr(p, key)); p++, marks++) {
		run_next_to(h, p, -1, before);
		run_next_to(h, p, 1, after);
		cr_expect(strcmp(before, bar) && strcmp(after, bar),
		    "%s touches the bar %s (%s | %s)", what, bar, before, after);
	}
	return marks;
}

/* Where the threshold's or the expected value's mark falls on a bar, a
 * white edge sets it apart: the same red on a red bar, or blue on any
 * bar, is below the 3:1 a mark needs (WCAG 1.4.11) and gone once printed
 * in greys. */
Test(digest, html_chart_marks_stand_out_on_the_bars)
{
	const char *sev[] = { "critical", "warning" }, *bars[] = { "#b3261e", "#a35f00" };

	for (int k = 0; k < 2; k++) {
		struct notice x = alert("drift", "acme/a", sev[k]);
		char *h;

		/* values 0 to 11, threshold 9: the last two bars cross it */
		h = mail_html(&x, 1, LOC_FR);
		cr_expect_geq(marks_apart(h, "#d32f2f", bars[k], "the threshold"), 11, "%s", sev[k]);
		free(h);
		x.has_points = true;
		x.has_observed = x.has_expected = true;
		for (int i = 0; i < 12; i++) {
			x.history[i].has_observed = x.history[i].defined;
			x.history[i].observed = x.history[i].value;
			x.history[i].has_expected = true;
			x.history[i].expected = 3;
		}
		h = mail_html(&x, 1, LOC_FR);
		cr_expect_geq(marks_apart(h, "#1565c0", bars[k], "the expected mark"), 11, "%s",
		    sev[k]);
		free(h);
	}
}

Test(typo, numbers_plurals_periods_and_prose)
{
	char b[TYPO_BUFSZ];
	char *p;

	cr_assert_str_eq(typo_number(b, sizeof(b), 35711, 1, LOC_FR), "35" NNBSP "711");
	cr_assert_str_eq(typo_number(b, sizeof(b), 35711.26, 1, LOC_EN), "35,711.3");
	cr_assert_str_eq(typo_number(b, sizeof(b), 2026, 0, LOC_FR), "2026");
	cr_assert_str_eq(typo_number(b, sizeof(b), -1.5, 1, LOC_FR), "\xe2\x88\x92" "1,5");
	cr_assert_str_eq(typo_number_sig(b, sizeof(b), 0.0049, 1, LOC_FR), "0,0049");
	cr_assert_str_eq(typo_count(b, sizeof(b), 1, "signalement", "signalements", LOC_FR),
	    "1" "\xc2\xa0" "signalement");
	cr_assert_str_eq(typo_count(b, sizeof(b), 3, "signalement", "signalements", LOC_FR),
	    "3" "\xc2\xa0" "signalements");
	cr_assert_str_eq(typo_count(b, sizeof(b), 0, "report", "reports", LOC_EN),
	    "0" "\xc2\xa0" "reports");
	cr_assert_str_eq(typo_period(b, sizeof(b), "2026-10", false, LOC_FR),
	    "octobre" "\xc2\xa0" "2026");
	cr_assert_str_eq(typo_period(b, sizeof(b), "2026-10", true, LOC_EN), "Oct" "\xc2\xa0" "2026");
	cr_assert_str_eq(typo_de("octobre 2026"), "d'");
	cr_assert_str_eq(typo_de("août 2026"), "d'");
	cr_assert_str_eq(typo_de("\xc3\xa9t\xc3\xa9"), "d'");	/* été */
	cr_assert_str_eq(typo_de("novembre 2026"), "de ");
	cr_assert_str_eq(typo_de("semaine 7 de 2026"), "de ");
	cr_assert_str_eq(typo_de(""), "de ");
	p = typo_prose("environ 5 % : soit 35711 jours ; voir acme/site12345 « ici »", LOC_FR);
	cr_assert_str_eq(p, "environ 5" NNBSP "%" NNBSP ": soit 35" NNBSP "711" "\xc2\xa0"
	    "jours" NNBSP "; voir acme/site12345 «" NNBSP "ici" NNBSP "»");
	free(p);
	p = typo_prose("about 5 %: 35711 days", LOC_EN);
	cr_assert_str_eq(p, "about 5 %: 35,711 days");
	free(p);
}

/* What readers see of a theme or a role: words for the shipped ids, the id
 * itself for any other (a company's own role still reads as written). */
Test(wording, themes_and_roles_in_words_other_ids_as_written)
{
	cr_assert_str_eq(wording_theme("charge", LOC_FR), "Charge de travail");
	cr_assert_str_eq(wording_theme("mouvements", LOC_FR), "Mouvements du personnel");
	cr_assert_str_eq(wording_theme("climat", LOC_EN), "Social climate");
	cr_assert_str_eq(wording_theme("", LOC_FR), "Autres");
	cr_assert_str_eq(wording_theme("qvt", LOC_FR), "qvt");
	cr_assert_str_eq(wording_role("social-worker", LOC_FR), "service social");
	cr_assert_str_eq(wording_role("hr", LOC_FR), "RH");
	cr_assert_str_eq(wording_role("hr", LOC_EN), "HR");
	cr_assert_str_eq(wording_role("cse-secretary", LOC_FR), "cse-secretary");
}

/* SPEC 14: with web.url, each alert links to its console page, in both
 * parts; without it, no link at all. */
Test(mail, web_url_links_each_alert_to_its_console_page)
{
	struct notice v[2] = { alert("absenteeism-rate", "acme/nancy", "warning"),
	    alert("conflicts", "acme/metz", "critical") };
	struct mail_envelope env = { .from_addr = "vigie@example.org", .to = "m@example.org",
	    .uid = "u1", .date = 1767225600, .web_url = "https://vigie.example.org" };
	size_t len;
	char *m = mail_render(v, 2, LOC_FR, &env, &len), *plain = qp_decode(m, len);

	check_lines(m, len);
	/* Too long for the label's line, the URL has one of its own, whole. */
	cr_expect_not_null(strstr(plain, "  Suivre dans la console" NNBSP ":\n"
	    "    https://vigie.example.org/alerts/conflicts@acme/metz\n"), "%s", plain);
	cr_expect_not_null(strstr(plain, "<a href=\"https://vigie.example.org/alerts/"
	    "absenteeism-rate@acme/nancy\">Suivre dans la console</a>"));
	/* The title, too, leads there: on a phone, the link under the chart
	 * is screens away from it. */
	cr_expect_not_null(strstr(plain, "<a style=\"color:inherit\" href=\"https://"
	    "vigie.example.org/alerts/conflicts@acme/metz\">"), "%s", plain);
	free(plain);
	free(m);
	env.web_url = NULL;
	m = mail_render(v, 2, LOC_FR, &env, &len);
	plain = qp_decode(m, len);
	cr_expect_null(strstr(plain, "/alerts/"), "no link without web.url");
	free(plain);
	free(m);
}

/* A parent folded into a team's signal (SPEC 16) says what its own signal
 * would, under its line: what changed, the hysteresis with its clear
 * level, its last 12 periods, its guidance, how to acknowledge it (SPEC 9)
 * and its console link (SPEC 14); in both parts, and the team's signal
 * keeps its own. */
Test(digest, folded_parent_has_change_hysteresis_and_link)
{
	struct notice v[2] = { alert("conflicts", "acme/site", "warning"),
	    alert("conflicts", "acme/site/a", "warning") };
	struct mail_envelope env = { .from_addr = "vigie@example.org", .to = "m@example.org",
	    .uid = "u1", .date = 1767225600, .web_url = "https://vigie.example.org" };
	const char *held = "la valeur de la règle (7,5) n'atteint plus le seuil de vigilance "
	    "(9)" NNBSP "; l'alerte prend fin quand elle redescend à 5 ou moins (seuil de fin)";
	size_t len;
	char *m, *plain, *want;

	v[0].kind = (char *)"deescalated";
	v[0].prev_severity = (char *)"critical";
	v[0].held = v[0].has_clear = true;
	v[0].value = 7.5;
	v[0].clear = 5;
	v[0].also = (char *)"hr";
	m = mail_render(v, 2, LOC_FR, &env, &len);
	plain = qp_decode(m, len);
	check_lines(m, len);
	want = NULL;
	cr_assert_neq(asprintf(&want, "  Aussi en alerte au niveau supérieur" NNBSP ": acme/site "
	    "[vigilance]" NNBSP ": 7,5 (seuil vigilance" NNBSP ": 9)\n"
	    "    Amélioration (critique → vigilance) en février" "\xc2\xa0" "2026, en alerte "
	    "depuis janvier" "\xc2\xa0" "2026\n"
	    "    Alerte maintenue" NNBSP ": %s\n"
	    "    Aussi envoyée à" NNBSP ": RH\n"
	    "    Dernières périodes" NNBSP ": ▁▂▂▃·▄▅▅▆▇▇█\n"
	    "        2025-01 0   2025-02 1   2025-03 2   2025-04 3\n"
	    "        2025-05 non calculée   2025-06 5   2025-07 6   2025-08 7\n"
	    "        2025-09 8   2025-10 9   2025-11 10   2025-12 11\n"
	    "    Conseil" NNBSP ": le même que ci-dessous\n"
	    "    Suivre dans la console" NNBSP ": https://vigie.example.org/alerts/"
	    "conflicts@acme/site\n", held), -1);
	{
		char *tp = text_part(plain), *u;

		check_wrapped(tp, NULL, 0);
		u = unwrap(tp);
		cr_expect_not_null(strstr(u, want), "%s", tp);
		free(u);
		free(tp);
	}
	/* With web.url the console page is how to act on it, not a shell. */
	cr_expect_eq(count(plain, "vigie ack"), 0, "%s", plain);
	cr_expect_eq(count(plain, "accuser réception"), 0, "%s", plain);
	cr_expect_eq(count(plain, "Alerte maintenue" NNBSP ": "), 2, "%s", plain);
	cr_expect_eq(count(plain, "Aussi envoyée à" NNBSP ": RH"), 2, "one in each part: %s",
	    plain);
	cr_expect_not_null(strstr(plain, "<br>Alerte maintenue" NNBSP ": "
	    "la valeur de la règle (7,5) n&#39;atteint plus"), "%s", plain);
	cr_expect_not_null(strstr(plain, "<span style=\"font-size:13px;color:#555\">"
	    "Amélioration (critique → vigilance) en février"), "%s", plain);
	cr_expect_not_null(strstr(plain, "(seuil de fin)<br>Aussi envoyée à" NNBSP ": RH<br>"),
	    "%s", plain);
#define Y "\xc2\xa0" "2025 "
	cr_expect_not_null(strstr(plain, "<br>Dernières périodes" NNBSP ": janv." Y "0 · "
	    "févr." Y "1 · mars" Y "2 · avr." Y "3 · mai" Y "non calculée · juin" Y "5 · "
	    "juil." Y "6 · août" Y "7 · sept." Y "8 · oct." Y "9 · nov." Y "10 · déc." Y "11"
	    "<br>Conseil" NNBSP ": le même que ci-dessous"
	    "<br><a href=\"https://vigie.example.org/alerts/"
	    "conflicts@acme/site\">Suivre dans la console</a></span></td></tr>"), "%s", plain);
#undef Y
	cr_expect_eq(count(plain, "conflicts@acme/site\">"), 1, "%s", plain);
	/* The team's: its title's, and the line under it. */
	cr_expect_eq(count(plain, "conflicts@acme/site/a\">"), 2, "%s", plain);
	free(want);
	free(plain);
	free(m);
}

/* A site's alert whose rule is still active, unchanged, on a team (SPEC
 * 16): the team's alert comes as a context notice, not an event of the
 * digest, and the site folds into it; the team's signal says it is still
 * active and already reported, and counts nowhere (not in the changes, the
 * subject, the block's rank). A context notice that hosts no parent is
 * not shown. */
Test(digest, unchanged_descendant_hosts_its_parent_and_counts_for_nothing)
{
	struct notice v[4] = { alert("conflicts", "acme/site", "warning"),
	    alert("conflicts", "acme/site/a", "critical"),
	    alert("overtime", "acme/other", "critical"),
	    alert("absences", "acme/b", "warning") };
	struct digest d;
	char *t, *s;

	v[0].since = v[0].period;	/* the site's alert is new */
	v[1].context = v[2].context = true;
	v[1].also = (char *)"direction";
	digest_build(&d, v, 4);
	cr_assert_eq(d.nblocks, 2);
	cr_assert_str_eq(d.blocks[0].unit, "acme/b");
	cr_assert_str_eq(d.blocks[1].unit, "acme/site/a");
	cr_assert_eq(d.blocks[1].nitems, 1);
	cr_assert_eq(d.blocks[1].items[0].v, &v[1]);
	cr_assert_eq(d.blocks[1].items[0].nparents, 1);
	cr_assert_eq(d.blocks[1].items[0].parents[0], &v[0]);
	cr_assert_eq(d.blocks[1].rank, 1, "the team's critical is not news, the site's is");
	for (int c = 0; c < DG_NCHANGES; c++)
		cr_assert_eq(d.blocks[1].changes[c], 0, "change %d", c);
	cr_assert_eq(d.blocks[1].nhosted, 1);
	cr_assert_str_eq(d.blocks[1].hosted[0].unit, "acme/site");
	for (int c = 0; c < DG_NCHANGES; c++)
		cr_assert_eq(d.blocks[1].hosted[0].changes[c], c == DG_NEW, "change %d", c);
	digest_free(&d);

	s = wording_subject(v, 4, LOC_EN);
	cr_assert_str_eq(s, "[Vigie] 2 notifications: warning — acme/b, acme/site");
	free(s);
	t = flat_text(v, 4, LOC_FR);
	cr_assert_null(strstr(t, "== acme/site =="), "%s", t);
	cr_assert_null(strstr(t, "acme/other"), "%s", t);
	cr_assert_not_null(strstr(t, "\n== acme/site/a ==\n\n* [critique] Taux d'absentéisme "
	    "élevé\n  Toujours active depuis janvier" "\xc2\xa0" "2026, déjà signalée\n"
	    "  Valeur" NNBSP ": 12,6 (seuil critique" NNBSP ": 9)\n"
	    "  Aussi en alerte au niveau supérieur" NNBSP ": acme/site [vigilance]" NNBSP
	    ": 12,6 (seuil vigilance" NNBSP ": 9)\n"
	    "    Nouvelle alerte en février" "\xc2\xa0" "2026\n"), "%s", t);
	cr_assert_not_null(strstr(t, "  - acme/site [vigilance]" NNBSP ": 1" "\xc2\xa0"
	    "nouvelle alerte (dans le bloc de acme/site/a)\n"), "%s", t);
	cr_assert_null(strstr(t, "  - acme/site/a"), "%s", t);
	cr_assert_eq(count(t, "vigie ack "), 3, "%s", t);
	cr_assert_null(strstr(t, "direction"), "%s", t);
	free(t);
	t = flat_text(v, 4, LOC_EN);
	cr_assert_not_null(strstr(t, "\n  Still active since January" "\xc2\xa0" "2026, already "
	    "reported\n"), "%s", t);
	free(t);
	t = mail_html(v, 4, LOC_FR);
	cr_assert_not_null(strstr(t, "Toujours active depuis janvier" "\xc2\xa0" "2026, déjà "
	    "signalée</p>"), "%s", t);
	cr_assert_null(strstr(t, "acme/other"), "%s", t);
	cr_assert_eq(count(t, "<code>vigie ack "), 3, "%s", t);
	free(t);

	/* Alone, a context notice that hosts nothing makes an empty digest. */
	digest_build(&d, &v[2], 1);
	cr_assert_eq(d.nblocks, 0);
	digest_free(&d);
}

/* A team whose value the anonymity floor hides (SPEC 3) hosts no parent:
 * beside its « valeur masquée », the site's figure would read as the
 * team's. The site's alert makes a block of its own, also when the team
 * comes as a context notice. */
Test(digest, a_hidden_team_hosts_no_parent)
{
	struct notice v[2] = { alert("conflicts", "acme/site", "warning"),
	    alert("conflicts", "acme/site/small", "warning") };
	struct digest d;
	char *t;

	v[1].has_value = false;
	v[1].hidden = true;
	for (int context = 0; context < 2; context++) {
		v[1].context = context;
		digest_build(&d, v, 2);
		cr_assert_eq(d.nblocks, 2 - context, "context %d", context);
		cr_assert_str_eq(d.blocks[0].unit, "acme/site");
		for (size_t k = 0; k < d.nblocks; k++)
			cr_assert_eq(d.blocks[k].items[0].nparents, 0);
		digest_free(&d);
	}
	v[1].context = false;
	t = flat_text(v, 2, LOC_FR);
	cr_assert_null(strstr(t, "niveau supérieur"), "%s", t);
	cr_assert_not_null(strstr(t, "\n== acme/site ==\n"), "%s", t);
	free(t);
}

/* What changed, at the top: a team's line counts its own alerts, its
 * site's folded into its block have a line of their own that says where
 * they are; the team's block ranks by its own severity (SPEC 16), not
 * its site's. In both parts. */
Test(digest, a_team_counts_and_ranks_its_own_alerts)
{
	struct notice v[3] = { alert("conflicts", "acme/site", "critical"),
	    alert("conflicts", "acme/site/a", "warning"),
	    alert("overtime", "acme/other", "warning") };
	char *t;

	t = flat_text(v, 3, LOC_EN);
	cr_assert_not_null(strstr(t, "Since the last digest:\n"
	    "  - acme/other [warning]: 1" "\xc2\xa0" "existing alert, first notification\n"
	    "  - acme/site/a [warning]: 1" "\xc2\xa0" "existing alert, first notification\n"
	    "  - acme/site [critical]: 1" "\xc2\xa0" "existing alert, first notification "
	    "(in the block of acme/site/a)\n"), "%s", t);
	cr_assert_lt(strstr(t, "== acme/other =="), strstr(t, "== acme/site/a =="), "%s", t);
	free(t);
	t = mail_html(v, 3, LOC_FR);
	/* the bullet's colour is said in words too (WCAG 1.4.1) */
	cr_assert_not_null(strstr(t, "<li><span style=\"color:#b3261e\">●</span> acme/site "
	    "[critique]" NNBSP ": 1" "\xc2\xa0" "alerte déjà en cours, signalée pour la première fois "
	    "(dans le bloc de acme/site/a)</li>"), "%s", t);
	cr_assert_not_null(strstr(t, "<li><span style=\"color:#a35f00\">●</span> acme/site/a "
	    "[vigilance]" NNBSP ": 1" "\xc2\xa0" "alerte déjà"), "%s", t);
	free(t);
}

/* One alert, one figure: observed and expected with the rule's decimals,
 * as its summary writes them (« 7, contre 1 »), on the value line, in the
 * last periods and in a folded parent's line (« observé : 26 »), in both
 * parts. */
Test(digest, observed_and_expected_with_the_rules_decimals)
{
	struct notice v[2] = { alert("departures", "acme/site", "warning"),
	    alert("departures", "acme/site/a", "warning") };
	char *t;

	for (int i = 0; i < 2; i++) {
		v[i].has_observed = v[i].has_expected = v[i].has_points = true;
		v[i].decimals = 0;
		v[i].observed = i ? 7 : 26;
		v[i].expected = i ? 0.96 : 5.1;
		v[i].history[11].has_observed = v[i].history[11].has_expected = true;
		v[i].history[11].observed = v[i].observed;
		v[i].history[11].expected = v[i].expected;
	}
	t = flat_text(v, 2, LOC_FR);
	cr_assert_not_null(strstr(t, "\n  Observé" NNBSP ": 7, attendu" NNBSP ": 1\n"), "%s", t);
	cr_assert_not_null(strstr(t, "au niveau supérieur" NNBSP ": acme/site [vigilance]" NNBSP
	    ": observé" NNBSP ": 26, attendu" NNBSP ": 5\n"), "%s", t);
	cr_assert_not_null(strstr(t, "2025-12 7 (1)\n"), "%s", t);
	cr_assert_not_null(strstr(t, "2025-12 26 (5)\n"), "%s", t);
	cr_assert_null(strstr(t, "0,96"), "%s", t);
	cr_assert_null(strstr(t, "5,1"), "%s", t);
	free(t);
	t = mail_html(v, 2, LOC_EN);
	cr_assert_not_null(strstr(t, "acme/site [warning]: observed: 26, expected: 5<br>"), "%s", t);
	cr_assert_not_null(strstr(t, ">7 <span style=\"color:#1565c0;white-space:nowrap\">(1)"
	    "</span></td>"), "%s", t);
	cr_assert_not_null(strstr(t, "Dec" "\xc2\xa0" "2025 26 (5)"), "%s", t);
	cr_assert_null(strstr(t, "0.96"), "%s", t);
	cr_assert_null(strstr(t, "5.1"), "%s", t);
	free(t);
}

/* The text part a mail client shows is wrapped at 72 characters (counted
 * as characters: accents and the narrow no-break space are one each),
 * between words only, continuation lines indented under their label; a
 * URL or the ack command longer than the room is kept whole on a line of
 * its own, and the guidance's own indented and quoted lines as written.
 * The HTML part is not wrapped. */
Test(mail, text_part_wraps_prose_at_72_characters_between_words)
{
	static const char para[] = "Rencontrer le manager de l'équipe dans la semaine, "
	    "puis proposer aux salariés qui le souhaitent une permanence du service "
	    "social sur le site, en présentiel, avec un créneau réservé aux équipes "
	    "de nuit ; vérifier que les entretiens de retour après une absence longue "
	    "ont bien eu lieu et que les plannings de l'été tiennent compte des "
	    "congés déjà posés, puis faire le point avec la médecine du travail sur "
	    "les visites à la demande des salariés depuis le début de l'année.";
	static const char url[] = "https://intranet.example.org/rps/fiches/"
	    "procedure-de-signalement-et-d-accompagnement-des-equipes.html";
	char *guidance = NULL, *m, *plain, *t, *u, *html;
	struct notice v = alert("absenteeism-rate",
	    "acme/nancy/logistique/entrepot-principal/equipe-de-nuit", "critical");
	struct mail_envelope env = { .from_addr = "vigie@example.org", .to = "m@example.org",
	    .uid = "u1", .date = 1767225600 };
	size_t len;

	cr_assert(asprintf(&guidance, "%s\nVoir %s\n  - étape 1, prévenir le CSE, "
	    "sans nom ni absence individuelle, et garder une trace écrite datée\n"
	    "> citation gardée telle quelle, même si elle dépasse largement "
	    "soixante-douze caractères", para, url) > 0);
	v.guidance = guidance;
	for (int loc = LOC_FR; loc <= LOC_EN; loc++) {
		m = mail_render(&v, 1, (enum locale)loc, &env, &len);
		check_lines(m, len);
		plain = qp_decode(m, len);
		t = text_part(plain);
		check_wrapped(t, (const char *const[]){ "- étape", "> " }, 2);
		/* wrapped indeed, under the label's indent */
		cr_assert_not_null(strstr(t, "\n    "), "%s", t);
		u = unwrap(t);
		/* no word was split: joined again, the paragraph is whole */
		cr_assert_not_null(strstr(u, "Rencontrer le manager de l'équipe dans la semaine, "
		    "puis proposer"), "%s", u);
		cr_assert_not_null(strstr(u, "depuis le début de l'année."), "%s", u);
		/* a new line of the guidance under the others; its URL, too long
		 * for the room left, on a line of its own */
		cr_assert_not_null(strstr(t, "\n    Voir\n    https://intranet"), "%s", t);
		cr_assert_not_null(strstr(t, url), "URL kept whole: %s", t);
		/* the author's indented and quoted lines, as written */
		cr_assert_not_null(strstr(t, "\n      - étape 1, prévenir le CSE, sans nom ni "
		    "absence individuelle, et garder une trace écrite datée\n"), "%s", t);
		cr_assert_not_null(strstr(t, "\n    > citation gardée telle quelle, même si elle "
		    "dépasse largement soixante-douze caractères\n"), "%s", t);
		cr_assert_not_null(strstr(t, "vigie ack absenteeism-rate@acme/nancy/logistique/"
		    "entrepot-principal/equipe-de-nuit --by "), "%s", t);
		/* the HTML part keeps its paragraph on one line */
		html = strstr(plain, "Content-Type: text/html");
		cr_assert_not_null(html);
		cr_assert_not_null(strstr(html, "la semaine, puis proposer aux salariés qui le "
		    "souhaitent une permanence du service social sur le site"), "%s", html);
		free(u);
		free(t);
		free(plain);
		free(m);
	}
	free(guidance);
}

/* Held by hysteresis, a rule that compares observed with expected: 7
 * against 0.6 can be below its firing level once the unit's usual ups and
 * downs are weighed; the words say so rather than « no longer enough ». */
Test(mail, a_held_score_says_the_gap_is_weighed_against_the_usual)
{
	char *fr = wording_held(LOC_FR, "warning", false, true, "7", "0.001", "0.04");
	char *en = wording_held(LOC_EN, "warning", false, true, "7", "0.001", "0.04");

	cr_expect_str_eq(fr, "l'écart entre l'observé et l'attendu, rapporté aux variations "
	    "habituelles de l'unité, n'atteint plus le niveau d'une alerte de vigilance sans "
	    "être redevenu ordinaire" NNBSP "; l'alerte prend fin quand il le sera (seuil de "
	    "fin)");
	cr_expect_str_eq(en, "the gap between observed and expected, weighed against the "
	    "unit's usual ups and downs, no longer reaches the warning level, but "
	    "is not yet back to normal; the alert ends when it is (clear level)");
	free(fr);
	free(en);
}

/* The closing list of a digest (notice.unowned): the alerts open for long
 * that no one has taken in charge, after the blocks, in both parts and
 * both languages, at most NOTICE_UNOWNED_SHOWN of them by name, the others
 * counted and linked to the console's open alerts, then how to take an
 * alert off it (in the console, or with vigie ack without one); counted in
 * neither the subject nor the changes at the top. */
Test(digest, unowned_alerts_close_the_digest_ten_at_most)
{
	struct notice v[13];
	char units[12][32];
	struct mail_envelope env = { .from_addr = "vigie@example.org", .to = "m@example.org",
	    .uid = "u1", .date = 1767225600, .web_url = "https://vigie.example.org" };
	size_t len;
	char *m, *plain, *t;

	v[0] = alert("conflicts", "acme/metz", "critical");
	for (int i = 0; i < 12; i++) {
		snprintf(units[i], sizeof(units[i]), "acme/nancy/t%02d", i);
		v[i + 1] = (struct notice){ .kind = (char *)"firing", .rule = (char *)"conflicts",
		    .unit = units[i], .period = (char *)"2026-06", .since = (char *)"2026-02",
		    .severity = (char *)(i ? "warning" : "critical"),
		    .title = (char *)"Conflits répétés", .unowned = true };
	}
	m = mail_render(v, 13, LOC_FR, &env, &len);
	check_lines(m, len);
	plain = qp_decode(m, len);
	t = text_part(plain);
	/* the subject is the alert's, the text part's first line */
	cr_expect_eq(strncmp(t, "[Vigie] critique" NNBSP ": Taux d'absentéisme élevé — "
	    "acme/metz\n", 47), 0, "%s", t);
	cr_expect_null(strstr(t, "Depuis le dernier envoi"), "%s", t);
	cr_expect_not_null(strstr(t, "https://vigie.example.org/alerts/conflicts@acme/metz\n\n"
	    "12\xc2\xa0" "alertes ouvertes sans prise en charge depuis plus de 2\xc2\xa0mois" NNBSP
	    ":\n  - acme/nancy/t00 [critique]" NNBSP ": Conflits répétés, depuis février\xc2\xa0"
	    "2026\n    https://vigie.example.org/alerts/conflicts@acme/nancy/t00\n"
	    "  - acme/nancy/t01 [vigilance]" NNBSP ": Conflits répétés, depuis février\xc2\xa0"
	    "2026\n"), "%s", t);
	cr_expect_not_null(strstr(t, "/alerts/conflicts@acme/nancy/t09\n"
	    "  … et 2\xc2\xa0" "autres" NNBSP ": https://vigie.example.org/?state=open\n"
	    "Pour retirer une alerte de cette liste, prenez-la en charge dans la\n"
	    "console.\n\n-- \n"),
	    "%s", t);
	cr_expect_null(strstr(plain, "acme/nancy/t10"), "%s", t);
	cr_expect_not_null(strstr(plain, "<li><span style=\"color:#a35f00\">●</span> "
	    "acme/nancy/t09 [vigilance]" NNBSP ": <a href=\"https://vigie.example.org/alerts/"
	    "conflicts@acme/nancy/t09\">Conflits répétés, depuis février\xc2\xa0" "2026</a></li>\n"
	    "<li><a href=\"https://vigie.example.org/?state=open\">… et 2\xc2\xa0" "autres</a>"
	    "</li>\n</ul>\n<p style=\"margin:4px 0;font-size:14px\">Pour retirer une alerte de "
	    "cette liste, prenez-la en charge dans la console.</p></div>\n</main>"), "%s", plain);
	free(t);
	free(plain);
	free(m);

	/* English, weeks, one alert, no web.url: no link. */
	v[1].since = (char *)"2026-W05";
	env.web_url = NULL;
	m = mail_render(v, 2, LOC_EN, &env, &len);
	plain = qp_decode(m, len);
	t = text_part(plain);
	cr_expect_not_null(strstr(t, "\n\n1\xc2\xa0" "alert open for more than 2\xc2\xa0weeks "
	    "that no one has acknowledged:\n  - acme/nancy/t00 [critical]: Conflits répétés,"
	    " since week\xc2\xa0" "5 of 2026\nTo take an alert off this list, acknowledge it"
	    " (vigie ack).\n\n-- \n"), "%s", t);
	cr_expect_not_null(strstr(plain, "<li><span style=\"color:#b3261e\">●</span> "
	    "acme/nancy/t00 [critical]: Conflits répétés, since week\xc2\xa0" "5 of 2026</li>"), "%s", plain);
	cr_expect_null(strstr(plain, "/alerts/"), "no link without web.url");
	free(t);
	free(plain);
	free(m);
}

/* In the closing list, a site's alert and its teams' of the same rule are
 * one line, as the blocks fold them: the teams in list order, then the
 * site; its severity the highest, since when the oldest, its link the
 * site's; the heading still counts the alerts. */
Test(digest, unowned_alerts_of_a_site_and_its_teams_are_one_line)
{
	struct notice v[5];
	const char *units[] = { "acme/nancy", "acme/nancy/t1", "acme/nancy/t2", "acme/metz/t3" };
	const char *since[] = { "2026-02", "2026-03", "2026-03", "2026-04" };
	struct mail_envelope env = { .from_addr = "vigie@example.org", .to = "m@example.org",
	    .uid = "u1", .date = 1767225600, .web_url = "https://vigie.example.org" };
	size_t len;
	char *m, *plain, *t;

	v[0] = alert("absence", "acme/lyon", "critical");
	for (int i = 0; i < 4; i++)
		v[i + 1] = (struct notice){ .kind = (char *)"firing", .rule = (char *)"conflicts",
		    .unit = (char *)units[i], .period = (char *)"2026-06",
		    .since = (char *)since[i], .severity = (char *)(i == 2 ? "critical" : "warning"),
		    .title = (char *)"Conflits répétés", .unowned = true };
	m = mail_render(v, 5, LOC_FR, &env, &len);
	check_lines(m, len);
	plain = qp_decode(m, len);
	t = text_part(plain);
	cr_expect_not_null(strstr(t, "\n\n4\xc2\xa0" "alertes ouvertes sans prise en charge "
	    "depuis plus de 2\xc2\xa0mois" NNBSP ":\n"
	    "  - acme/nancy/t1, acme/nancy/t2 et le site acme/nancy [critique]" NNBSP ":\n"
	    "    Conflits répétés, depuis février\xc2\xa0" "2026\n"
	    "    https://vigie.example.org/alerts/conflicts@acme/nancy\n"
	    "  - acme/metz/t3 [vigilance]" NNBSP ": Conflits répétés, depuis avril\xc2\xa0"
	    "2026\n    https://vigie.example.org/alerts/conflicts@acme/metz/t3\n"
	    "Pour retirer"), "%s", t);
	cr_expect_not_null(strstr(plain, "<li><span style=\"color:#b3261e\">●</span> "
	    "acme/nancy/t1, acme/nancy/t2 et le site acme/nancy [critique]" NNBSP ": <a href=\""
	    "https://vigie.example.org/alerts/conflicts@acme/nancy\">Conflits répétés, depuis "
	    "février\xc2\xa0" "2026</a></li>\n<li>"), "%s", plain);
	free(t);
	free(plain);
	free(m);
}

/* An alert already active that a route now gives this address
 * (daemon/catchup.c) is said as it stands, first sent to this address,
 * never as new, whatever its period; closed, it says so; and a digest to
 * an address that never had one does not speak of a last one. */
#define NBSP "\xc2\xa0"
Test(mail, an_alert_caught_up_is_already_active_first_sent_to_this_address)
{
	struct notice v[2] = { alert("absence", "acme/a", "critical"),
	    alert("absence", "acme/b", "warning") };
	char *t;

	v[0].catchup = v[1].catchup = true;
	v[1].since = (char *)"2026-02";	/* its period: it began there */
	v[1].last_outcome = OUTCOME_FALSE_ALARM;
	v[0].first_to = v[1].first_to = true;
	t = flat_text(v, 2, LOC_FR);
	cr_assert_not_null(strstr(t, "\nDans cet envoi" NNBSP ":\n  - acme/a [critique]" NNBSP
	    ": 1" "\xc2\xa0" "alerte déjà en cours, signalée pour la première fois\n"), "%s", t);
	cr_assert_not_null(strstr(t, "En alerte depuis janvier" NBSP "2026, déjà en cours, signalée pour la "
	    "première fois à cette adresse (dernière période" NNBSP ": février" NBSP "2026)\n"), "%s", t);
	cr_assert_not_null(strstr(t, "En alerte en février" NBSP "2026, déjà en cours, signalée pour la "
	    "première fois à cette adresse, déjà clôturée «" NNBSP "fausse alerte" NNBSP "»\n"),
	    "%s", t);
	cr_assert_null(strstr(t, "Nouvelle alerte"), "%s", t);
	cr_assert_null(strstr(t, "Depuis le dernier envoi"), "%s", t);
	free(t);
	v[0].first_to = v[1].first_to = false;
	t = flat_text(v, 2, LOC_EN);
	cr_assert_not_null(strstr(t, "\nSince the last digest:\n"), "%s", t);
	cr_assert_not_null(strstr(t, "Active in February" NBSP "2026, already active, sent for the first time "
	    "to this address, already closed \"false alarm\"\n"), "%s", t);
	free(t);
	v[0].first_to = true;
	t = mail_html(v, 2, LOC_EN);
	cr_assert_not_null(strstr(t, "<b>In this digest</b>"), "%s", t);
	free(t);
}
