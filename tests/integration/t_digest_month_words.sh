#!/usr/bin/env bash
# A digest's last 12 periods say, month by month, why a month has no figure
# (vigied(8), « Dernières périodes »): « masquée » where the team was
# under the anonymity floor (SPEC 3: 3 people in June, 4 in February),
# « pas de données » where it sent nothing (July) or the data has not
# begun (April), « non calculée » where the rule's guard fails (September,
# 8 people: when: headcount > 8). No figure of a hidden month shows (97
# and 83 conflicts, an expected 0.3 and 0.4): not in the text part, the
# HTML chart, observed or expected, nor the webhook. In French, then in
# English.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing"; exit 77; }

mkdir -p "$T/rules.d"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflits répétés"
    value: conflicts
    when: headcount > 8
    above: { warning: 2, critical: 5, clear: 1 }
    scope: "acme/*/*"
    notify: [hr]
  - id: conflicts-rate
    title: "Taux de conflits"
    value: conflicts / headcount * 100
    observed: conflicts
    expected: headcount * 0.1
    above: { warning: 20 }
    scope: "acme/*/*"
    notify: [hr]
YAML
{
	echo "unit,period,headcount,conflicts"
	for m in 2025-05 2025-06 2025-07 2025-08 2025-09 2025-10 2025-11 2025-12 \
		2026-01 2026-02 2026-03; do
		echo "acme/s/u,$m,30,1"
		echo "acme/s/v,$m,30,1"
		case $m in
		2025-06) echo "acme/s/t,$m,3,97";;
		2025-07) ;;
		2025-09) echo "acme/s/t,$m,8,1";;
		2026-02) echo "acme/s/t,$m,4,83";;
		2026-03) echo "acme/s/t,$m,14,6";;
		*) echo "acme/s/t,$m,14,1";;
		esac
	done
} >"$T/data.csv"

for loc in fr en; do
	rm -rf "$T/vigie.db"* "$T/mail" "$T/hook.log"
	mkdir -p "$T/mail"
	sp=$(free_port)
	hp=$(free_port)
	notify_smtpd "$T/mail" "$sp"
	notify_webhook "$T/hook.log" "$hp"
	make_config "locale: $loc
$(smtp_plain "$sp")
webhooks:
  hook:
    url: http://127.0.0.1:$hp/hook
    timeout: 5s
recipients:
  hr:
    - email: [drh@example.org]
      webhook: [hook]"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	expect_eq "$(notify_sql "SELECT group_concat(status) FROM message")" "sent,sent" "$loc"
	notify_stop "$SMTPD_PID"
	notify_stop "$HOOK_PID"

	$PY - "$T/mail" "$loc" <<'PY' || fail "the months of the digest ($loc)"
import email, email.policy, glob, html, re, sys
import os; sys.path.insert(0, os.environ["VIGIE_SRC"] + "/tests/integration")
import mailtext

[path] = glob.glob(sys.argv[1] + "/*.eml")
fr = sys.argv[2] == "fr"
msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
text = mailtext.checked(msg.get_body(preferencelist=("plain",)).get_content()
                        .replace("\r\n", "\n"))
page = msg.get_body(preferencelist=("html",)).get_content()

# No figure of a hidden month, anywhere: its value or observed (97, 83
# conflicts), its expected (0.3, 0.4: a tenth of 3 and 4 people).
for part in (text, page):
    assert not re.search(r"\b(97|83)\b", part), part
    assert not re.search(r"\b0[,.][34]\b", part), part

NODATA, HIDDEN, NOTCOMP = (("pas de données", "masquée", "non calculée") if fr else
                           ("no data", "hidden", "not computed"))
months = ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10",
          "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
want = {
    "conflicts-high": [NODATA, "1", HIDDEN, NODATA, "1", NOTCOMP, "1", "1", "1", "1",
                       HIDDEN, "6"],
    # observed (expected): the guard is the other rule's
    "conflicts-rate": [NODATA, "1 (1.4)", HIDDEN, NODATA, "1 (1.4)", "1 (0.8)",
                       "1 (1.4)", "1 (1.4)", "1 (1.4)", "1 (1.4)", HIDDEN, "6 (1.4)"],
}
if fr:
    want["conflicts-rate"] = [w.replace(".", ",") for w in want["conflicts-rate"]]

