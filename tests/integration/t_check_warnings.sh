#!/usr/bin/env bash
# What a rule file's author does not see fail, the checks say (warnings,
# exit 0, as SPEC 1 and 5 let a rule file be valid whatever a deployment
# defines): guidance written for a role the rule does not notify, which
# no one would read, with the closest role it notifies; and a file of the
# rules folder that is not read (*.yml), whose rules would silently not
# exist; a rule's min_headcount below the configuration's floor, which
# applies all the same; a standard deviation, slope, z-score or dispersion
# over a window of one period, undefined at every period; an empty notify,
# whose alerts no one but a shell user would ever see; a threshold the
# rule's value can never cross, or crosses whenever it is defined (a
# percentage where the value is a probability). vigie check on the
# folder, vigie check and vigied --check through a configuration, and
# vigied --once.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
cat >"$T/rules.d/a.yaml" <<'YAML'
rules:
  - id: g
    title: G
    value: conflicts
    above: { warning: 2 }
    notify: [social-worker, hr]
    guidance:
      rh: Parler au manager.
      social-worker: Proposer une médiation.
      default: Pour toute question, s'adresser au service social.
  - id: d
    title: D
    value: conflicts
    above: { warning: 2 }
    guidance:
      direction: Informer.
YAML
sed 's/id: g$/id: g2/; s/id: d$/id: d2/' "$T/rules.d/a.yaml" >"$T/rules.d/b.yml"
w1='a.yaml:8:7: warning: rule "g" has guidance for "rh", a role it does not notify: no one reads it (did you mean "hr"?)'
w2='a.yaml:16:7: warning: rule "d" has guidance for "direction", a role it does not notify (it has no notify: default_notify): no one reads it'
w3='b.yml: warning: not read: only the files named *.yaml of a rules folder are rule files (rename it to end in .yaml)'

cd "$T/rules.d"
expect_exit 0 "$VIGIE" check .
expect_eq "$(cat "$T/out")" "ok: 2 rules in 1 file (.), with 3 warnings on standard error"
expect_eq "$(cat "$T/err")" "./$w1
./$w2
./$w3"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
for w in "$w1" "$w2" "$w3"; do expect_grep "$T/rules.d/$w" "$T/err"; done
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
for w in "$w1" "$w2" "$w3"; do expect_grep "$T/rules.d/$w" "$T/err"; done
# A run from a timer (vigied --once) logs them as the daemon does at start.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
for w in "$w1" "$w2" "$w3"; do expect_grep "$T/rules.d/$w" "$T/err"; done

# Fixed: nothing to say.
sed -i 's/^      rh:/      hr:/; s/^      direction:/      hr:/' a.yaml b.yml
mv b.yml b.yaml
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"
expect_grep "ok: 4 rules in 2 files" "$T/out"

# A rule's min_headcount below the configuration's floor changes nothing
# (SPEC 3: a rule raises the floor, never lowers it): said, with the floor
# that applies, where the configuration is known.
cat >c.yaml <<'YAML'
rules:
  - id: small
    title: Small
    value: conflicts
    above: { warning: 2 }
    min_headcount: 4
YAML
echo "min_headcount: 6" >>"$T/vigie.yaml"
w4="$T/rules.d/c.yaml:6:20: warning: rule \"small\": min_headcount 4 is below the anonymity floor of $T/vigie.yaml (6), which applies: a rule can raise the floor, never lower it"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_eq "$(cat "$T/err")" "$w4"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(cat "$T/err")" "$w4"
# The file named alone: against the configuration named, else the
# defaults' floor of 5.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check c.yaml
expect_eq "$(cat "$T/err")" "c.yaml:6:20: warning: rule \"small\": min_headcount 4 is below the anonymity floor of $T/vigie.yaml (6), which applies: a rule can raise the floor, never lower it"
expect_exit 0 env -u VIGIE_CONFIG "$VIGIE" check c.yaml
expect_eq "$(cat "$T/err")" "c.yaml:6:20: warning: rule \"small\": min_headcount 4 is below the anonymity floor of the default configuration (5), which applies: a rule can raise the floor, never lower it"
sed -i 's/min_headcount: 4/min_headcount: 6/' c.yaml
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"

