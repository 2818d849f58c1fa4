#!/usr/bin/env python3
"""An SMTP server with implicit TLS (smtps) for scripts/prod-test, which runs
the instances with production settings: mail must go through SMTP over TLS.
Each message is written to DIR/N.eml. Usage: smtp_sink.py PORT CERT KEY DIR.
Standard library only (smtpd left Python in 3.12)."""
import itertools
import os
import socketserver
import ssl
import sys
import threading

PORT, CERT, KEY, DIR = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
COUNTER = itertools.count(1)
LOCK = threading.Lock()


class Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self):
        self.reply("220 localhost ESMTP prod-test sink")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode("ascii", "replace").strip().split(" ")[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                self.wfile.flush()
            elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                with LOCK:
                    n = next(COUNTER)
                with open(os.path.join(DIR, f"{n:06}.eml"), "wb") as f:
                    f.write(b"".join(lines))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class TlsServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address, handler):
        super().__init__(address, handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(CERT, KEY)
        self.socket = context.wrap_socket(self.socket, server_side=True)


if __name__ == "__main__":
    os.makedirs(DIR, exist_ok=True)
    with TlsServer(("127.0.0.1", PORT), Session) as server:
        server.serve_forever()