# The text part: "2025-04 pas de données   2025-05 1   ..." under each
# signal, four a line.
blocks = {}
for b in text.split("\n* [")[1:]:
    rule = re.search(r"vigie ack ([a-z-]+)@", b).group(1)
    cells = []
    for line in b.split("\n"):
        if re.match(r"      \d{4}-\d{2} ", line):
            cells += re.findall(r"(\d{4}-\d{2}) (.+?)(?=   \d{4}-\d{2} |$)", line.strip())
    blocks[rule] = cells
assert sorted(blocks) == sorted(want), text
for rule, words in want.items():
    got = blocks[rule]
    assert [p for p, _ in got] == months, (rule, got)
    assert [w for _, w in got] == words, (rule, got, text)

# The HTML chart: one row per month, its figure or its word in the last cell.
names = {"fr": ["avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
                "janv.", "févr.", "mars"],
         "en": ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan",
                "Feb", "Mar"]}[sys.argv[2]]
signals = page.split('<div class="signal"')[1:]
assert len(signals) == 2, page
for sig in signals:
    rule = re.search(r"vigie ack ([a-z-]+)@", sig).group(1)
    rows = re.findall(r'<tr><td style="padding:0 8px 0 0;color:#555;white-space:nowrap">'
                      r'([^<]*)</td>.*?</table></td><td[^>]*>(.*?)</td></tr>', sig)
    assert [p.split("\u00a0")[0] for p, _ in rows] == names, (rule, rows)
    cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for _, c in rows]
    assert cells == want[rule], (rule, cells)
PY

	$PY - "$T/hook.log" <<'PY' || fail "the webhook ($loc)"
import json, sys
[post] = [json.loads(l) for l in open(sys.argv[1])]
body = post["body"]
body = json.loads(body) if isinstance(body, str) else body
assert "97" not in json.dumps(body) and "83" not in json.dumps(body), body
for a in body["alerts"]:
    h = {p["period"]: p["value"] for p in a["history"]}
    assert h["2025-06"] is None and h["2026-02"] is None and h["2025-07"] is None, a
PY
done

# A digest that waited for its mail server: July, without data when it was
# written, has since been imported with the team under the floor (3
# people, 55 conflicts): it goes out as « masquée », as it would be
# written today, and 55 shows nowhere.
rm -rf "$T/vigie.db"* "$T/mail"
mkdir -p "$T/mail"
sp=$(free_port)
make_config "$(smtp_plain "$sp")
recipients:
  hr:
    - email: [drh@example.org]"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT group_concat(status) FROM message")" "pending" "the server down"
printf 'unit,period,headcount,conflicts\nacme/s/t,2025-07,3,55\n' >"$T/late.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/late.csv"
notify_smtpd "$T/mail" "$sp"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT group_concat(status) FROM message WHERE cycle = 1")" "sent" "sent late"
$PY - "$T/mail" <<'PY' || fail "the waiting digest's July"
import email, email.policy, glob, re, sys
paths = sorted(glob.glob(sys.argv[1] + "/*.eml"))
msg = email.message_from_binary_file(open(paths[0], "rb"), policy=email.policy.default)
text = msg.get_body(preferencelist=("plain",)).get_content()
page = msg.get_body(preferencelist=("html",)).get_content()
for path in paths:
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    for part in ("plain", "html"):
        body = m.get_body(preferencelist=(part,)).get_content()
        assert not re.search(r"\b55\b", body), (path, body)
got = re.findall(r"(2025-0[67]) (pas de données|masquée|non calculée)", text)
assert got == [("2025-06", "masquée"), ("2025-07", "masquée")] * 2, (got, text)
rows = re.findall(r">juil\.\u00a02025</td>.*?</table></td><td[^>]*>([^<]*)</td>", page)
assert rows == ["masquée", "masquée"], rows
PY
exit 0
