#!/usr/bin/python3
"""SMTP server for the notification tests (aiosmtpd on 127.0.0.1).

Writes each accepted message's raw bytes to DIR/NNNN-RCPT.eml (one file per
recipient), refuses the addresses given with --refuse (550), requires
STARTTLS and AUTH over TLS when a certificate is given, and writes PORT to
DIR/ready once it listens. Stops on SIGTERM.
"""
import argparse, asyncio, os, signal, ssl, sys, threading
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--dir", required=True)
p.add_argument("--cert"); p.add_argument("--key")
p.add_argument("--user"); p.add_argument("--password")
p.add_argument("--refuse", action="append", default=[])
p.add_argument("--tempfail", action="store_true", help="answer 451 to every RCPT")
a = p.parse_args()
os.makedirs(a.dir, exist_ok=True)
count = [0]
lock = threading.Lock()

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if a.tempfail:
            return "451 4.3.0 try again later"
        if address in a.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with lock:
            for rcpt in envelope.rcpt_tos:
                count[0] += 1
                path = os.path.join(a.dir, "%04d-%s.eml" % (count[0], rcpt))
                with open(path + ".tmp", "wb") as f:
                    f.write(envelope.original_content)
                os.rename(path + ".tmp", path)
        return "250 Message accepted"

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and \
        auth_data.login == a.user.encode() and auth_data.password == a.password.encode()
    return AuthResult(success=ok)

kw = {}
if a.cert:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.cert, a.key)
    kw.update(tls_context=ctx, require_starttls=True)
if a.user:
    kw.update(authenticator=authenticator, auth_require_tls=bool(a.cert),
              auth_required=True)
# decode_data=False keeps original_content as the exact bytes received.
c = Controller(Handler(), hostname="127.0.0.1", port=a.port, decode_data=False, **kw)
c.start()
with open(os.path.join(a.dir, "ready"), "w") as f:
    f.write(str(a.port))
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
while not stop.wait(0.2):
    pass
c.stop()
