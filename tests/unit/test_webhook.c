/* Webhook payloads and Standard Webhooks signatures (SPEC 9). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <jansson.h>
#include <string.h>
#include "vigie/webhook.h"

static struct notice sample(void)
{
	struct notice x = {
		.kind = (char *)"firing", .rule = (char *)"absenteeism-rate",
		.unit = (char *)"acme/nancy/logistics", .period = (char *)"2026-02",
		.since = (char *)"2026-01", .severity = (char *)"critical",
		.has_value = true, .value = 12.583333, .has_threshold = true, .threshold = 9,
		.title = (char *)"Taux d'absentéisme élevé",
		.summary = (char *)"Absentéisme de 12,6 %", .guidance = (char *)"Rencontrer le manager",
		.labels = (char *)"{\"team\":\"rps\",\"bad key\":\"x\"}", .decimals = 1, .at = 1767225600,
	};

	snprintf(x.history[0].period, 16, "2026-01");
	x.history[0].defined = true;
	x.history[0].value = 9.5;
	snprintf(x.history[1].period, 16, "2026-02");
	x.history[1].defined = false;
	x.nhistory = 2;
	return x;
}

/* The body of one POST in full detail, as the tests before detail wrote it. */
static char *payload(enum webhook_format f, const struct notice *v, size_t n,
    enum locale loc, time_t now, long ttl)
{
	struct webhook_render r = { .format = f, .detail = DETAIL_FULL, .loc = loc,
	    .now = now, .am_ttl_s = ttl };

	return webhook_payload(&r, v, n);
}

