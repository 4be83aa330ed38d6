#!/usr/bin/python3
"""Webhook receiver of bench_daemon.sh (127.0.0.1): reads each POST, answers
200, appends its size in bytes to LOG (the body is not parsed: at 10,000
teams a first cycle's message is hundreds of MB). Writes LOG.ready once it listens;
stops on SIGTERM.
usage: bench_daemon_hook.py PORT LOG"""
import signal, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, log = int(sys.argv[1]), sys.argv[2]


class H(BaseHTTPRequestHandler):
    def do_POST(self):
        left = n = int(self.headers.get("Content-Length", 0))
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 20))
            if not chunk:
                break
            left -= len(chunk)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        with open(log, "a") as f:
            f.write("%d\n" % (n - left))

    def log_message(self, *args):
        pass


s = ThreadingHTTPServer(("127.0.0.1", port), H)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=s.shutdown).start())
with open(log + ".ready", "w") as f:
    f.write(str(port))
s.serve_forever()
