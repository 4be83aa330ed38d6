#!/usr/bin/python3
"""Local receivers for the demo: an SMTP server (aiosmtpd) and an HTTP
webhook receiver, both on 127.0.0.1. Every message is stored in OUT as
mail-N.eml (with an X-Demo-Rcpt header per recipient) or webhook-N.json
(with the request path and headers in webhook-N.headers). Prints "ready"
once both listen; stops on SIGTERM or SIGINT.

usage: receivers.py SMTP_PORT HTTP_PORT OUT
"""
import http.server
import itertools
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller

counter = itertools.count(1)
lock = threading.Lock()


def store(out, kind, data, extra=None):
    with lock:
        n = next(counter)
    path = os.path.join(out, "%s-%03d" % (kind, n))
    if extra is not None:
        with open(path + ".headers", "w", encoding="utf-8") as f:
            f.write(extra)
    with open(path + (".eml" if kind == "mail" else ".json"), "wb") as f:
        f.write(data)


class SMTPHandler:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        rcpts = "".join("X-Demo-Rcpt: %s\r\n" % r for r in envelope.rcpt_tos)
        store(self.out, "mail", rcpts.encode() + envelope.original_content)
        return "250 OK"


def http_handler(out):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n)
            store(out, "webhook", body, "POST %s\n%s" % (self.path, self.headers))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


def main():
    smtp_port, http_port, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    smtp = Controller(SMTPHandler(out), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", http_port), http_handler(out))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    print("ready", flush=True)
    stop.wait()
    httpd.shutdown()
    smtp.stop()


if __name__ == "__main__":
    main()
