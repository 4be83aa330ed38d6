#!/usr/bin/python3
"""Prints what the demo's receivers got: for each email its recipients, the
decoded subject and the text part; each webhook body pretty-printed.

usage: show.py OUT
"""
import email
import email.policy
import glob
import json
import os
import sys


def pretty(doc):
    """Indented JSON, with each alert's history on one line to stay short."""
    marks = {}
    for i, alert in enumerate(doc.get("alerts", []) if isinstance(doc, dict) else []):
        if isinstance(alert, dict) and isinstance(alert.get("history"), list):
            key = "@@history-%d@@" % i
            marks['"%s"' % key] = json.dumps(alert["history"], ensure_ascii=False)
            alert["history"] = key
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    for key, value in marks.items():
        text = text.replace(key, value)
    return text


def main():
    out = sys.argv[1]
    mails = sorted(glob.glob(os.path.join(out, "mail-*.eml")))
    hooks = sorted(glob.glob(os.path.join(out, "webhook-*.json")))
    rule = "=" * 72
    for path in mails:
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        print(rule)
        print("Courriel pour : %s" % ", ".join(msg.get_all("X-Demo-Rcpt", [])))
        print("Objet : %s" % msg["Subject"])
        print(rule)
        body = msg.get_body(preferencelist=("plain",))
        print(body.get_content().replace("\r\n", "\n").rstrip() if body else "(pas de partie texte)")
        print()
    for path in hooks:
        with open(path.replace(".json", ".headers"), encoding="utf-8") as f:
            request = f.readline().strip()
            headers = [h.strip() for h in f if h.lower().startswith("webhook-")]
        print(rule)
        print("Webhook : %s" % request)
        for h in headers:
            print("  %s" % h)
        print(rule)
        with open(path, "rb") as f:
            data = f.read()
        try:
            print(pretty(json.loads(data)))
        except ValueError:
            print(data.decode("utf-8", "replace"))
        print()
    def n(k, word):
        return "%d %s%s" % (k, word, "s" if k > 1 else "")
    print("%s et %s reçus." % (n(len(mails), "courriel"), n(len(hooks), "webhook")))


if __name__ == "__main__":
    main()
