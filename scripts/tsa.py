#!/usr/bin/env python3
"""A real RFC 3161 time-stamping authority for the tests: OpenSSL's own
`openssl ts -reply` behind HTTP (POST application/timestamp-query, answer
application/timestamp-reply), as a qualified TSA is reached in production.

Usage: tsa.py PORT DIR
Makes DIR/ca.crt (the root the portal trusts, SL_TSA_CA) and a TSA
certificate it signs (extended key usage timeStamping, critical), then serves
on 127.0.0.1:PORT (0: any free port) and prints "listening PORT" once ready.
"""
import http.server
import os
import subprocess
import sys
import tempfile

CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/ca.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_authority(d):
    if os.path.exists(f"{d}/tsa.crt"):
        return
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/C=IT/O=Test/CN=Test TSA Root",
            "-keyout", f"{d}/ca.key", "-out", f"{d}/ca.crt",
            "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/C=IT/O=Test/CN=Test TSA",
            "-keyout", f"{d}/tsa.key", "-out", f"{d}/tsa.csr")
    with open(f"{d}/ext.cnf", "w") as f:
        f.write("basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n")
    openssl("x509", "-req", "-in", f"{d}/tsa.csr", "-CA", f"{d}/ca.crt", "-CAkey", f"{d}/ca.key", "-CAcreateserial",
            "-days", "3650", "-out", f"{d}/tsa.crt", "-extfile", f"{d}/ext.cnf")
    with open(f"{d}/serial", "w") as f:
        f.write("01\n")
    with open(f"{d}/tsa.cnf", "w") as f:
        f.write(CONFIG.format(dir=d))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Type") != "application/timestamp-query" or not query:
            self.send_error(400, "a timestamp query, please")
            return
        with tempfile.TemporaryDirectory() as t:
            with open(f"{t}/q.tsq", "wb") as f:
                f.write(query)
            done = subprocess.run(["openssl", "ts", "-reply", "-config", f"{DIR}/tsa.cnf", "-queryfile", f"{t}/q.tsq",
                                   "-out", f"{t}/r.tsr"], capture_output=True)
            if done.returncode != 0:
                self.send_error(400, done.stderr.decode(errors="replace")[:200])
                return
            with open(f"{t}/r.tsr", "rb") as f:
                reply = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port, DIR = int(sys.argv[1]), os.path.abspath(sys.argv[2])
    os.makedirs(DIR, exist_ok=True)
    make_authority(DIR)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()