Test(webhook, signature_matches_the_standard_webhooks_known_answer)
{
	const char *body = "{\"test\": 2432232314}";
	char sig[128];

	cr_assert_eq(webhook_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	    "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330LL, body, strlen(body),
	    sig, sizeof(sig)), 0);
	cr_assert_str_eq(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

/* A message too large for memory is signed from its file (webhook_file.c):
 * the same answer, from the file's start wherever it was left. */
Test(webhook, signature_of_a_body_in_a_file_is_that_of_its_bytes)
{
	const char *body = "{\"test\": 2432232314}";
	FILE *f = tmpfile();
	char sig[128];

	cr_assert_not_null(f);
	fputs(body, f);
	cr_assert_eq(fseek(f, 5, SEEK_SET), 0);
	cr_assert_eq(webhook_sign_file("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	    "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330LL, f, sig, sizeof(sig)), 0);
	cr_assert_str_eq(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	cr_assert_eq(webhook_sign_file("whsec_", "id", 1, f, sig, sizeof(sig)), -1);
	fclose(f);
}

/* A body that cannot be read is not a bad secret: -2 and errno, which the
 * sender turns into a failed attempt to retry, not a configuration error. */
Test(webhook, signature_of_an_unreadable_body_is_an_error_not_a_bad_secret)
{
	char path[] = "/tmp/vigie-sign-XXXXXX", sig[128];
	int fd = mkstemp(path);
	FILE *f;

	cr_assert_geq(fd, 0);
	close(fd);
	fd = open(path, O_WRONLY);      /* write-only: reading fails (EBADF) */
	unlink(path);                   /* gone even if an assertion fails */
	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	fputs("{}", f);
	errno = 0;
	cr_assert_eq(webhook_sign_file("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	    "id", 1, f, sig, sizeof(sig)), -2);
	cr_assert_neq(errno, 0);
	fclose(f);
}

/* The generic body and Alertmanager's array written piece by piece to a
 * file are, byte for byte, the ones rendered in memory; a notice that
 * changes severity is two Alertmanager alerts. */
Test(webhook, streamed_bodies_written_in_pieces_are_the_payloads)
{
	enum webhook_format fmt[] = { WH_GENERIC, WH_ALERTMANAGER };
	struct notice v[2] = { sample(), sample() };

	v[1].unit = (char *)"acme/metz";
	v[1].kind = (char *)"escalated";
	v[1].prev_severity = (char *)"warning";
	cr_assert_not(webhook_streamed(WH_SLACK));
	for (size_t i = 0; i < 2; i++) {
		struct webhook_render r = { .format = fmt[i], .detail = DETAIL_FULL,
		    .loc = LOC_FR, .now = 1767225600 };
		char *whole, buf[16384];
		FILE *f = tmpfile();
		bool first = true;
		size_t k;
		json_t *j;

		cr_assert(webhook_streamed(fmt[i]));
		cr_assert_not_null(f);
		webhook_stream_open(&r, f);
		webhook_stream_add(&r, &v[0], &first, f);
		webhook_stream_add(&r, &v[1], &first, f);
		webhook_stream_close(&r, f);
		rewind(f);
		k = fread(buf, 1, sizeof(buf) - 1, f);
		buf[k] = '\0';
		fclose(f);
		whole = webhook_payload(&r, v, 2);
		cr_assert_str_eq(buf, whole);
		j = json_loads(buf, 0, NULL);
		cr_assert_not_null(j, "%s", buf);
		cr_assert_eq(json_array_size(fmt[i] == WH_GENERIC ? json_object_get(j, "alerts") : j),
		    fmt[i] == WH_GENERIC ? 2 : 3);
		json_decref(j);
		free(whole);
	}
}

Test(webhook, signature_refuses_a_secret_that_is_not_base64)
{
	char sig[128];

	cr_assert_eq(webhook_sign("whsec_not*base64!", "id", 1, "{}", 2, sig, sizeof(sig)), -1);
	cr_assert_eq(webhook_sign("whsec_", "id", 1, "{}", 2, sig, sizeof(sig)), -1);
}

Test(webhook, generic_payload_has_exactly_the_documented_keys_in_order)
{
	struct notice x = sample();
	char *body = payload(WH_GENERIC, &x, 1, LOC_FR, 1767225600, 0);

	cr_assert_str_eq(body,
	    "{\"version\":1,\"source\":\"vigie\",\"sent_at\":\"2026-01-01T00:00:00Z\","
	    "\"alerts\":[{\"id\":\"absenteeism-rate@acme/nancy/logistics\",\"event\":\"firing\","
	    "\"rule\":\"absenteeism-rate\",\"title\":\"Taux d'absentéisme élevé\","
	    "\"unit\":\"acme/nancy/logistics\",\"period\":\"2026-02\",\"severity\":\"critical\","
	    "\"value\":12.583333,\"threshold\":9.0,\"since\":\"2026-01\","
	    "\"summary\":\"Absentéisme de 12,6 %\",\"guidance\":\"Rencontrer le manager\","
	    "\"labels\":{\"team\":\"rps\",\"bad key\":\"x\"},"
	    "\"history\":[{\"period\":\"2026-01\",\"value\":9.5},{\"period\":\"2026-02\",\"value\":null}]}]}");
	free(body);
}

Test(webhook, hidden_values_are_json_null)
{
	struct notice x = sample();
	json_t *j, *a;
	char *body;

	x.has_value = false;
	body = payload(WH_GENERIC, &x, 1, LOC_EN, 0, 0);
	j = json_loads(body, 0, NULL);
	cr_assert_not_null(j);
	a = json_array_get(json_object_get(j, "alerts"), 0);
	cr_assert(json_is_null(json_object_get(a, "value")));
	cr_assert(json_is_number(json_object_get(a, "threshold")));
	cr_assert(json_is_null(json_object_get(a, "summary")),
	    "a summary quotes the value: none beside a hidden one");
	json_decref(j);
	free(body);
	body = payload(WH_SLACK, &x, 1, LOC_EN, 0, 0);
	cr_assert_null(strstr(body, x.summary), "%s", body);
	free(body);
}

Test(webhook, alertmanager_url_gets_the_api_path_once)
{
	struct webhook_config w = { .name = (char *)"am", .format = WH_ALERTMANAGER,
	    .url = (char *)"http://127.0.0.1:9093/" };
	char *u = webhook_post_url(&w);

	cr_assert_str_eq(u, "http://127.0.0.1:9093/api/v2/alerts");
	free(u);
	w.url = (char *)"http://am.example.org/api/v2/alerts";
	u = webhook_post_url(&w);
	cr_assert_str_eq(u, "http://am.example.org/api/v2/alerts");
	free(u);
	w.format = WH_GENERIC;
	w.url = (char *)"https://hooks.example.org/x";
	u = webhook_post_url(&w);
	cr_assert_str_eq(u, "https://hooks.example.org/x");
	free(u);
}

Test(webhook, alertmanager_alert_has_labels_annotations_and_ends_after_the_ttl)
{
	struct notice x = sample();
	char *body = payload(WH_ALERTMANAGER, &x, 1, LOC_FR, 1767225600, 3 * 3600);
	json_t *j = json_loads(body, 0, NULL), *a = json_array_get(j, 0), *l, *an;

	cr_assert_eq(json_array_size(j), 1);
	l = json_object_get(a, "labels");
	an = json_object_get(a, "annotations");
	cr_assert_str_eq(json_string_value(json_object_get(l, "alertname")), "absenteeism-rate");
	cr_assert_str_eq(json_string_value(json_object_get(l, "unit")), "acme/nancy/logistics");
	cr_assert_str_eq(json_string_value(json_object_get(l, "severity")), "critical");
	cr_assert_str_eq(json_string_value(json_object_get(l, "team")), "rps");
	cr_assert_str_eq(json_string_value(json_object_get(l, "bad_key")), "x");
	cr_assert_str_eq(json_string_value(json_object_get(an, "summary")), "Absentéisme de 12,6 %");
	cr_assert_str_eq(json_string_value(json_object_get(an, "guidance")), "Rencontrer le manager");
	cr_assert_str_eq(json_string_value(json_object_get(an, "title")), "Taux d'absentéisme élevé");
	cr_assert_str_eq(json_string_value(json_object_get(a, "endsAt")), "2026-01-01T03:00:00Z");
	json_decref(j);
	free(body);
}

Test(webhook, alertmanager_escalation_ends_the_previous_severity_and_resolution_ends_now)
{
	struct notice x = sample();
	char *body;
	json_t *j;

	x.kind = (char *)"escalated";
	x.prev_severity = (char *)"warning";
	body = payload(WH_ALERTMANAGER, &x, 1, LOC_EN, 1767225600, 600);
	j = json_loads(body, 0, NULL);
	cr_assert_eq(json_array_size(j), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(j, 0),
	    "labels"), "severity")), "warning");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "endsAt")),
	    "2026-01-01T00:00:00Z");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 1), "endsAt")),
	    "2026-01-01T00:10:00Z");
	json_decref(j);
	free(body);

	x.kind = (char *)"resolved";
	x.prev_severity = (char *)"critical";
	body = payload(WH_ALERTMANAGER, &x, 1, LOC_EN, 1767225600, 600);
	j = json_loads(body, 0, NULL);
	cr_assert_eq(json_array_size(j), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "endsAt")),
	    "2026-01-01T00:00:00Z");
	json_decref(j);
	free(body);
}

