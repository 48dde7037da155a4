#!/usr/bin/env python3
"""A small qemu-ga client that qgasim does not contain, for the live tests.

Standard library only. It connects to a unix socket and makes CALLS calls,
cycling through guest-info, guest-get-time and guest-ping, and prints one JSON
object per call: the command, what came back, and whether the answer had the
shape that command's reply has (a client can tell a guest-info reply from a
guest-ping one, so a reply handed to the wrong caller shows).

  qgaclient.py delimited SOCKET CALLS TIMEOUT   the documented way: 0xFF, then
      guest-sync-delimited with a fresh id, skip to the 0xFF sentinel, check
      the id, then the command; on any timeout, lost connection or error reply
      (the commands it sends succeed on a healthy channel, so an error means
      its bytes were mangled on the way), start over (reconnecting if need
      be) until the call succeeds
  qgaclient.py naive SOCKET CALLS TIMEOUT       write the command, take the next
      line as its reply; on a timeout, give up on that call and go on
"""

import json
import random
import socket
import sys
import time

CMDS = ["guest-info", "guest-get-time", "guest-ping"]


def shape_ok(cmd, reply):
    if "return" not in reply:
        return False
    r = reply["return"]
    if cmd == "guest-info":
        return isinstance(r, dict) and "version" in r
    if cmd == "guest-get-time":
        return isinstance(r, int)
    if cmd == "guest-ping":
        return r == {}
    return False


class Conn:
    def __init__(self, path, timeout):
        self.path, self.timeout = path, timeout
        self.sock, self.buf = None, b""

    def connect(self):
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.path)
                self.sock, self.buf = s, b""
                return
            except OSError:
                time.sleep(0.05)

    def close(self):
        if self.sock:
            self.sock.close()
        self.sock = None

    def send(self, data):
        self.sock.sendall(data)

    def read_until(self, delim, deadline):
        while delim not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError()
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                raise TimeoutError()
            if not data:
                raise ConnectionError("closed")
            self.buf += data
        i = self.buf.index(delim) + len(delim)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out


def delimited_call(c, cmd, timeout):
    while True:
        try:
            if c.sock is None:
                c.connect()
            sid = random.randrange(1, 2**62)
            c.send(b"\xff" + json.dumps({"execute": "guest-sync-delimited", "arguments": {"id": sid}}).encode())
            deadline = time.monotonic() + timeout
            while True:
                c.read_until(b"\xff", deadline)
                line = c.read_until(b"\n", deadline)
                try:
                    if json.loads(line).get("return") == sid:
                        break
                except ValueError:
                    pass
            c.send(json.dumps({"execute": cmd}).encode())
            line = c.read_until(b"\n", time.monotonic() + timeout)
            if line.startswith(b"\xff"):
                continue
            reply = json.loads(line)
            if "error" in reply:
                continue
            return reply
        except (TimeoutError, ConnectionError, OSError, ValueError):
            c.close()


def naive_call(c, cmd, timeout):
    if c.sock is None:
        c.connect()
    c.send(json.dumps({"execute": cmd}).encode())
    try:
        return json.loads(c.read_until(b"\n", time.monotonic() + timeout))
    except TimeoutError:
        return None


def main():
    mode, path, calls, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    c = Conn(path, timeout)
    call = delimited_call if mode == "delimited" else naive_call
    for i in range(calls):
        cmd = CMDS[i % len(CMDS)]
        reply = call(c, cmd, timeout)
        wrong = reply is not None and not shape_ok(cmd, reply) and any(
            shape_ok(other, reply) for other in CMDS if other != cmd)
        print(json.dumps({"call": i + 1, "cmd": cmd, "timed_out": reply is None,
                          "ok": reply is not None and shape_ok(cmd, reply), "wrong": wrong,
                          "reply": "" if reply is None else json.dumps(reply)[:80]}), flush=True)
    c.close()


if __name__ == "__main__":
    main()
