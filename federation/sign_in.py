"""Signs a person in to the portal with the reference OpenID Provider, as a
browser without JavaScript does: following redirects, filling in and sending
the forms it is shown (the provider's sign-in and consent pages, the
portal's). Each command checks what the person should see, and exits
non-zero otherwise.

  sign_in.py PORTAL PROVIDER USERNAME LEVEL
      signs in at LEVEL (1-3); the personal area greets the person, and the
      sign-in history shows "SPID (OpenID Connect)" at that level.
  sign_in.py saml PORTAL NAME
      signs the same person in with the portal's demo SPID IdP (SAML).
  sign_in.py same-account PORTAL PROVIDER USERNAME NAME
      signs NAME in with SAML, then USERNAME (the same person) over OpenID
      Connect: one history holds both.
  sign_in.py refused PORTAL PROVIDER USERNAME STATUS TEXT
      the sign-in ends on the portal's refusal page: STATUS, and TEXT on it.
  sign_in.py replay PORTAL PROVIDER USERNAME
      the provider's answer, delivered twice: the second is refused; and
      delivered to another browser: refused.
  sign_in.py sign-out PORTAL PROVIDER USERNAME
      signs in, then out: the portal session ends.
  sign_in.py step-up PORTAL PROVIDER USERNAME
      signs in at level 1, then opens a level-2 service: the provider is
      asked again, and the person lands on the service.
  sign_in.py everywhere PORTAL PROVIDER USERNAME
      signs in on two browsers, then out everywhere from one: both end.
"""
import html
import re
import sys
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

import requests

PASSWORD = "tests-only"


class Forms(HTMLParser):
    """The forms of a page: action, method, and the values a browser sends
    (hidden and text inputs, checked radios, the first option of selects)."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                               "fields": {}, "radios": {}})
        elif self.forms and tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "radio":
                self.forms[-1]["radios"].setdefault(a["name"], []).append(a.get("value", ""))
            elif kind not in ("submit", "button", "checkbox"):
                self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


def forms(page: str) -> list:
    p = Forms()
    p.feed(page)
    return p.forms


def fail(why: str, response=None) -> None:
    if response is not None:
        why += f"\n{response.status_code} {response.url}\n{response.text[:1500]}"
    raise SystemExit(why)


class Browser:
    def __init__(self, portal: str):
        self.portal = portal.rstrip("/")
        self.s = requests.Session()

    def get(self, url: str, **kw):
        return self.s.get(urljoin(self.portal + "/", url), timeout=20, **kw)

    def submit(self, response, form: dict, extra: dict, **kw):
        action = urljoin(response.url, html.unescape(form["action"]))
        data = {**form["fields"], **extra}
        headers = {"Origin": self.portal} if action.startswith(self.portal) else {}
        if form["method"] == "post":
            return self.s.post(action, data=data, headers=headers, timeout=20, **kw)
        return self.s.get(action + "?" + urlencode(data), timeout=20, **kw)

    def at_provider(self, provider: str, username: str, level: int):
        """Up to the provider's answer: the URL of the portal's callback."""
        start = self.get(f"/oidc/login?{urlencode({'provider': provider, 'level': level, 'next': '/area-personale'})}",
                         allow_redirects=False)
        if start.status_code != 302 or not start.headers["location"].startswith(provider):
            fail("the portal did not send the browser to the provider", start)
        return self.through_provider(self.s.get(start.headers["location"], timeout=20), username)

    def through_provider(self, login, username: str):
        """From the provider's sign-in page to its answer: the callback URL."""
        if login.status_code != 200:
            fail("the provider refused the portal's request", login)
        form = next((f for f in forms(login.text) if "authz_request_object" in f["fields"]), None) or fail(
            "no sign-in form at the provider", login)
        consent = self.submit(login, form, {"username": username, "password": PASSWORD})
        form = next((f for f in forms(consent.text) if "agree" in f["fields"]), None) or fail(
            "no consent form at the provider", consent)
        answer = self.submit(consent, form, {}, allow_redirects=False)
        to = answer.headers.get("location", "")
        if answer.status_code != 302 or not to.startswith(self.portal + "/oidc/callback"):
            fail("the provider did not answer to the portal's callback", answer)
        return to

    def sign_in(self, provider: str, username: str, level: int):
        callback = self.at_provider(provider, username, level)
        return self.s.get(callback, timeout=20)


