#!/usr/bin/env python3
"""The Ministry's PEC mailbox for the tests: Debian's Dovecot serving IMAP on
127.0.0.1, one user ("ministero", password "pec-test") whose Maildir the
tests fill with receipts (ricevute) in the format of the PEC technical rules.

Usage: pec_mailbox.py DIR [--until-terminated]
Prints "listening PORT MAILDIR" once Dovecot answers, then waits; stops
Dovecot when its standard input closes (or, with --until-terminated, on
SIGTERM only).
"""
import os
import pwd
import signal
import socket
import subprocess
import sys
import time

CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
info_log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{dir}/mail/%u/Maildir
first_valid_uid = 0
default_internal_user = {user}
default_login_user = {user}
passdb {{
  driver = static
  args = password=pec-test
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={dir}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    d = os.path.abspath(sys.argv[1])
    # Dovecot runs its helpers as an unprivileged user; as root, its own.
    if os.getuid() == 0:
        entry = pwd.getpwnam("dovecot")
    else:
        entry = pwd.getpwuid(os.getuid())
    maildir = f"{d}/mail/ministero/Maildir"
    for sub in ("run", "state", f"{maildir}/new", f"{maildir}/cur", f"{maildir}/tmp"):
        os.makedirs(f"{d}/{sub}" if not sub.startswith("/") else sub, exist_ok=True)
    for root, dirs, _ in os.walk(d):
        for x in dirs + ["."]:
            os.chown(os.path.join(root, x), entry.pw_uid, entry.pw_gid) if os.getuid() == 0 else None
    os.chmod(d, 0o755)
    port = free_port()
    with open(f"{d}/dovecot.conf", "w") as f:
        f.write(CONFIG.format(dir=d, user=entry.pw_name, uid=entry.pw_uid, gid=entry.pw_gid, port=port))
    # Its output to its log only: nothing of it holds the caller's pipes open.
    proc = subprocess.Popen(["dovecot", "-F", "-c", f"{d}/dovecot.conf"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop = lambda *_: (proc.terminate(), proc.wait(), sys.exit(0))
    signal.signal(signal.SIGTERM, stop)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                if s.recv(100).startswith(b"* OK"):
                    break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit(f"dovecot did not start: see {d}/dovecot.log")
    print(f"listening {port} {maildir}", flush=True)
    if "--until-terminated" in sys.argv:
        while True:
            signal.pause()
    sys.stdin.read()  # until the test ends
    stop()


if __name__ == "__main__":
    main()
