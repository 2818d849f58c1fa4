"""A test identity provider for scripts/prod-test, built from AgID's
spid-sp-test (run with its virtualenv's Python): it reads the AuthnRequest an
instance issued, answers with spid-sp-test's compliant Response (test case 1)
for one of our test people, signed with the IdP key in IDP_CERT_PATH by
xmlsec1. The instances trust it only because the test sets
SL_ALLOW_TEST_IDPS_UNTIL; nothing here is a shortcut around the SAML checks."""
import base64
import os
import tempfile

from lxml import etree
from spid_sp_test.response import SpidSpResponseCheck
from spid_sp_test.responses import settings

ENTITY_ID = "https://localhost:8443"

PEOPLE = {
    "mario": ("Mario", "Rossi", "RSSMRA80A01H501U", "mario.rossi@example.org"),
    "giulia": ("Giulia", "Bianchi", "BNCGLI85M41F205L", "giulia.bianchi@example.org"),
}


def answer(redirect_url: str, sp_metadata: bytes, person: str = "mario"):
    """(ACS URL, base64 SAMLResponse, RelayState) answering the AuthnRequest
    carried by `redirect_url` (HTTP-Redirect binding)."""
    with tempfile.NamedTemporaryFile("w", suffix=".url", delete=False) as f:
        f.write(redirect_url)
        path = f.name
    try:
        check = SpidSpResponseCheck(
            authn_request_url=f"file://{path}",
            metadata_etree=_no_ns(etree.fromstring(sp_metadata)),
            key_file=os.path.join(os.environ["IDP_CERT_PATH"], "private.key"),
        )
        check.do_authnrequest()
        check.load_user_attributes()
        given, family, cf, email = PEOPLE[person]
        attrs = {k: settings.ATTRIBUTES.get(k, "") for k in check.requested_attrs} or dict(settings.ATTRIBUTES)
        attrs.update(name=given, familyName=family, fiscalNumber=f"TINIT-{cf}", email=email)
        attrs = {k: v for k, v in attrs.items() if k in check.requested_attrs or not check.requested_attrs}
        response = check.load_test(test_name="1")
        xml = check.sign(response.render(user_attrs=attrs), key_file=check.private_key_fpath)
        return check.acs_url, base64.b64encode(xml.encode()).decode(), check.authn_request_data.get("RelayState", "")
    finally:
        os.unlink(path)


def _no_ns(tree):
    """spid-sp-test reads metadata with namespaces removed."""
    from spid_sp_test.utils import del_ns

    del_ns(tree)
    return tree
