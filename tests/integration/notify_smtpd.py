#!/usr/bin/python3
"""SMTP server for the notification tests (aiosmtpd on 127.0.0.1).

Writes each accepted message's raw bytes to DIR/NNNN-RCPT.eml (one file per
recipient) and its envelope ("MAIL-FROM RCPT") as a line of DIR/envelopes,
every MAIL FROM it is sent as a line of DIR/mail-from; refuses the
addresses given with --refuse (550) or --refuse-rcpt ADDR=REPLY (that
reply), every sender with --refuse-mail REPLY; requires STARTTLS and AUTH
over TLS when a certificate is given (with --implicit-tls, TLS from the
first byte instead, as smtps:// expects; with --auth-echo, refuses every AUTH
with a reply that quotes back the password as sent, as a careless server
may; with --size-limit N, refuses a message larger than N bytes at MAIL
FROM, as its SIZE extension says; with --slow-data S, answers each DATA
S seconds after its end, and writes the message only then), and writes PORT to DIR/ready once it
listens. Stops on SIGTERM.
"""
import argparse, asyncio, base64, os, signal, ssl, sys, threading
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--dir", required=True)
p.add_argument("--cert"); p.add_argument("--key")
p.add_argument("--user"); p.add_argument("--password")
p.add_argument("--refuse", action="append", default=[])
p.add_argument("--refuse-rcpt", action="append", default=[], help="ADDR=REPLY")
p.add_argument("--refuse-mail", action="append", default=[], help="ADDR=REPLY, or REPLY for every sender")
p.add_argument("--greeting", help="greet with this reply and refuse everything (a plain socket server)")
p.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (smtps://)")
p.add_argument("--auth-echo", action="store_true", help="refuse AUTH, quoting the credentials")
p.add_argument("--tempfail", action="store_true", help="answer 451 to every RCPT")
p.add_argument("--size-limit", type=int, help="advertise SIZE and refuse larger messages (552)")
p.add_argument("--slow-data", type=float, default=0, help="answer each DATA after this many seconds")
a = p.parse_args()
os.makedirs(a.dir, exist_ok=True)
count = [0]
lock = threading.Lock()

refuse_rcpt = dict(r.split("=", 1) for r in a.refuse_rcpt)
refuse_mail = dict(r.split("=", 1) if "=" in r.split(" ")[0] else ("*", r) for r in a.refuse_mail)

if a.greeting:
    # A server that refuses the session at once, as a relay does for a
    # client it does not know: curl says "Weird server reply".
    import socket
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", a.port))
    srv.listen(16)
    srv.settimeout(0.2)
    with open(os.path.join(a.dir, "ready"), "w") as f:
        f.write(str(a.port))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.is_set():
        try:
            c, _ = srv.accept()
        except socket.timeout:
            continue
        with lock, open(os.path.join(a.dir, "sessions"), "a") as f:
            f.write("greeted\n")
        c.sendall((a.greeting + "\r\n").encode())
        c.settimeout(2)
        try:
            c.recv(1024)
            c.sendall(b"221 Bye\r\n")
        except OSError:
            pass
        c.close()
    sys.exit(0)

class Handler:
    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with lock, open(os.path.join(a.dir, "mail-from"), "a") as f:
            f.write(address + "\n")
        reply = refuse_mail.get(address, refuse_mail.get("*"))
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if a.tempfail:
            return "451 4.3.0 try again later"
        if address in a.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address in refuse_rcpt:
            return refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if a.slow_data:
            # A relay that takes its time: the message is kept (written)
            # only as the 250 goes out.
            await asyncio.sleep(a.slow_data)
        with lock:
            for rcpt in envelope.rcpt_tos:
                count[0] += 1
                path = os.path.join(a.dir, "%04d-%s.eml" % (count[0], rcpt))
                with open(path + ".tmp", "wb") as f:
                    f.write(envelope.original_content)
                with open(os.path.join(a.dir, "envelopes"), "a") as f:
                    f.write("%s %s\n" % (envelope.mail_from, rcpt))
                os.rename(path + ".tmp", path)
        return "250 Message accepted"

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and \
        auth_data.login == a.user.encode() and auth_data.password == a.password.encode()
    if a.auth_echo:
        b64 = lambda b: base64.b64encode(b).decode()
        return AuthResult(success=False, handled=False, message="535 5.7.8 %s: not %s (%s)" % (
            mechanism, b64(auth_data.password), b64(b"\0" + auth_data.login + b"\0" + auth_data.password)))
    return AuthResult(success=ok)

kw = {}
if a.cert:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.cert, a.key)
    if a.implicit_tls:
        kw.update(ssl_context=ctx)
    else:
        kw.update(tls_context=ctx, require_starttls=True)
if a.user:
    # aiosmtpd counts only STARTTLS as TLS: under implicit TLS the whole
    # session is, and AUTH is allowed from the start.
    kw.update(authenticator=authenticator, auth_required=True,
              auth_require_tls=bool(a.cert) and not a.implicit_tls)
if a.size_limit:
    kw.update(data_size_limit=a.size_limit)
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
