#!/usr/bin/env python3
"""Drives Servizi Lavoro through the TLS proxy as a browser without
JavaScript would, for scripts/prod-test: signs in through the test IdP
(spid-sp-test's, scripts/test_idp.py; the AuthnRequest issued by one instance,
the Response consumed by another), checks that either instance continues the
session, that sign-out ends it on both, that the client address comes through
X-Forwarded-For; writes support requests, deleghe, Dimissioni modules and
Utente Estero registrations for the durability check. Run with
spid-sp-test's virtualenv Python (for the IdP); the rest is standard library."""
import html
import http.client
import json
import re
import ssl
import sys
import urllib.parse
from html.parser import HTMLParser

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


class Forms(HTMLParser):
    """The fields each form of a page would submit, by the form's action."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = (a.get("action", ""), [])
            self.forms.append(self.current)
        elif self.current is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.current[1].append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.current[1].append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea and self.current:
            self.current[1].append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form":
            self.current = None


def form_fields(page, action_part, changes=()):
    """The fields of the first form whose action contains `action_part`, with `changes`."""
    parser = Forms()
    parser.feed(page)
    for action, fields in parser.forms:
        if action_part in action:
            names = {k for k, _ in changes}
            return action, [f for f in fields if f[0] not in names] + list(changes)
    raise SystemExit(f"no form for {action_part}")


def sp_metadata(b):
    global METADATA
    if METADATA is None:
        status, _, text, _ = b.request("GET", "/saml/metadata")
        assert status == 200, status
        METADATA = text.encode()
    return METADATA


METADATA = None


def sign_in(b, person="mario"):
    """Signs in at level 2 through the test IdP; returns the instances that
    issued the request and consumed the response."""
    import test_idp

    query = urllib.parse.urlencode({"idp": test_idp.ENTITY_ID, "level": "2"})
    status, headers, _, issued_by = b.request("GET", f"/saml/login?{query}")
    assert status in (302, 303), status
    acs, response, relay = test_idp.answer(headers["Location"], sp_metadata(b), person)
    fields = [("SAMLResponse", response), ("RelayState", relay)]
    status, headers, body, consumed_by = b.request("POST", b.local(acs), fields, cross_site=True)
    assert status in (302, 303), (status, headers.get("Location"), body[:400])
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


ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
               [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
                2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]))


def codice_fiscale(i):
    """A well-formed codice fiscale, different for each i."""
    letters = "".join(chr(65 + (i // 26 ** k) % 26) for k in range(3))
    body = f"TST{letters}80A01H501"
    total = sum(ODD[c] if n % 2 == 0 else (int(c) if c.isdigit() else ord(c) - 65) for n, c in enumerate(body))
    return body + chr(65 + total % 26)


def multipart(b, path, fields, file=None):
    """POSTs a multipart form as the browser; returns (status, Location)."""
    boundary = "----prodtest"
    body = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields
    ).encode()
    if file:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="scan.png"\r\n'
                 "Content-Type: image/png\r\n\r\n").encode() + file + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    conn = http.client.HTTPSConnection("127.0.0.1", b.port, context=CTX, timeout=20)
    headers = {"Host": f"localhost:{b.port}", "Origin": b.origin, "Sec-Fetch-Site": "same-origin",
               "Content-Type": f"multipart/form-data; boundary={boundary}"}
    if b.cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in b.cookies.items())
    conn.request("POST", path, body=body, headers=headers)
    res = conn.getresponse()
    res.read()
    conn.close()
    return res.status, res.headers.get("Location", "")


def write_support(b, i):
    """A support request from Mario, to his own address (so the case opens at once)."""
    status, location = multipart(b, "/supporto", [
        ("nome", "Mario Rossi"), ("email", "mario.rossi@example.org"), ("categoria", "altro"),
        ("descrizione", f"Richiesta di prova numero {i} per la durata")])
    if status == 303 and "/supporto/richieste/URP-" in location:
        return location.rsplit("/", 1)[1].split("?")[0]


def write_delega(b, i, today, until):
    status, headers, _, _ = b.request("POST", "/deleghe/nuova", [
        ("per", "me"), ("codice_fiscale", codice_fiscale(i)), ("tipo", "non_temporanea"), ("ambito", "tutti"),
        ("dal", today), ("al", until), ("passo", "conferma")])  # the check page's "Conferisci"
    location = headers.get("Location", "")
    if status == 303 and re.fullmatch(r"/deleghe/\d+\?esito=conferita", location):
        return location.rsplit("/", 1)[1].split("?")[0]


def relationship(b):
    """The id of Mario's relationship (imported from the CO file) by its employer."""
    _, _, page, _ = b.request("POST", "/dimissioni-volontarie/nuova/rapporto",
                              [("cf_datore", "01234567897"), ("inizio", "dal2008")])
    _, fields = form_fields(page, "/nuova/modulo")
    return dict(fields)["rapporto"]