def signed_in(b: Browser, provider: str, username: str, level: int) -> None:
    landed = b.sign_in(provider, username, level)
    if landed.status_code != 200 or not landed.url.endswith("/area-personale"):
        fail(f"{username} was not signed in at level {level}", landed)
    history = b.get("/area-personale/attivita")
    # The newest sign-in is the first row of the first table.
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", history.text, re.S)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", rows[1] if len(rows) > 1 else "", re.S)]
    if "SPID (OpenID Connect)" not in cells or str(level) not in cells:
        fail(f"the history's newest sign-in is {cells}, not SPID (OpenID Connect) at level {level}")
    print(f"{username}: signed in over OpenID Connect at level {level}")


def saml(portal: str, name: str) -> None:
    b = Browser(portal)
    choice = b.get("/accedi")
    link = re.search(r'href="(/saml/login\?idp=[^"]*)"[^>]*>Demo IdP', choice.text) or fail("no demo IdP", choice)
    idp = b.get(html.unescape(link.group(1)))
    form = forms(idp.text)[0]
    person = next(v for v in form["radios"].get("person", []) if v) if "person" in form["radios"] else None
    labels = re.findall(r'value="([^"]+)"[^>]*>\s*<label[^>]*>\s*' + re.escape(name), idp.text)
    chosen = {"person": labels[0] if labels else person}
    answer = b.submit(idp, form, chosen)
    landed = b.submit(answer, forms(answer.text)[0], {})
    if name not in b.get("/area-personale").text:
        fail(f"{name} was not signed in with SAML", landed)
    print(f"{name}: signed in with the demo SPID IdP (SAML)")


def main(argv: list) -> None:
    match argv:
        case ["saml", portal, name]:
            saml(portal, name)
        case ["same-account", portal, provider, username, name]:
            saml(portal, name)
            b = Browser(portal)
            signed_in(b, provider, username, 1)
            history = b.get("/area-personale/attivita").text
            if "Demo IdP" not in history:
                fail(f"{name}'s SAML sign-in is not in the history of the OpenID Connect one: another account")
            print(f"{name}: the same account over SAML and over OpenID Connect")
        case ["refused", portal, provider, username, status, text]:
            b = Browser(portal)
            answer = b.sign_in(provider, username, 1)
            if answer.status_code != int(status) or text not in html.unescape(answer.text):
                fail(f"expected {status} and {text!r}", answer)
            print(f"{username}: refused with {status}")
        case ["replay", portal, provider, username]:
            b = Browser(portal)
            callback = b.at_provider(provider, username, 1)
            if b.s.get(callback, timeout=20).status_code != 200:
                fail("the first answer was refused")
            again = b.s.get(callback, timeout=20)
            if again.status_code != 400:
                fail("a replayed answer was accepted", again)
            other = Browser(portal)
            stolen = b.at_provider(provider, username, 1)
            taken = other.s.get(stolen, timeout=20)
            if taken.status_code != 400:
                fail("an answer delivered to another browser was accepted", taken)
            print(f"{username}: a replayed answer and one delivered to another browser are refused")
        case ["sign-out", portal, provider, username]:
            b = Browser(portal)
            signed_in(b, provider, username, 1)
            area = b.get("/area-personale")
            form = next(f for f in forms(area.text) if f["action"].endswith("/esci"))
            out = b.submit(area, form, {})
            if b.get("/area-personale", allow_redirects=False).status_code == 200:
                fail("still signed in after signing out", out)
            print(f"{username}: signed out")
        case ["step-up", portal, provider, username]:
            b = Browser(portal)
            signed_in(b, provider, username, 1)
            # Dimissioni volontarie asks for level 2: back to the same provider.
            login = b.get("/dimissioni-volontarie")
            if not login.url.startswith(provider):
                fail("a level-2 service did not send the person back to the provider", login)
            landed = b.s.get(b.through_provider(login, username), timeout=20)
            if landed.status_code != 200 or "/dimissioni-volontarie" not in landed.url:
                fail("the step-up did not lead back to the service", landed)
            print(f"{username}: stepped up to level 2 over OpenID Connect")
        case ["everywhere", portal, provider, username]:
            a, b = Browser(portal), Browser(portal)
            signed_in(a, provider, username, 1)
            signed_in(b, provider, username, 1)
            sessions = a.get("/area-personale/sessioni")
            form = next(f for f in forms(sessions.text) if f["action"].endswith("/sessioni/chiudi") and "tutte" in f["fields"])
            a.submit(sessions, form, {})
            for who in (a, b):
                if who.get("/area-personale", allow_redirects=False).status_code == 200:
                    fail("a session outlived signing out everywhere")
            print(f"{username}: signed out everywhere")
        case [portal, provider, username, level]:
            signed_in(Browser(portal), provider, username, int(level))
        case _:
            raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
