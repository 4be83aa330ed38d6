#!/usr/bin/python3
"""A stand-in for systemd's notification socket: binds the unix datagram
socket given as the first argument and appends every message it receives to
the file given as the second, one assignment (READY=1, STATUS=...) per line,
flushed at once so that tests can poll it. With a third argument, also
appends to that file the CLOCK_MONOTONIC time (seconds) of each WATCHDOG=1,
one per line, for tests that measure the gaps between pings. Runs until
killed."""
import os
import socket
import sys
import time

path, log = sys.argv[1], sys.argv[2]
pings = open(sys.argv[3], "a", buffering=1) if len(sys.argv) > 3 else None
try:
    os.unlink(path)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(log, "a", buffering=1) as out:
    while True:
        data = s.recv(65536)
        now = time.monotonic()
        for line in data.decode("utf-8", "replace").split("\n"):
            if line:
                out.write(line + "\n")
            if line == "WATCHDOG=1" and pings:
                pings.write("%.6f\n" % now)
