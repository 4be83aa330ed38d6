#!/usr/bin/python3
"""A webhook receiver that takes the Vigie database's write lock before it
answers and holds it a while after: the sender then cannot record its
success at once (another writer holds the database). Appends one line per
POST to LOG; writes PORT to LOG.ready once it listens.
usage: locking_webhook.py PORT LOG DB HOLD_SECONDS"""
import sqlite3, sys, threading, time
from http.server import BaseHTTPRequestHandler, HTTPServer

port, log, db, hold = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])

def release(conn):
    time.sleep(hold)
    conn.execute("COMMIT")
    conn.close()

class H(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("BEGIN IMMEDIATE")
        with open(log, "a") as f:
            f.write("POST %s %s\n" % (self.path, self.headers.get("webhook-id")))
        threading.Thread(target=release, args=(conn,)).start()
        self.send_response(200)
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"ok\n")
    def log_message(self, *args):
        pass

s = HTTPServer(("127.0.0.1", port), H)
with open(log + ".ready", "w") as f:
    f.write(str(port))
s.serve_forever()
