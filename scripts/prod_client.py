#!/usr/bin/env python3
"""Drives Servizi Lavoro through the TLS proxy as a browser without
JavaScript would, for scripts/prod-test: signs in with the demo IdP (the
request issued by one instance, the response consumed by another), checks
that either instance continues the session, that sign-out ends it on both,
that the client address comes through X-Forwarded-For, and writes support
requests for the durability check. Standard library only."""
import html
import http.client
import json
import re
import ssl
import sys
import urllib.parse

CTX = ssl.create_default_context()
CTX.check_hostname = False
CTX.verify_mode = ssl.CERT_NONE


class Browser:
    def __init__(self, port, source="127.0.0.1"):
        self.port, self.source, self.cookies = port, source, {}
        self.origin = f"https://localhost:{port}"

    def request(self, method, path, fields=None, cross_site=False):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=CTX, timeout=20, source_address=(self.source, 0))
        headers = {"Host": f"localhost:{self.port}", "User-Agent": "prod-test Firefox/1 Linux", "Accept-Language": "it"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urllib.parse.urlencode(fields or [])
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = "null" if cross_site else self.origin
            headers["Sec-Fetch-Site"] = "cross-site" if cross_site else "same-origin"
        conn.request(method, path, body=body, headers=headers)
        res = conn.getresponse()
        text = res.read().decode("utf-8", "replace")
        for value in res.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            val = rest.split(";")[0]
            if "Max-Age=0" in value or val == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = val
        upstream = res.headers.get("X-Upstream", "")
        conn.close()
        return res.status, res.headers, text, upstream

    def local(self, location):
        parsed = urllib.parse.urlsplit(location)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def form_fields(page, action_part):
    """The fields of the first form whose action contains `action_part`."""
    for m in re.finditer(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', page, re.S):
        if action_part in html.unescape(m.group(1)):
            fields = re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', m.group(2))
            return html.unescape(m.group(1)), [(k, html.unescape(v)) for k, v in fields]
    raise SystemExit(f"no form for {action_part}")


def sign_in(b, person="mario"):
    """Returns the instances that issued the request and consumed the response."""
    status, _, page, _ = b.request("GET", "/accedi")
    link = re.search(r'href="(/saml/login\?idp=[^"]*demo-idp%2Fspid[^"]*)"', page)
    assert link, "demo IdP link on /accedi"
    status, headers, _, issued_by = b.request("GET", html.unescape(link.group(1)))
    assert status in (302, 303), status
    status, _, idp_page, _ = b.request("GET", b.local(headers["Location"]))
    assert status == 200, status
    action, fields = form_fields(idp_page, "/demo-idp/spid/sso")
    fields = [f for f in fields if f[0] != "person"] + [("person", person), ("level", "2"), ("outcome", "success")]
    status, _, answer, _ = b.request("POST", b.local(action), fields, cross_site=False)
    assert status == 200, status
    action, fields = form_fields(answer, "/saml/acs")
    status, headers, _, consumed_by = b.request("POST", b.local(action), fields, cross_site=True)
    assert status in (302, 303), (status, headers.get("Location"))
    return issued_by, consumed_by


def check_flows(port):
    report = {}
    b = Browser(port, source="127.0.0.2")
    issued, consumed = sign_in(b)
    report["authn_request_by"], report["response_by"] = issued, consumed
    seen = set()
    for _ in range(6):
        status, _, page, upstream = b.request("GET", "/area-personale")
        assert status == 200 and "Mario Rossi" in page, status
        seen.add(upstream)
    report["session_served_by"] = sorted(seen)
    assert len(seen) == 2, f"both instances serve the session: {seen}"
    status, _, activity, _ = b.request("GET", "/area-personale/attivita")
    report["client_address_seen"] = "127.0.0.2" in activity
    assert report["client_address_seen"], "the sign-in was recorded from 127.0.0.2 (X-Forwarded-For)"
    # Sign out everywhere: another browser of Mario's loses its session too.
    other = Browser(port)
    sign_in(other)
    status, headers, _, _ = b.request("POST", "/area-personale/sessioni/chiudi", [("tutte", "si")])
    assert status == 307, status
    status, headers, _, _ = b.request("POST", "/esci")
    for browser in (b, other):
        for _ in range(2):
            status, headers, _, upstream = browser.request("GET", "/area-personale")
            assert status == 303 and "/accedi" in headers.get("Location", ""), (status, upstream)
    report["signed_out_everywhere"] = True
    return report


def write_cases(port, count, out):
    """Opens support requests as a signed-in person; prints each acknowledged case number."""
    b = Browser(port)
    sign_in(b)
    acknowledged = 0
    for i in range(count):
        try:
            boundary = "----prodtest"
            body = "".join(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                for k, v in [("nome", "Mario Rossi"), ("email", f"durability{i}@example.org"), ("categoria", "altro"), ("descrizione", f"Richiesta di prova numero {i} per la durata")]
            ) + f"--{boundary}--\r\n"
            conn = http.client.HTTPSConnection("127.0.0.1", port, context=CTX, timeout=10)
            conn.request("POST", "/supporto", body=body.encode(), headers={
                "Host": f"localhost:{port}", "Origin": b.origin, "Sec-Fetch-Site": "same-origin",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Cookie": "; ".join(f"{k}={v}" for k, v in b.cookies.items()),
            })
            res = conn.getresponse()
            res.read()
            location = res.headers.get("Location", "")
            conn.close()
            if res.status == 303 and "/supporto/richieste/URP-" in location:
                out.write(location.rsplit("/", 1)[1].split("?")[0] + "\n")
                out.flush()
                acknowledged += 1
        except (OSError, http.client.HTTPException):
            pass
    return acknowledged


if __name__ == "__main__":
    command, port = sys.argv[1], int(sys.argv[2])
    if command == "flows":
        print(json.dumps(check_flows(port), indent=2))
    elif command == "cookie":
        b = Browser(port)
        sign_in(b)
        print("; ".join(f"{k}={v}" for k, v in b.cookies.items()))
    elif command == "sign-ins":
        done = 0
        for _ in range(int(sys.argv[3])):
            try:
                sign_in(Browser(port))
                done += 1
            except (AssertionError, OSError, http.client.HTTPException):
                pass
        print(done)
    elif command == "write":
        with open(sys.argv[4], "w") as out:
            print(write_cases(port, int(sys.argv[3]), out))
