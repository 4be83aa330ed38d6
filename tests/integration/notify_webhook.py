#!/usr/bin/python3
"""HTTP webhook receiver for the notification tests (127.0.0.1).

Appends one JSON line per request to LOG: path, webhook-* headers, body,
and whether the Standard Webhooks signature verified with --secret. Answers
with the statuses of --script in turn (e.g. "503,200"; the last one
repeats), adding Retry-After when --retry-after is set, after sleeping
--sleep seconds when set. With --auth VALUE, a request whose Authorization
header is not VALUE gets 401 (logged, with the header it had). Writes PORT
to LOG.ready once it listens.
"""
import argparse, base64, hashlib, hmac, json, os, signal, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--log", required=True)
p.add_argument("--secret")
p.add_argument("--script", default="200")
p.add_argument("--retry-after")
p.add_argument("--sleep", type=float, default=0)
p.add_argument("--auth")
a = p.parse_args()
script = [int(s) for s in a.script.split(",")]
n = [0]
lock = threading.Lock()

def verify(headers, body):
    if not a.secret:
        return None
    # As the Standard Webhooks reference library decodes it: padding optional.
    key = base64.b64decode((a.secret[len("whsec_"):] if a.secret.startswith("whsec_") else a.secret) + "==")
    mid, ts, sig = headers.get("webhook-id"), headers.get("webhook-timestamp"), headers.get("webhook-signature")
    if not (mid and ts and sig):
        return False
    if abs(time.time() - int(ts)) > 300:
        return False
    want = base64.b64encode(hmac.new(key, b"%s.%s.%s" % (mid.encode(), ts.encode(), body),
                                     hashlib.sha256).digest()).decode()
    return any(s.startswith("v1,") and hmac.compare_digest(s[3:], want) for s in sig.split(" "))

class H(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            i = n[0]; n[0] += 1
        status = script[min(i, len(script) - 1)]
        auth = self.headers.get("Authorization")
        if a.auth is not None and auth != a.auth:
            status = 401
        if a.sleep:
            time.sleep(a.sleep)
        rec = {"n": i, "path": self.path, "status": status,
               "content_type": self.headers.get("Content-Type"),
               "webhook_id": self.headers.get("webhook-id"),
               "webhook_timestamp": self.headers.get("webhook-timestamp"),
               "verified": verify(self.headers, body),
               "authorization": auth,
               "body": body.decode("utf-8")}
        with lock, open(a.log, "a") as f:
            f.write(json.dumps(rec) + "\n")
        self.send_response(status)
        if a.retry_after and status in (429, 503):
            self.send_header("Retry-After", a.retry_after)
        msg = (b"ok\n" if status < 300 else b"Unauthorized\n" if status == 401
               else b"refused by the test receiver\nsecond line\n")
        self.send_header("Content-Length", str(len(msg)))
        self.end_headers()
        self.wfile.write(msg)
    def log_message(self, *args):
        pass

s = ThreadingHTTPServer(("127.0.0.1", a.port), H)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=s.shutdown).start())
with open(a.log + ".ready", "w") as f:
    f.write(str(a.port))
s.serve_forever()
