#!/usr/bin/python3
"""Webhook receiver of the soak test (127.0.0.1 only).

Verifies the Standard Webhooks signature with --secret, answers 200, then
appends one JSON line per request to LOG: webhook-id, whether the signature
verified, and the (alert id, event, period) of every alert in the body. The
soak script stops it (SIGTERM) and starts it again on the same port to make
deliveries fail; LOG is opened in append mode so the counts survive.

SIGTERM shuts down gracefully: the listening socket closes at once (new
connections are refused), and the requests already being answered finish,
their line written, before the process exits. So a request that got its
200 is always in LOG, and a line in LOG always had its 200 sent: a count
above one for a webhook-id is a real duplicate, not an artefact of the
receiver going away.
"""
import argparse, base64, hashlib, hmac, json, signal, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--log", required=True)
p.add_argument("--secret", required=True)
a = p.parse_args()
lock = threading.Lock()
key = base64.b64decode(a.secret[len("whsec_"):] if a.secret.startswith("whsec_") else a.secret)


def verify(headers, body):
    mid, ts, sig = (headers.get("webhook-id"), headers.get("webhook-timestamp"),
                    headers.get("webhook-signature"))
    if not (mid and ts and sig) or abs(time.time() - int(ts)) > 300:
        return False
    want = base64.b64encode(hmac.new(key, b"%s.%s.%s" % (mid.encode(), ts.encode(), body),
                                     hashlib.sha256).digest()).decode()
    return any(s.startswith("v1,") and hmac.compare_digest(s[3:], want) for s in sig.split(" "))


class H(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        rec = {"webhook_id": self.headers.get("webhook-id"),
               "verified": verify(self.headers, body), "at": time.time()}
        try:
            doc = json.loads(body)
            rec["alerts"] = [[x.get("id"), x.get("event"), x.get("period")]
                             for x in doc.get("alerts", [])]
        except ValueError:
            rec["alerts"] = None
        self.send_response(200)
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"ok\n")
        self.wfile.flush()
        with lock, open(a.log, "a") as f:
            f.write(json.dumps(rec) + "\n")

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = False      # server_close() joins the requests in flight
    block_on_close = True


s = Server(("127.0.0.1", a.port), H)


def stop(*_):
    # shutdown() waits for serve_forever() to return: not from its thread.
    threading.Thread(target=s.shutdown).start()


signal.signal(signal.SIGTERM, stop)
with open(a.log + ".ready", "w") as f:
    f.write(str(a.port))
s.serve_forever()
s.server_close()
