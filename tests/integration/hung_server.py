#!/usr/bin/python3
"""A hung server on 127.0.0.1, the connections kept open until it is killed.
  hung_server.py http PORTFILE: accepts every connection, reads what comes,
    and never answers.
  hung_server.py smtp PORTFILE: takes a whole message and never answers its
    end: greeting, EHLO, MAIL, RCPT and DATA answered, then nothing after
    the "." (a mail server whose disk or filter hangs); says on stdout
    "message swallowed" for each.
Writes its port to PORTFILE once it listens."""
import os
import select
import socket
import sys

mode, portfile = sys.argv[1], sys.argv[2]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
with open(portfile + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)


def smtp_lines(c, st):
    """Answers the complete lines of st[0] (st[1]: in DATA, None: done)."""
    while b"\r\n" in st[0]:
        line, st[0] = st[0].split(b"\r\n", 1)
        if st[1] is None:
            continue
        if st[1]:
            if line == b".":
                st[1] = None        # the end: never answered
                print("message swallowed", flush=True)
            continue
        cmd = line[:4].upper()
        if cmd in (b"EHLO", b"HELO"):
            c.sendall(b"250 hung.example\r\n")
        elif cmd == b"DATA":
            st[1] = True
            c.sendall(b"354 go on\r\n")
        else:
            c.sendall(b"250 ok\r\n")


conns = {}      # socket -> [buffer, in DATA]
while True:
    r, _, _ = select.select([s] + list(conns), [], [])
    for c in r:
        if c is s:
            n = s.accept()[0]
            conns[n] = [b"", False]
            if mode == "smtp":
                n.sendall(b"220 hung.example ESMTP\r\n")
            continue
        data = c.recv(65536)
        if not data:
            del conns[c]
            c.close()
        elif mode == "smtp":
            conns[c][0] += data
            smtp_lines(c, conns[c])
