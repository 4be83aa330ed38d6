#!/usr/bin/python3
"""Screenshots of the demo's digests as a mail client shows them: the HTML
part of each email of OUT (what `VIGIE_DEMO_OUT=OUT make demo` keeps),
rendered by headless Chromium at 900 px (a desktop client) and 390 px (a
phone), the whole page. Writes DEST/digest-ROLE-WIDTH.png, ROLE being
named from the recipient (hr, social-service, social-worker-nancy).

usage: screenshots.py OUT DEST
"""
import email
import email.policy
import glob
import os
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

NAMES = {
    "drh@valdis.example": "hr",
    "service-social@valdis.example": "social-service",
    "assistante.sociale.nancy@valdis.example": "social-worker-nancy",
}


def html_parts(out):
    for path in sorted(glob.glob(os.path.join(out, "mail-*.eml"))):
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        rcpt = ",".join(msg.get_all("X-Demo-Rcpt", []))
        body = msg.get_body(preferencelist=("html",))
        yield NAMES.get(rcpt, rcpt.split("@")[0]), body.get_content()


def main():
    out, dest = sys.argv[1], sys.argv[2]
    opts = Options()
    opts.add_argument("--headless=new")
    opts.add_argument("--no-sandbox")
    opts.add_argument("--disable-gpu")
    opts.add_argument("--hide-scrollbars")
    opts.add_argument("--force-device-scale-factor=1")
    service = Service("/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=opts, service=service)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, html in html_parts(out):
                page = os.path.join(tmp, name + ".html")
                with open(page, "w", encoding="utf-8") as f:
                    f.write(html)
                for width in (900, 390):
                    driver.set_window_size(width, 800)
                    driver.get("file://" + page)
                    inner = driver.execute_script("return window.innerWidth")
                    # the viewport, not the window, is what must be WIDTH wide
                    driver.set_window_size(width + (width - inner), 800)
                    height = driver.execute_script(
                        "return document.documentElement.scrollHeight")
                    driver.set_window_size(width + (width - inner), height + 200)
                    png = os.path.join(dest, "digest-%s-%d.png" % (name, width))
                    driver.find_element("tag name", "html").screenshot(png)
                    print(png)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