def write_dimissioni(b, i, rapporto, decorrenza):
    status, _, page, _ = b.request("GET", f"/dimissioni-volontarie/nuova/modulo?rapporto={rapporto}")
    assert status == 200, status
    changes = [("tipo", "dimissioni"), ("decorrenza", decorrenza), ("email_lavoratore", "mario.rossi@example.org")]
    action, fields = form_fields(page, "/nuova/modulo", changes)
    status, _, review, _ = b.request("POST", action, fields)
    assert status == 200, (status, review[:300])
    action, fields = form_fields(review, "/nuova/trasmetti")
    status, headers, _, _ = b.request("POST", action, fields)
    location = headers.get("Location", "")
    if status == 303 and re.fullmatch(r"/dimissioni-volontarie/\d{17}\?esito=trasmesso", location):
        return location.rsplit("/", 1)[1].split("?")[0]


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR prod-test scan"


def write_registration(i, port, expiry):
    b = Browser(port)
    email = f"estero{i}@example.org"
    status, location = multipart(b, "/registrazione-utente-estero", [
        ("given_name", "Ana"), ("family_name", "Pérez"), ("birth_date", "1990-04-12"), ("birth_country", "AR"),
        ("citizenship", "AR"), ("email", email), ("phone", "+54 11 5555 0100"), ("doc_type", "passport"),
        ("doc_number", f"AAB{i:06}"), ("doc_country", "AR"), ("doc_expiry", expiry),
        ("password", "tramonto sul Nilo 88"), ("password_confirm", "tramonto sul Nilo 88"), ("consent", "yes")], PNG)
    if status == 303 and location.endswith("/registrazione-utente-estero/inviata"):
        return email


def write(port, count, out, kinds="support,delega,dimissioni,registration"):
    """Writes `count` times, rotating through `kinds`, as Mario signed in (and
    anonymous Utente Estero registrations); prints "kind id" for each write
    acknowledged to the browser."""
    import datetime
    b = Browser(port)
    sign_in(b)
    # The portal counts Italian days: after 23:00 UTC (midnight in Rome) the UTC date is yesterday.
    from zoneinfo import ZoneInfo
    day = datetime.datetime.now(ZoneInfo("Europe/Rome")).date()
    today, until = day.isoformat(), (day + datetime.timedelta(days=300)).isoformat()
    decorrenza, expiry = (day + datetime.timedelta(days=20)).isoformat(), (day + datetime.timedelta(days=900)).isoformat()
    kinds = kinds.split(",")
    rapporto = relationship(b) if "dimissioni" in kinds else None
    acknowledged = 0
    for i in range(count):
        kind = kinds[i % len(kinds)]
        try:
            if kind == "support":
                done = write_support(b, i)
            elif kind == "delega":
                done = write_delega(b, i, today, until)
            elif kind == "dimissioni":
                done = write_dimissioni(b, i, rapporto, decorrenza)
            else:
                done = write_registration(i, port, expiry)
        except (AssertionError, OSError, http.client.HTTPException):
            done = None
        if done:
            out.write(f"{kind} {done}\n")
            out.flush()
            acknowledged += 1
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
            print(write(port, int(sys.argv[3]), out, *sys.argv[5:6]))
