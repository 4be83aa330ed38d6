#!/usr/bin/env bash
# The shipped rule library speaks the configured locale (vigie-rules(5),
# vigie.yaml(5) locale): with locale: en, the digests of the real vigied
# carry the English title, summary and guidance of each role, as written
# in etc/rules.d, and no French text of the library; with locale: fr, the
# same data gives the French texts and no English. On data that fires one
# rule (overtime-level: 400 hours of overtime a month for 10 people), the
# text part is checked byte for byte; on the demo company, many rules fire,
# and the English measure ("Observed: 8 (conflicts and grievances over 6
# months)") and indicators that moved are checked too.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
$PY -c 'import aiosmtpd, yaml' 2>/dev/null || { echo "python3-aiosmtpd or python3-yaml missing"; exit 77; }

sp=$(free_port)
printf 'unit,period,headcount,overtime_hours\n' >"$T/data.csv"
for m in 01 02 03; do
	printf 'acme/a,2026-%s,10,400\nacme/b,2026-%s,10,50\n' "$m" "$m" >>"$T/data.csv"
done
# run NAME LOCALE CSV...: vigied --once on a new database, mail in $T/NAME.
run() {
	local name=$1 loc=$2; shift 2
	mkdir -p "$T/$name"
	notify_smtpd "$T/$name" "$sp"
	cat >"$T/$name.yaml" <<YAML
database: $T/$name.db
rules: $SRC/etc/rules.d
locale: $loc
$(smtp_plain "$sp")
recipients:
  social-worker:
    - email: [sw@example.org]
  hr:
    - email: [drh@example.org]
YAML
	expect_exit 0 "$VIGIE" -c "$T/$name.yaml" import "$@"
	expect_exit 0 "$VIGIED" -c "$T/$name.yaml" --once
	notify_stop "$SMTPD_PID"
}
run en en "$T/data.csv"
run fr fr "$T/data.csv"
expect_eq "$(notify_count "$T/en") $(notify_count "$T/fr")" "2 2" "one digest per role"

$PY - "$T" "$SRC/etc/rules.d" <<'PY' || fail "the library's texts in the locale"
import email, email.policy, glob, html, os, re, sys
import yaml
sys.path.insert(0, os.environ["VIGIE_SRC"] + "/tests/integration")
import mailtext

t, lib = sys.argv[1:3]
rules = {r["id"]: r for f in sorted(glob.glob(lib + "/*.yaml"))
         for r in yaml.safe_load(open(f))["rules"]}


def texts(r, lang):
    """Every text of rule r a reader may see in lang, fixed parts only."""
    out = []
    for k in ("title", "measure", "summary"):
        if k in r:
            out += re.split(r"\{\{\w+\}\}", r[k][lang])
    g = r["guidance"]
    out += [g[lang]] if "fr" in g else [v[lang] for v in g.values()]
    for terms in (r.get("components", {}), r.get("compare", {})):
        out += [v.get(lang, k) for k, v in terms.items()]
    return [s.strip() for s in out if len(s.strip()) > 3]


def mail(path):
    msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    page = msg.get_body(preferencelist=("html",)).get_content()
    # What a reader reads in the HTML part, French spaces as spaces.
    seen = html.unescape(re.sub(r"<[^>]*>", " ", page))
    return msg["Subject"], mailtext.shown(text), seen


def absent(words, where, what):
    """No word of words in where, but in the alerts' ids (overtime-level@acme/a)."""
    for s in where:
        s = re.sub(r"[\w-]+@[\w/-]+", "", s.replace("\u202f", " ").replace("\u00a0", " "))
        for w in words:
            assert w.replace("\u202f", " ").replace("\u00a0", " ") not in s, \
                "%s: %r in %r" % (what, w, s[:2000])