Test(webhook, slack_has_text_and_blocks_with_escaped_mrkdwn)
{
	struct notice x = sample();
	char *body;
	json_t *j, *blocks;

	x.summary = (char *)"a <b> & c";
	body = payload(WH_SLACK, &x, 1, LOC_EN, 0, 0);
	j = json_loads(body, 0, NULL);
	cr_assert(json_is_string(json_object_get(j, "text")));
	blocks = json_object_get(j, "blocks");
	cr_assert_eq(json_array_size(blocks), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(blocks, 0), "type")), "header");
	cr_assert_not_null(strstr(json_string_value(json_object_get(json_object_get(
	    json_array_get(blocks, 1), "text"), "text")), "a &lt;b&gt; &amp; c"));
	json_decref(j);
	free(body);
}

Test(webhook, teams_is_an_adaptive_card_1_4_in_a_message)
{
	struct notice x = sample();
	char *body = payload(WH_TEAMS, &x, 1, LOC_FR, 0, 0);
	json_t *j = json_loads(body, 0, NULL), *att, *card;

	cr_assert_str_eq(json_string_value(json_object_get(j, "type")), "message");
	att = json_array_get(json_object_get(j, "attachments"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(att, "contentType")),
	    "application/vnd.microsoft.card.adaptive");
	card = json_object_get(att, "content");
	cr_assert_str_eq(json_string_value(json_object_get(card, "type")), "AdaptiveCard");
	cr_assert_str_eq(json_string_value(json_object_get(card, "version")), "1.4");
	cr_assert_gt(json_array_size(json_object_get(card, "body")), 1);
	json_decref(j);
	free(body);
}

static char *render(enum webhook_format f, enum webhook_detail d, const struct notice *v,
    size_t n, const char *web_url)
{
	struct webhook_render r = { .format = f, .detail = d, .loc = LOC_FR,
	    .now = 1767225600, .am_ttl_s = 600, .instance = "rps-prod", .web_url = web_url };

	return webhook_payload(&r, v, n);
}

