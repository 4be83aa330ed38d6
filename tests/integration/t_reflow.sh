#!/usr/bin/env bash
# The HTML that people read on a phone reflows (WCAG 1.4.10): in headless
# Chromium 320 px wide, the works council report (vigie report --format
# html, on the demo company) and the HTML part of each of the demo's
# digests scroll only vertically; a wide table may scroll by itself (a
# data table is two-dimensional), never the page.
# Skipped (77) only where Chromium, chromedriver or Selenium is missing.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

for t in chromium chromedriver; do
	command -v $t >/dev/null || { echo "$t is not installed (apt-get install chromium chromium-driver)"; exit 77; }
done
$PY -c 'import selenium' 2>/dev/null || { echo "python3-selenium is not installed"; exit 77; }

cat >"$T/vigie.yaml" <<YAML
database: $T/vigie.db
rules: $SRC/etc/rules.d
YAML
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-*.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" report --from 2025-11 --to 2026-10 --format html \
	-o "$T/report.html"

# The demo's digests, as the local SMTP server received them.
VIGIE_DEMO_OUT="$T/received" "$SRC/contrib/demo/demo.sh" "$VIGIE_BIN" >"$T/demo.log" 2>&1 ||
	{ cat "$T/demo.log" >&2; fail "make demo failed"; }
$PY - "$T/received" <<'PY' || fail "the digests' HTML parts"
import email, email.policy, glob, sys
n = 0
for path in sorted(glob.glob(sys.argv[1] + "/mail-*.eml")):
    msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    open(path[:-4] + ".html", "w").write(msg.get_body(preferencelist=("html",)).get_content())
    n += 1
assert n >= 3, n
PY

mkdir -p "$T/profile"
$PY - "$T/profile" "$T/report.html" "$T"/received/mail-*.html <<'PY' || fail "the HTML does not reflow at 320 px"
import os, shutil, sys
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

opts = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--no-first-run", "--disable-extensions",
          # a phone's scroll bars take no room
          "--hide-scrollbars", "--user-data-dir=" + sys.argv[1]):
    opts.add_argument(a)
opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
d = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver",
                                     log_output=os.devnull), options=opts)
try:
    d.set_window_size(320, 900)
    for page in sys.argv[2:]:
        d.get("file://" + page)
        inner = d.execute_script("return document.documentElement.clientWidth")
        assert inner == 320, inner
        # what sticks out of the page, outside an element that scrolls by itself
        wide = d.execute_script("""
            var W = document.documentElement.clientWidth, out = [];
            document.querySelectorAll('body *').forEach(function (e) {
                for (var p = e.parentElement; p; p = p.parentElement)
                    if (getComputedStyle(p).overflowX == 'auto') return;
                var r = e.getBoundingClientRect();
                if (r.width > 0 && r.right > W + 1)
                    out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right) + ' > ' + W);
            });
            return [document.documentElement.scrollWidth, W, out.slice(0, 5)];""")
        assert wide[0] <= wide[1] and not wide[2], (os.path.basename(page), wide)
        print(os.path.basename(page), "reflows:", wide[:2])
finally:
    d.quit()
PY
echo "PASS t_reflow"
