#!/usr/bin/env bash
# A team under the anonymity floor (SPEC 3) does not host its site's alert
# in a digest (SPEC 16): next to its « valeur masquée », the site's figure
# would read as the hidden team's (acme/s2/small, 4 people in March, still
# in alert since February; the site's 3 conflicts of March are all its
# own). The site's alert gets its own block, into which the company's
# folds, in the text and the HTML part; the team's signal has no summary,
# which would say « valeur masquée conflits signalés ».
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing"; exit 77; }

sp=$(free_port)
mkdir -p "$T/mail"
notify_smtpd "$T/mail" "$sp"
make_config "$(smtp_plain "$sp")
recipients:
  hr:
    - email: [drh@example.org]"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflits répétés"
    value: conflicts
    above: { warning: 2, critical: 5, clear: 1 }
    notify: [hr]
    summary: "{{value}} conflits signalés en {{period}}"
YAML
cat >"$T/data.csv" <<'CSV'
unit,period,headcount,conflicts
acme/s2/small,2026-01,6,0
acme/s2/small,2026-02,6,3
acme/s2/small,2026-03,4,3
acme/s2/big,2026-01,30,0
acme/s2/big,2026-02,30,0
acme/s2/big,2026-03,30,0
acme/s2/dom,2026-01,10,0
acme/s2/dom,2026-02,10,0
acme/s2/dom,2026-03,10,0
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 1 "the digest"

$PY - "$T/mail" <<'PY' || fail "the site's alert in the hidden team's block"
import email, email.policy, glob, re, sys
import os; sys.path.insert(0, os.environ["VIGIE_SRC"] + "/tests/integration")
import mailtext

[path] = glob.glob(sys.argv[1] + "/*.eml")
msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
text = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
text = mailtext.shown(text)
page = msg.get_body(preferencelist=("html",)).get_content()

blocks = dict(b.split(" ==\n", 1) for b in text.split("\n== ")[1:])
assert sorted(blocks) == ["acme/s2", "acme/s2/small"], text
small = blocks["acme/s2/small"]
assert "valeur masquée" in small, small
assert "niveau supérieur" not in small and "acme/s2 [" not in small, small
assert "vigie ack conflicts-high@acme/s2 " not in small, small
# No summary beside the hidden value: « valeur masquée conflits signalés ».
assert "Résumé" not in small and "masquée conflits" not in text, small
assert "Résumé\u202f: 3\u00a0conflits signalés en 2026-03" in blocks["acme/s2"], text
assert "Aussi en alerte au niveau supérieur\u202f: acme [vigilance]" in blocks["acme/s2"], text
assert "\n* [vigilance] Conflits répétés\n" in blocks["acme/s2"], text

h2 = re.findall(r"<h2[^>]*>([^<]*)</h2>", page)
assert h2 == ["acme/s2", "acme/s2/small"], h2
hsmall = page[page.index(">acme/s2/small</h2>"):]
assert "niveau supérieur" not in hsmall and "acme/s2 [" not in hsmall, hsmall
assert "Résumé" not in hsmall and "masquée conflits" not in page, hsmall
PY
exit 0