# Valid, but cannot mean what it says: one value has no spread, and a rule
# that notifies no role is seen by no one (nor counted in the report).
cat >e.yaml <<'YAML'
rules:
  - id: one
    title: One
    value: zscore(conflicts, 1) + stddev(conflicts, 1, 2) + slope(conflicts, 1)
    above: { warning: 2 }
  - id: spread
    title: Spread
    value: dispersion(conflicts, headcount, 1) + stddev(conflicts, 2)
    above: { warning: 2 }
    notify: []
YAML
w5="$T/rules.d/e.yaml:4:30: warning: zscore() over a window of 1 period is undefined at every period (it needs 2 values or more); use a window of 2 periods or more
$T/rules.d/e.yaml:4:53: warning: stddev() over a window of 1 period is undefined at every period (it needs 2 values or more); use a window of 2 periods or more
$T/rules.d/e.yaml:4:78: warning: slope() over a window of 1 period is undefined at every period (it needs 2 values or more); use a window of 2 periods or more
$T/rules.d/e.yaml:8:45: warning: dispersion() over a window of 1 period is undefined at every period (it needs 2 values or more); use a window of 2 periods or more
$T/rules.d/e.yaml:10:13: warning: \"notify\" names no role: the rule's alerts reach no one (no email or webhook, no console user, not the works council's report) and only vigie alerts lists them; name a role, or set \"enabled: false\" to stop the rule"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_eq "$(cat "$T/err")" "$w5"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(cat "$T/err")" "$w5"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
for w in zscore stddev slope dispersion '"notify" names no role'; do
	expect_grep "$w" "$T/err"
done
# An expression with an error says the error, not a warning besides it.
sed -i 's/stddev(conflicts, 2)/stddev(conflicts, 2) +/' e.yaml
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep 'e.yaml:8:72: error: expected an expression after "+"' "$T/err"
grep -q 'dispersion() over' "$T/err" && fail "a warning beside the error: $(cat "$T/err")"
sed -i 's/stddev(conflicts, 2) +/stddev(conflicts, 2)/; s/, 1)/, 2)/g; s/, 1, 2)/, 2, 2)/; s/notify: \[\]/notify: [hr]/' e.yaml
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"

# A threshold the value can never cross, or always crosses: a probability
# is between 0 and 1 (5 % written as 5 fires on every team, every month),
# a comparison 0 or 1, a count of 6 months at most 6. The shipped library
# says nothing, nor does a comparison above 0.
cat >p.yaml <<'YAML'
rules:
  - id: percent
    title: Percent
    value: poisson_tail(sum(conflicts, 3), 0.5)
    below: { warning: 5, critical: 0.001 }
  - id: capped
    title: Capped
    value: least(1, 20 * nbinom_tail(conflicts, 0.5, 0.1))
    above: { warning: 1 }
  - id: flag
    title: Flag
    value: conflicts >= 3 and departures > 2
    above: { critical: 0 }
  - id: months
    title: Months
    value: count(conflicts, 6)
    above: { warning: 6 }
  - id: zero
    title: Zero
    value: poisson_tail(conflicts, 0.5)
    below: { warning: 0.01, critical: 0 }
  - id: stuck
    title: Stuck
    value: poisson_tail(conflicts, 0.5)
    below: { warning: 0.001, clear: 5 }