ot = rules["overtime-level"]
role = {"sw": "social-worker", "drh": "hr"}
nb, nn = "\u00a0", "\u202f"
for who in ("sw", "drh"):
    subject, text, seen = mail(glob.glob("%s/en/*-%s@example.org.eml" % (t, who))[0])
    title = "Overtime above the pace of the annual overtime quota"
    assert title == ot["title"]["en"]
    summary = ("Overtime over 3 months: 40 h per employee per month, above the pace "
               "of the statutory annual overtime quota (220 h a year, about 18 h a month) (acme/a)")
    guidance = ot["guidance"][role[who]]["en"]
    assert guidance.startswith({"sw": "The team is consistently working beyond",
                                "drh": "Overtime is running above the pace"}[who]), guidance
    assert subject == "[Vigie] warning: %s — acme/a" % title, subject
    for line in ("* [warning] " + title, "  Summary: " + summary, "  Guidance: " + guidance):
        assert "\n" + line + "\n" in text, (line, text)
    for s in (title, summary, guidance):
        assert s in seen, ("HTML part", s, seen)
    absent([w for r in rules.values() for w in texts(r, "fr")], (subject, text, seen),
           "French in the English digest of " + who)

    subject, text, seen = mail(glob.glob("%s/fr/*-%s@example.org.eml" % (t, who))[0])
    title = "Heures supplémentaires au-delà du rythme du contingent"
    assert title == ot["title"]["fr"]
    summary = ("Heures supplémentaires sur 3" + nb + "mois" + nn + ": 40" + nb + "h par "
               "salarié et par mois, au-delà du rythme du contingent légal (220" + nb +
               "h par an, environ 18" + nb + "h par mois) (acme/a)")
    guidance = {"sw": "L'équipe travaille durablement au-delà du rythme du contingent "
                      "légal d'heures supplémentaires. La fatigue et les difficultés de "
                      "conciliation des temps de vie suivent souvent" + nn + ": en parler "
                      "avec le médecin du travail et rester disponible pour les salariés.",
                "drh": "Le volume d'heures supplémentaires dépasse le rythme du contingent "
                       "annuel (220" + nb + "heures par défaut)" + nn + ": au-delà, l'avis du "
                       "CSE et une contrepartie obligatoire en repos s'imposent. Revoir les "
                       "effectifs, les remplacements et la planification plutôt que "
                       "d'allonger le temps de travail."}[who]
    assert subject == "[Vigie] vigilance" + nn + ": %s — acme/a" % title, subject
    for line in ("* [vigilance] " + title, "  Résumé" + nn + ": " + summary,
                 "  Conseil" + nn + ": " + guidance):
        assert "\n" + line in text, (line, text)
    absent([w for r in rules.values() for w in texts(r, "en")], (subject, text, seen),
           "English in the French digest of " + who)
PY

# The demo company: the measure and the indicators that moved in English,
# and no French text of the library in any part of any digest.
run demo en "$SRC"/contrib/demo/valdis-*.csv
$PY - "$T/demo" "$SRC/etc/rules.d" <<'PY' || fail "the demo's digests in English"
import email, email.policy, glob, html, os, re, sys
import yaml
sys.path.insert(0, os.environ["VIGIE_SRC"] + "/tests/integration")
import mailtext

out, lib = sys.argv[1:3]
rules = [r for f in sorted(glob.glob(lib + "/*.yaml")) for r in yaml.safe_load(open(f))["rules"]]
french = []
for r in rules:
    for k in ("title", "measure"):
        if k in r:
            french.append(r[k]["fr"])
    french += [s.strip() for s in re.split(r"\{\{\w+\}\}", r["summary"]["fr"]) if len(s.strip()) > 3]
    g = r["guidance"]
    french += [g["fr"]] if "fr" in g else [v["fr"] for v in g.values()]
    french += list(r.get("components", {}))
got = ""
for path in sorted(glob.glob(out + "/*.eml")):
    msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    text = mailtext.shown(msg.get_body(preferencelist=("plain",)).get_content()
                          .replace("\r\n", "\n"))
    page = html.unescape(re.sub(r"<[^>]*>", " ", msg.get_body(preferencelist=("html",))
                                .get_content()))
    got += msg["Subject"] + "\n" + text + "\n" + page
for w in french:
    assert w not in got, "French text in an English digest: %r" % w
for line in ("* [critical] More conflicts and grievances than expected",
             "  Observed: 8 (conflicts and grievances over 6 months), expected: 0.22",
             "  Indicators that moved: conflicts and grievances, resignations",
             "  Summary: Conflicts and grievances over 6 months: 8, compared with 0.22 "
             "in a normal period, alongside short absences and resignations over the "
             "last 3 months (valdis/metz/restauration)"):
    assert "\n" + line + "\n" in got, (line, got)
PY
exit 0
