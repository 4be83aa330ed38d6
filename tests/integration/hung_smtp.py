#!/usr/bin/python3
"""An SMTP server on 127.0.0.1 that takes a whole message and never answers
its end: greeting, EHLO, MAIL, RCPT and DATA answered, then nothing after
the "." (the connections stay open until it is killed), as a mail server
whose disk or filter hangs. Writes its port to the file given as the first
argument once it listens, and each message's end it swallowed to stdout."""
import os
import select
import socket
import sys

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
conns = {}      # socket -> [buffer, in DATA]
while True:
    r, _, _ = select.select([s] + list(conns), [], [])
    for c in r:
        if c is s:
            n = s.accept()[0]
            conns[n] = [b"", False]
            n.sendall(b"220 hung.example ESMTP\r\n")
            continue
        data = c.recv(65536)
        if not data:
            del conns[c]
            c.close()
            continue
        st = conns[c]
        st[0] += data
        while b"\r\n" in st[0]:
            line, st[0] = st[0].split(b"\r\n", 1)
            if st[1]:
                if line == b".":
                    st[1] = None        # the end: never answered
                    print("message swallowed", flush=True)
                continue
            if st[1] is None:
                continue
            cmd = line[:4].upper()
            if cmd in (b"EHLO", b"HELO"):
                c.sendall(b"250 hung.example\r\n")
            elif cmd == b"DATA":
                st[1] = True
                c.sendall(b"354 go on\r\n")
            else:
                c.sendall(b"250 ok\r\n")