YAML
w6="$T/rules.d/p.yaml:5:23: warning: rule \"percent\": its value is always between 0 and 1, so below 5 whenever it is defined: \"warning: 5\" would fire on every unit with data, every period; a probability is written as a fraction: 5 % is 0.05
$T/rules.d/p.yaml:9:23: warning: rule \"capped\": its value is always between 0 and 1, never above 1: \"warning: 1\" can never fire
$T/rules.d/p.yaml:17:23: warning: rule \"months\": its value is always between 0 and 6, never above 6: \"warning: 6\" can never fire
$T/rules.d/p.yaml:21:39: warning: rule \"zero\": its value is always between 0 and 1, never below 0: \"critical: 0\" can never fire
$T/rules.d/p.yaml:25:37: warning: rule \"stuck\": its value is always between 0 and 1, so below 5 whenever it is defined: with \"clear: 5\" an alert would never resolve; a probability is written as a fraction: 5 % is 0.05"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_eq "$(cat "$T/err")" "$w6"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(cat "$T/err")" "$w6"
rm p.yaml
expect_exit 0 "$VIGIE" check "$SRC/etc/rules.d"
[ -s "$T/err" ] && fail "the shipped library warns: $(cat "$T/err")"

# Once an import has stored units, a scope that matches none of them (nor
# their ancestors) is said, with the closest glob that would: a rule's,
# which watches nothing through it, and a route's, through which no alert
# goes (the Nancy social worker would hear of nothing). A scope of the
# sites, which exist only through their teams, is not. (The rule's
# conflicts are imported: a rule reading an indicator no import has
# brought is t_unimported's.)
cat >"$T/units.csv" <<'CSV'
unit,period,headcount,conflicts
acme/nancy/a,2025-01,20,0
acme/metz/x,2025-01,20,1
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/units.csv"
cat >s.yaml <<'YAML'
rules:
  - id: nancy
    title: Nancy
    value: conflicts
    above: { warning: 2 }
    scope: ["acme/nanci/**", "*/*", "acme/metz/*"]
    notify: [hr]
YAML
cat >>"$T/vigie.yaml" <<'YAML'
smtp: { url: "smtp://127.0.0.1:1", from: v@example.org }
recipients:
  social-worker:
    - scope: [acme/metz, "acme/nanci/**"]
      email: [nancy@example.org]
    - email: [all@example.org]
  hr:
    - scope: "*"
      email: [hr@example.org]
YAML
line=$(grep -n 'acme/nanci' "$T/vigie.yaml" | cut -d: -f1)
w7="$T/vigie.yaml:$line:26: warning: recipients: social-worker: the scope \"acme/nanci/**\" matches none of the 5 units in the database (did you mean \"acme/nancy/**\"?): no alert is routed through it
$T/rules.d/s.yaml:6:13: warning: rule \"nancy\": the scope \"acme/nanci/**\" matches none of the 5 units in the database (did you mean \"acme/nancy/**\"?): no unit is watched through it"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_eq "$(cat "$T/err")" "$w7"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(cat "$T/err")" "$w7"
sed -i 's|acme/nanci/|acme/nancy/|' s.yaml "$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"

# The first route whose scope matches wins (SPEC 9): a route after a
# catch-all, or after a route that comes first for every unit it matches,
# takes no alert. The catch-all last is the form that works.
cat >>"$T/vigie.yaml" <<'YAML'
  ops:
    - email: [ops@example.org]
    - scope: "acme/metz/**"
      email: [metz-ops@example.org]
  direction:
    - scope: "acme/**"
      email: [d@example.org]
    - scope: [acme/nancy/a]
      email: [dn@example.org]
  dpo:
    - scope: "acme/nancy/**"
      email: [dpo-nancy@example.org]
    - email: [dpo@example.org]
