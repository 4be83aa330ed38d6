/* Digest emails (SPEC 9): RFC 2047 subjects, quoted-printable parts, CRLF,
 * short lines, no header injection, escaped HTML, French and English. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/mail.h"
#include "vigie/mime.h"
#include "vigie/wording.h"

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
	cr_assert_not_null(strstr(plain, "Valeur : 12,6 (seuil critique : 9)"));
	cr_assert_not_null(strstr(plain, "vigie ack conflicts@acme/metz --by NOM"));
	cr_assert_not_null(strstr(plain, "▁▂▂▃·▄▅▅▆▇▇█"));
	cr_assert_not_null(strstr(plain, "Rencontrer le manager ; proposer une permanence."));
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
	t = mail_text(v, 2, LOC_FR);
	cr_assert_not_null(strstr(t, "Valeur : valeur masquée"), "%s", t);
	cr_assert_not_null(strstr(t, "Valeur : 4,05 (valeur qui l'a résolue"), "%s", t);
	cr_assert_null(strstr(t, "12,6 ("), "%s", t);
	free(t);
	t = mail_text(v, 2, LOC_EN);
	cr_assert_not_null(strstr(t, "Value: hidden value"), "%s", t);
	cr_assert_not_null(strstr(t, "Value: 4.05 (the value that resolved it"), "%s", t);
	cr_assert_not_null(strstr(t, "To acknowledge: vigie ack a@acme/x --by NAME"), "%s", t);
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

	s = wording_subject(v, 1, LOC_FR);
	cr_assert_str_eq(s, "[Vigie] vigilance : Taux d'absentéisme élevé — acme/x");
	free(s);
	s = wording_subject(v, 2, LOC_FR);
	cr_assert_str_eq(s, "[Vigie] 2 notifications : critique — acme/y, acme/x");
	free(s);
	s = wording_subject(v, 2, LOC_EN);
	cr_assert_str_eq(s, "[Vigie] 2 notifications: critical — acme/y, acme/x");
	free(s);
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
	cr_expect_not_null(strstr(plain, "Suivre dans la console : "
	    "https://vigie.example.org/alerts/conflicts@acme/metz\n"), "%s", plain);
	cr_expect_not_null(strstr(plain, "<a href=\"https://vigie.example.org/alerts/"
	    "absenteeism-rate@acme/nancy\">Suivre dans la console</a>"));
	free(plain);
	free(m);
	env.web_url = NULL;
	m = mail_render(v, 2, LOC_FR, &env, &len);
	plain = qp_decode(m, len);
	cr_expect_null(strstr(plain, "/alerts/"), "no link without web.url");
	free(plain);
	free(m);
}