/* SPEC 9: minimal sends no value, history, summary or guidance, whatever
 * the receiver; full (generic's default) sends them all. */
Test(webhook, minimal_payloads_carry_no_figure_summary_or_guidance)
{
	static const enum webhook_format fmts[] = { WH_GENERIC, WH_SLACK, WH_TEAMS,
	    WH_MATTERMOST, WH_ALERTMANAGER };
	static const char *const banned[] = { "12", "9,5", "9.5", "9,0", "seuil", "threshold",
	    "Absentéisme de", "Rencontrer", "history", "summary", "guidance", "Valeur",
	    "\"value\":9", "\"value\":1", "\"value\":null", "hidden", "Depuis", "since" };
	struct notice x = sample();

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char *body = render(fmts[i], DETAIL_MINIMAL, &x, 1, NULL);

		for (size_t k = 0; k < sizeof(banned) / sizeof(banned[0]); k++)
			cr_expect_null(strstr(body, banned[k]), "format %d carries \"%s\": %s",
			    (int)fmts[i], banned[k], body);
		cr_expect_not_null(strstr(body, "Taux d'absentéisme élevé"), "%s", body);
		cr_expect_not_null(strstr(body, "acme/nancy/logistics"), "%s", body);
		cr_expect_not_null(strstr(body, "2026-02"), "%s", body);
		free(body);
		body = render(fmts[i], DETAIL_FULL, &x, 1, NULL);
		cr_expect_not_null(strstr(body, "Rencontrer"), "format %d in full: %s", (int)fmts[i], body);
		free(body);
	}
}

Test(webhook, minimal_generic_keys_and_the_link_to_the_console)
{
	struct notice x = sample();
	char *body = render(WH_GENERIC, DETAIL_MINIMAL, &x, 1, "https://vigie.example.org/");
	json_t *j = json_loads(body, 0, NULL), *a = json_array_get(json_object_get(j, "alerts"), 0);
	const char *k;
	json_t *v;
	char keys[256] = "";

	json_object_foreach(a, k, v) {
		strcat(keys, k);
		strcat(keys, " ");
	}
	cr_assert_str_eq(keys, "id event rule title unit period severity labels url ");
	cr_assert_str_eq(json_string_value(json_object_get(a, "url")),
	    "https://vigie.example.org/alerts/absenteeism-rate@acme/nancy/logistics");
	json_decref(j);
	free(body);
	body = render(WH_GENERIC, DETAIL_MINIMAL, &x, 1, NULL);
	cr_assert_null(strstr(body, "\"url\""));
	free(body);
}

Test(webhook, alertmanager_alerts_carry_the_instance_label)
{
	struct notice x = sample();
	char *body = render(WH_ALERTMANAGER, DETAIL_MINIMAL, &x, 1, NULL);
	json_t *j = json_loads(body, 0, NULL);

	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(j, 0),
	    "labels"), "instance")), "rps-prod");
	json_decref(j);
	free(body);
}

Test(webhook, slack_top_level_text_is_escaped_like_the_blocks)
{
	struct notice x = sample();
	char *body;
	json_t *j;

	x.title = (char *)"Q&A <b>";
	body = render(WH_SLACK, DETAIL_MINIMAL, &x, 1, NULL);
	j = json_loads(body, 0, NULL);
	cr_assert_str_eq(json_string_value(json_object_get(j, "text")),
	    "[Vigie] critique\xe2\x80\xaf: Q&amp;A &lt;b&gt; — acme/nancy/logistics");
	json_decref(j);
	free(body);
}

Test(webhook, mattermost_has_text_and_attachments)
{
	struct notice x = sample();
	char *body = render(WH_MATTERMOST, DETAIL_FULL, &x, 1, "https://v.example.org");
	json_t *j = json_loads(body, 0, NULL), *a;

	cr_assert_not_null(j, "%s", body);
	cr_assert_null(json_object_get(j, "blocks"));
	cr_assert(json_is_string(json_object_get(j, "text")));
	a = json_array_get(json_object_get(j, "attachments"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(a, "color")), "#b3261e");
	cr_assert_str_eq(json_string_value(json_object_get(a, "title")),
	    "[critique] Taux d'absentéisme élevé");
	cr_assert_str_eq(json_string_value(json_object_get(a, "title_link")),
	    "https://v.example.org/alerts/absenteeism-rate@acme/nancy/logistics");
	cr_assert(json_is_string(json_object_get(a, "fallback")));
	cr_assert_eq(json_array_size(json_object_get(a, "fields")), 5);
	cr_assert_not_null(strstr(json_string_value(json_object_get(a, "text")), "Rencontrer"));
	json_decref(j);
	free(body);
}