YAML
l1=$(grep -n 'metz-ops' "$T/vigie.yaml" | cut -d: -f1)
l2=$(grep -n 'dn@' "$T/vigie.yaml" | cut -d: -f1)
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_eq "$(cat "$T/err")" "$T/vigie.yaml:$((l1 - 1)):14: warning: recipients: ops: route 2 takes no alert: route 1 (scope \"**\") comes before it for every unit it matches, and the first route whose scope matches wins; put the wider route after the narrower
$T/vigie.yaml:$((l2 - 1)):15: warning: recipients: direction: route 2 takes no alert: route 1 (scope \"acme/**\") comes before it for every unit it matches, and the first route whose scope matches wins; put the wider route after the narrower"
# Without a database, the catch-all is still seen.
sed -i "s|^database: .*|database: $T/none.db|" "$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_eq "$(cat "$T/err")" "$T/vigie.yaml:$((l1 - 1)):14: warning: recipients: ops: route 2 takes no alert: route 1 (scope \"**\") comes before it for every unit it matches, and the first route whose scope matches wins; put the wider route after the narrower"

# A metrics file in a folder that does not exist: every cycle would fail
# to write it; said by both checks, at the key.
sed -i '/^  ops:$/,$d' "$T/vigie.yaml"
printf 'metrics_file: %s/prom/vigie.prom\n' "$T" >>"$T/vigie.yaml"
l=$(grep -n '^metrics_file' "$T/vigie.yaml" | cut -d: -f1)
wm="$T/vigie.yaml:$l:15: warning: metrics_file: the folder $T/prom does not exist: every cycle would fail to write $T/prom/vigie.prom (create it; under systemd, give vigied's unit ReadWritePaths= to it, see contrib/node_exporter.md)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_eq "$(cat "$T/err")" "$wm"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(cat "$T/err")" "$wm"
mkdir "$T/prom"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"

# A file checked through a configuration whose recipients define hr: a
# rule that notifies "rh" (a role nowhere) beside guidance for hr is told
# the typo is in notify, not in the guidance; a theme label the works
# council report does not know (its alerts would count under the raw
# word) is said with the closest theme.
make_config "metrics_file: $T/prom/vigie.prom
smtp:
  url: smtp://127.0.0.1:25
  from: vigie@example.org
recipients:
  hr:
    - email: [rh@example.org]"
cat >"$T/typo.yaml" <<'YAML'
rules:
  - id: t
    title: T
    value: conflicts
    above: { warning: 2 }
    notify: [rh]
    guidance:
      hr: Parler au manager.
    labels: { theme: climate }
YAML
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check "$T/typo.yaml"
expect_eq "$(cat "$T/err")" "$T/typo.yaml:6:13: warning: rule \"t\" notifies \"rh\", a role that recipients: does not define: no one in that role is told
$T/typo.yaml:8:7: warning: rule \"t\" has guidance for \"hr\", a role it does not notify: no one reads it (it notifies \"rh\", which recipients: does not define: did you mean \"hr\" in notify?)
$T/typo.yaml:2:5: warning: rule \"t\": the theme label \"climate\" is none of the works council report's (absences, mouvements, accidents, climat, charge, sante, signaux-faibles): its alerts would be counted there under that word as written (did you mean \"climat\"?)"

# A text written as a mapping of languages that leaves out the locale's
# reads the other language: said at the mapping, once per text; a string
# is every locale's and is not warned of (vigie-rules(5)).
cat >"$T/lang.yaml" <<'YAML'
rules:
  - id: l
    title: { fr: Conflits }
    value: conflicts
    above: { warning: 2 }
    summary: { fr: "{{observed}} conflits", en: "{{observed}} conflicts" }
    guidance:
      hr: { fr: Parler au manager. }
      default: Ask the social worker.
YAML
expect_exit 0 "$VIGIE" check "$T/lang.yaml"
expect_eq "$(cat "$T/err")" ""
make_config "locale: en"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check "$T/lang.yaml"
expect_eq "$(cat "$T/err")" "$T/lang.yaml:3:12: warning: \"title\" has no \"en\" text: under locale en (vigie.yaml) readers see its \"fr\" text
$T/lang.yaml:8:11: warning: the guidance for role \"hr\" has no \"en\" text: under locale en (vigie.yaml) readers see its \"fr\" text"
exit 0
