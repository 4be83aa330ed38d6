#!/usr/bin/python3
"""A hung HTTP server on 127.0.0.1: accepts every connection, reads what
comes, and never answers (the connections stay open until it is killed).
Writes its port to the file given as the first argument once it listens."""
import select
import socket
import sys

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
conns = []
while True:
    r, _, _ = select.select([s] + conns, [], [])
    for c in r:
        if c is s:
            conns.append(s.accept()[0])
        elif not c.recv(65536):
            conns.remove(c)
            c.close()
