#!/usr/bin/env bash
# What a feature uses is required (SPEC 7), and refused at load, not at
# delivery: a route with email: and no smtp: section is a configuration
# error for `vigied --check` and the daemon (exit 78) and for `vigie check`
# (exit 1), in the FILE:LINE:COL: error: style, pointing at the route and
# saying what to add, as a route naming an undefined webhook is; and so is
# an SMTP login with only half of it.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "recipients:
  hr:
    - email: [drh@example.org]"
msg="$T/vigie.yaml:7:7: error: email needs an smtp: section to send with: add one with url: and from: (see vigie.yaml(5)), or route this role elsewhere"

expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(cat "$T/err")" "$msg" "vigied --check"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml"
expect_grep "$msg" "$T/err"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$msg" "$T/err"
[ -e "$T/vigie.db" ] && fail "the database was created from an invalid configuration"

# The undefined webhook, for comparison: the same exits.
make_config "recipients:
  hr:
    - webhook: [chat]"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep 'error: unknown webhook "chat"' "$T/err"
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check

# With the section, the same routes are valid.
make_config "smtp:
  url: smtp://127.0.0.1:25
  from: vigie@example.org
recipients:
  hr:
    - email: [drh@example.org]"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check

# Half a login: a user name without a password, or a password without a
# user name, would make libcurl send no AUTH at all.
make_config "smtp:
  url: smtp://127.0.0.1:25
  from: vigie@example.org
  username: vigie"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(cat "$T/err")" "$T/vigie.yaml:8:13: error: smtp.username needs smtp.password_file or smtp.password_credential: without a password no login is made"
printf 'secret\n' >"$T/pw"
chmod 600 "$T/pw"
make_config "smtp:
  url: smtp://127.0.0.1:25
  from: vigie@example.org
  password_file: $T/pw"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(cat "$T/err")" "$T/vigie.yaml:8:18: error: smtp.password_file needs smtp.username: without it no login is made"
exit 0
