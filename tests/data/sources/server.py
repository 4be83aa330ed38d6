"""A CSV export server for the pull-source tests, on 127.0.0.1.

Usage: server.py DIR. Serves DIR/docs/NAME at /NAME with an ETag (and
answers 304 to a matching If-None-Match) and a fixed Last-Modified. When
DIR/token exists, requests must carry "Authorization: Bearer <token>" (401
otherwise). DIR/docs/NAME.status forces that status. Writes the port to
DIR/port once listening, and one line per request to DIR/requests.log:
"PATH STATUS inm=0|1 ims=0|1 auth=ok|bad|none" (never the token itself)."""
import hashlib
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

ROOT = sys.argv[1]
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        name = self.path.lstrip("/")
        auth = "none"
        tokfile = os.path.join(ROOT, "token")
        got = self.headers.get("Authorization")
        if os.path.exists(tokfile):
            with open(tokfile) as f:
                want = "Bearer " + f.read().strip()
            auth = "ok" if got == want else ("bad" if got else "none")
        elif got:
            auth = "ok"
        path = os.path.join(ROOT, "docs", os.path.basename(name))
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        hdrs = []
        body = b""
        if os.path.exists(tokfile) and auth != "ok":
            status, body = 401, b"unauthorized\n"
            hdrs = [("WWW-Authenticate", "Bearer")]
        elif os.path.exists(path + ".status"):
            with open(path + ".status") as f:
                status = int(f.read().strip())
            body = b"forced status\n"
            if 300 <= status < 400:
                hdrs = [("Location", "http://127.0.0.1:9/elsewhere.csv")]
        elif not os.path.exists(path):
            status, body = 404, b"not found\n"
        else:
            with open(path, "rb") as f:
                body = f.read()
            etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
            hdrs = [("ETag", etag), ("Last-Modified", LAST_MODIFIED),
                    ("Content-Type", "text/csv; charset=utf-8")]
            status = 304 if inm == etag else 200
            if status == 304:
                body = b""
        # logged before answering, so a client that got the answer sees the line
        with open(os.path.join(ROOT, "requests.log"), "a") as f:
            f.write("%s %d inm=%d ims=%d auth=%s\n" % (
                self.path, status, inm is not None, ims is not None, auth))
        self.send_response(status)
        for k, v in hdrs:
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


srv = HTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(ROOT, "port.tmp"), "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(os.path.join(ROOT, "port.tmp"), os.path.join(ROOT, "port"))
srv.serve_forever()
