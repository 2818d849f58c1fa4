"""The portal's entity configuration, read by the reference implementation.

Fetches BASE/.well-known/openid-federation from a running portal and has
spid-cie-oidc (the Django apps of AgID's and the Poligrafico's federation)
check it as a federation member would: the header (typ, kid), the signature
by the federation key it names, and the Relying Party metadata against the
package's SPID and CIE schemas. A configuration with one byte changed must
fail, so the check is known to bite. Exits non-zero on the first failure.

Usage: check_entity_configuration.py BASE_URL
"""
import sys

import django
from django.conf import settings

settings.configure(USE_TZ=True)
django.setup()

import requests  # noqa: E402
from spid_cie_oidc.entity.schemas.rp_metadata import RPMetadataCie, RPMetadataSpid  # noqa: E402
from spid_cie_oidc.entity.statements import EntityConfiguration  # noqa: E402


def main(base: str) -> None:
    res = requests.get(f"{base}/.well-known/openid-federation", timeout=10)
    res.raise_for_status()
    media_type = res.headers.get("content-type", "")
    assert media_type == "application/entity-statement+jwt", media_type
    ec = EntityConfiguration(res.text)
    ec.validate_by_itself()
    assert ec.iss == ec.sub == base, (ec.iss, ec.sub, base)
    payload = ec.payload
    for claim in ("iat", "exp", "jwks", "authority_hints", "trust_marks", "metadata"):
        assert claim in payload, f"{claim} missing"
    assert payload["exp"] > payload["iat"]
    federation_entity = payload["metadata"]["federation_entity"]
    for claim in ("organization_name", "homepage_uri", "policy_uri", "logo_uri", "contacts"):
        assert federation_entity.get(claim), f"federation_entity.{claim} missing"
    rp = payload["metadata"]["openid_relying_party"]
    RPMetadataSpid(**rp)
    RPMetadataCie(**rp)
    assert rp["client_registration_types"] == ["automatic"]
    assert rp["token_endpoint_auth_method"] == "private_key_jwt"
    federation_kids = {k["kid"] for k in payload["jwks"]["keys"]}
    core_kids = {k["kid"] for k in rp["jwks"]["keys"]}
    assert not federation_kids & core_kids, "federation and core keys must differ"

    # One changed byte in the claims: the reference must refuse it.
    head, body, signature = res.text.split(".")
    tampered = ".".join((head, body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1], signature))
    try:
        EntityConfiguration(tampered).validate_by_itself()
    except Exception:  # noqa: BLE001 - any refusal will do
        pass
    else:
        raise AssertionError("a tampered entity configuration was accepted")
    print(f"entity configuration of {base}: signature and RP metadata valid (spid-cie-oidc)")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
