#!/usr/bin/python3
"""A stand-in for systemd's notification socket: binds the unix datagram
socket given as the first argument and appends every message it receives to
the file given as the second, one assignment (READY=1, STATUS=...) per line,
flushed at once so that tests can poll it. Runs until killed."""
import os
import socket
import sys

path, log = sys.argv[1], sys.argv[2]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(log, "a", buffering=1) as out:
    while True:
        data = s.recv(65536)
        for line in data.decode("utf-8", "replace").split("\n"):
            if line:
                out.write(line + "\n")