/* A message is split in order at its receiver's limit, each part a whole
 * message; the same notices always give the same parts. */
Test(webhook, messages_split_in_order_at_the_receiver_limit)
{
	enum { N = 130 };
	struct notice *v = calloc(N, sizeof(*v));
	char units[N][32];
	size_t np, np2;
	char **p, **p2;

	for (size_t i = 0; i < N; i++) {
		v[i] = sample();
		snprintf(units[i], sizeof(units[i]), "acme/u%03zu", i);
		v[i].unit = units[i];
	}
	struct webhook_render r = { .format = WH_TEAMS, .detail = DETAIL_FULL, .loc = LOC_FR };
	p = webhook_parts(&r, v, N, &np);
	cr_assert_gt(np, 1);
	size_t seen = 0;
	for (size_t k = 0; k < np; k++) {
		char want[32];
		json_t *j = json_loads(p[k], 0, NULL);
		json_t *body = json_object_get(json_object_get(json_array_get(json_object_get(j,
		    "attachments"), 0), "content"), "body");

		cr_assert_leq(strlen(p[k]), 28000, "part %zu: %zu bytes", k, strlen(p[k]));
		snprintf(want, sizeof(want), " (%zu/%zu)", k + 1, np);
		cr_assert_not_null(strstr(json_string_value(json_object_get(json_array_get(body, 0),
		    "text")), want));
		for (size_t i = 1; i < json_array_size(body); i++, seen++) {
			char *c = json_dumps(json_array_get(body, i), 0);

			cr_assert_not_null(c);
			cr_assert_not_null(strstr(c, units[seen]), "part %zu, notice %zu", k, i);
			free(c);
		}
		json_decref(j);
	}
	cr_assert_eq(seen, N);
	p2 = webhook_parts(&r, v, N, &np2);
	cr_assert_eq(np2, np);
	for (size_t k = 0; k < np; k++)
		cr_assert_str_eq(p[k], p2[k]);
	webhook_parts_free(p, np);
	webhook_parts_free(p2, np2);

	r.format = WH_SLACK;
	p = webhook_parts(&r, v, N, &np);
	cr_assert_eq(np, 3);
	for (size_t k = 0; k < np; k++) {
		json_t *j = json_loads(p[k], 0, NULL);

		cr_assert_leq(json_array_size(json_object_get(j, "blocks")), 50);
		json_decref(j);
	}
	webhook_parts_free(p, np);
	r.format = WH_GENERIC;
	p = webhook_parts(&r, v, N, &np);
	cr_assert_eq(np, 1);
	webhook_parts_free(p, np);
	free(v);
}

/* A rule that states observed and expected (SPEC 16): chat messages show
 * them, as the email does, never the score; Alertmanager adds them to the
 * annotations beside the rule's value. */
Test(webhook, observed_against_expected_not_the_score)
{
	struct notice x = sample();
	static const enum webhook_format fmts[] = { WH_SLACK, WH_TEAMS, WH_MATTERMOST };

	x.value = 0.000312;
	x.threshold = 0.001;
	x.has_observed = true;
	x.observed = 7;
	x.has_expected = true;
	x.expected = 0.9;
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char *body = payload(fmts[i], &x, 1, LOC_FR, 0, 0);

		cr_assert_not_null(strstr(body, "observé 7, attendu 0,9"), "%s", body);
		cr_assert_null(strstr(body, "seuil 0"), "%s", body);
		free(body);
	}
	char *body = payload(WH_ALERTMANAGER, &x, 1, LOC_FR, 1767225600, 3600);
	json_t *j = json_loads(body, 0, NULL);
	json_t *ann = json_object_get(json_array_get(j, 0), "annotations");
	cr_assert_str_eq(json_string_value(json_object_get(ann, "observed")), "7");
	cr_assert_str_eq(json_string_value(json_object_get(ann, "expected")), "0.9");
	json_decref(j);
	free(body);
}
