#!/usr/bin/env bash
# The console's report form for a group (vigie-web(8), SPEC 15): with
# several top-level units (companies, each with its own works council)
# HR's form offers the whole group, worded « Tout le groupe » ("The whole
# group" under locale: en), each company and each of their sites, and a
# company's download is vigie report --unit for it; a social worker
# scoped to one site still sees that site alone and gets nothing else
# (404), and an account scoped to one company gets that company, not the
# group nor the other company.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
make_config "smtp:
  url: smtp://127.0.0.1:9
  from: vigie@example.org
  timeout: 1s
recipients:
  social-worker:
    - scope: [\"beta/nantes\", \"beta/nantes/**\"]
      email: [as@example.org]
  hr:
    - email: [drh@example.org]
  manager:
    - scope: [\"alpha\", \"alpha/**\"]
      email: [dir-alpha@example.org]
web:
  listen: 127.0.0.1:$PORT"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflits répétés"
    value: conflicts
    above: { warning: 2, critical: 5, clear: 1 }
    scope: "*/*/*"
    notify: [hr]
YAML
# Two companies, three sites, a department of two teams: 12 months.
{
	echo "unit,period,headcount,workable_days,absence_days,departures,conflicts"
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		i=${m#0}
		for t in alpha/lyon/a:30 alpha/lyon/prod/x:12 alpha/lyon/prod/y:14 \
			alpha/paris/c:26 beta/nantes/d:18 beta/nantes/e:22; do
			u=${t%%:*} h=${t##*:}
			echo "$u,2025-$m,$h,$((h * 21)),$((h + i % 7)),$((i % 3)),$(( (i * 7 + h) % 4 ))"
		done
	done
} >"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
web_user rh hr
web_user as social-worker
web_user dir manager
web_start
opts() { sed -n 's/.*<option value="\([^"]*\)"[^>]*>\([^<]*\)<\/option>.*/\1=\2/p' "$T/b" |
	grep -v '^20[0-9][0-9]-\|^pdf=\|^html=\|^json=' | tr '\n' '|'; }

# ---- HR: the group, each company and each site
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "rh logs in"
expect_eq "$(req "$J" GET /report)" 200 "HR's form"
expect_grep "<option value=\"\" selected>Tout le groupe</option>" "$T/b"
expect_no_grep "Toute l'entreprise" "$T/b"
expect_eq "$(opts)" "=Tout le groupe|alpha=alpha|alpha&#x2F;lyon=alpha/lyon|alpha&#x2F;paris=alpha/paris|beta=beta|beta&#x2F;nantes=beta/nantes|" \
	"the units HR is offered"
tok=$(csrf "$J" /report)
SPAN="from=2025-01&to=2025-12"
cli() { "$VIGIE" -c "$T/vigie.yaml" report --from 2025-01 --to 2025-12 "$@"; }
expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&unit=beta&format=html")" 200 "a company's report"
expect_exit 0 cli --unit beta -o "$T/beta.html"
cmp "$T/beta.html" "$T/b" || fail "the console's report of beta differs from vigie report --unit beta"
expect_grep "beta/nantes" "$T/b"
expect_no_grep "alpha/lyon" "$T/b"
expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&unit=&format=html")" 200 "the group's report"
expect_exit 0 cli -o "$T/group.html"
cmp "$T/group.html" "$T/b" || fail "the console's group report differs from vigie report's"

# ---- a social worker of one site: that site alone, as before
J2=$T/jar2
expect_eq "$(login "$J2" as)" 303 "as logs in"
expect_eq "$(req "$J2" GET /report)" 200 "the social worker's form"
expect_eq "$(opts)" "beta&#x2F;nantes=beta/nantes|" "the units the social worker is offered"
expect_no_grep "groupe</option>" "$T/b"
tok2=$(csrf "$J2" /report)
for u in beta alpha alpha/lyon ""; do
	expect_eq "$(req "$J2" POST /report --data "csrf=$tok2&$SPAN&unit=$u&format=html")" 404 "'$u' out of the social worker's scope"
done
expect_eq "$(req "$J2" POST /report --data "csrf=$tok2&$SPAN&unit=beta/nantes&format=json")" 200 "the site's report"

# ---- an account scoped to one company: that company, not the group
J3=$T/jar3
expect_eq "$(login "$J3" dir)" 303 "dir logs in"
expect_eq "$(req "$J3" GET /report)" 200 "the company director's form"
expect_eq "$(opts)" "alpha=alpha|" "the units the company's account is offered"
tok3=$(csrf "$J3" /report)
for u in beta beta/nantes ""; do
	expect_eq "$(req "$J3" POST /report --data "csrf=$tok3&$SPAN&unit=$u&format=html")" 404 "'$u' out of the company's scope"
done
web_stop

# ---- in English
sed -i 's/^database:/locale: en\ndatabase:/' "$T/vigie.yaml"
web_start
J4=$T/jar4
expect_eq "$(login "$J4" rh)" 303 "rh logs in (English)"
expect_eq "$(req "$J4" GET /report)" 200 "HR's form in English"
expect_grep '<option value="" selected>The whole group</option>' "$T/b"
expect_grep '<option value="alpha">alpha</option>' "$T/b"
web_stop
exit 0
