"""The reference federation, and the portal in it.

  enrol.py setup PORTAL_URL TRUST_MARKS_OUT ANCHORS_OUT
      creates the trust anchor (FEDERATION_URL) and an OpenID Provider under
      it (FEDERATION_URL/oidc/op), registers the running portal as a
      descendant with the federation keys its entity configuration names,
      gives it the SPID public-SP trust mark, adds the provider's people
      (password "tests-only"), and writes the portal's trust
      marks (the SL_OIDC_TRUST_MARKS file) and the trust anchor with its
      public keys (the SL_OIDC_TRUST_ANCHORS file).
  enrol.py revoke-provider
      the anchor stops standing by the provider's trust mark (its status
      endpoint answers 404), as when a provider leaves the federation.
  enrol.py revoked-count PORTAL_URL
      prints how many of the portal's sessions at the provider are revoked.
  enrol.py revoked PORTAL_URL N
      at least N of the portal's sessions at the provider were revoked.
  enrol.py check PORTAL_URL
      has the trust anchor build the portal's trust chain, as a federation
      member would before talking to it: the portal's entity configuration,
      the anchor's statement about it, the metadata policy, and the trust
      mark it must carry. Exits non-zero unless the chain holds.

Run with DJANGO_SETTINGS_MODULE=reference.settings (FEDERATION_URL, FEDERATION_DATA).
"""
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reference.settings")
django.setup()

from django.conf import settings  # noqa: E402
from spid_cie_oidc.authority.models import (  # noqa: E402
    FederationDescendant,
    FederationEntityAssignedProfile,
    FederationEntityProfile,
)
from spid_cie_oidc.entity.jwks import create_jwk, public_jwk_from_private_jwk  # noqa: E402
from spid_cie_oidc.entity.models import FederationEntityConfiguration  # noqa: E402
from spid_cie_oidc.entity.statements import EntityConfiguration, get_entity_configurations  # noqa: E402
from spid_cie_oidc.entity.trust_chain_operations import get_or_create_trust_chain  # noqa: E402

TA = settings.FEDERATION_URL
OP = f"{TA}/oidc/op"
SP_PUBLIC = "https://www.spid.gov.it/openid-federation/agreement/sp-public"
OP_PUBLIC = "https://www.spid.gov.it/openid-federation/agreement/op-public"


def federation_entity(name: str, base: str) -> dict:
    return {
        "organization_name": name,
        "homepage_uri": base,
        "policy_uri": f"{base}/privacy",
        "logo_uri": f"{base}/logo.svg",
        "contacts": ["ops@federation.example.it"],
        "federation_resolve_endpoint": f"{TA}/resolve",
    }


def profile(profile_id: str, category: str, name: str) -> FederationEntityProfile:
    template = {"iss": "$.issuer_sub", "sub": "$.sub", "iat": 0, "id": profile_id,
                "ref": "https://docs.italia.it/italia/spid/spid-cie-oidc-docs/"}
    return FederationEntityProfile.objects.get_or_create(
        profile_id=profile_id,
        defaults={"name": name, "profile_category": category, "trust_mark_template": template},
    )[0]


def setup(portal: str, out: str, anchors_out: str) -> None:
    anchor, _ = FederationEntityConfiguration.objects.get_or_create(
        sub=TA,
        defaults={
            "entity_type": "federation_entity",
            "is_active": True,
            "constraints": {"max_path_length": 1},
            "trust_mark_issuers": {SP_PUBLIC: [TA], OP_PUBLIC: [TA]},
            "metadata": {"federation_entity": {
                **federation_entity("Trust anchor (tests)", TA),
                "federation_fetch_endpoint": f"{TA}/fetch",
                "federation_list_endpoint": f"{TA}/list",
                "federation_trust_mark_status_endpoint": f"{TA}/trust_mark_status",
            }},
        },
    )
    provider, _ = FederationEntityConfiguration.objects.get_or_create(
        sub=OP,
        defaults={
            "entity_type": "openid_provider",
            "is_active": True,
            "authority_hints": [TA],
            "metadata": {
                "federation_entity": federation_entity("OpenID Provider (tests)", OP),
                "openid_provider": {
                    "issuer": OP,
                    "authorization_endpoint": f"{OP}/authorization",
                    "token_endpoint": f"{OP}/token",
                    "userinfo_endpoint": f"{OP}/userinfo",
                    "revocation_endpoint": f"{OP}/revocation",
                    "client_registration_types_supported": ["automatic"],
                    "code_challenge_methods_supported": ["S256"],
                    "acr_values_supported": [
                        "https://www.spid.gov.it/SpidL1",
                        "https://www.spid.gov.it/SpidL2",
                        "https://www.spid.gov.it/SpidL3",
                    ],
                    "id_token_signing_alg_values_supported": ["RS256", "ES256"],
                    "userinfo_signing_alg_values_supported": ["RS256", "ES256"],
                    "userinfo_encryption_alg_values_supported": ["RSA-OAEP", "RSA-OAEP-256"],
                    "userinfo_encryption_enc_values_supported": ["A128CBC-HS256", "A256CBC-HS512"],
                    "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                },
            },
        },
    )
    # Its core keys, as the rules want them: one to sign ID Tokens and
    # UserInfo with (the first, which the package signs with), one to be
    # encrypted to, each saying what it is for; published in its metadata.
    if not provider.metadata["openid_provider"].get("jwks"):
        provider.jwks_core = [{**create_jwk(), "use": "sig"}, {**create_jwk(), "use": "enc"}]
        provider.metadata["openid_provider"]["jwks"] = {
            "keys": [{**public_jwk_from_private_jwk(k), "use": k["use"]} for k in provider.jwks_core]
        }
        provider.save()
    for username, attributes in PEOPLE.items():
        person(username, attributes)
    sp_public = profile(SP_PUBLIC, "openid_relying_party", "SPID Public SP")
    op_public = profile(OP_PUBLIC, "openid_provider", "SPID Public OP")
    op_mark = enrol_descendant(OP, "openid_provider", provider.public_jwks, op_public, anchor)
    # The provider shows the mark it was given in its own configuration.
    provider.trust_marks = [{"id": OP_PUBLIC, "trust_mark": op_mark.trust_mark_as_jws}]
    provider.save()

    # The portal, with the federation keys its own configuration names.
    portal_ec = EntityConfiguration(get_entity_configurations([portal], httpc_params=settings.HTTPC_PARAMS)[0])
    portal_ec.validate_by_itself()
    assigned = enrol_descendant(portal, "openid_relying_party", portal_ec.payload["jwks"]["keys"], sp_public, anchor)
    with open(out, "w") as f:
        json.dump([{"id": SP_PUBLIC, "trust_mark": assigned.trust_mark_as_jws}], f)
    with open(anchors_out, "w") as f:
        json.dump([{"entity_id": TA, "jwks": {"keys": anchor.public_jwks}}], f)
    print(f"federation at {TA}: trust anchor, {OP}, and {portal} enrolled with the {SP_PUBLIC} trust mark")


# The provider's people: the portal's demo people, with the same codice
# fiscale, so that they land in the account their SAML sign-in made.
PASSWORD = "tests-only"
PEOPLE = {
    "mario": {
        "given_name": "Mario",
        "family_name": "Rossi",
        "https://attributes.eid.gov.it/fiscal_number": "TINIT-RSSMRA80A01H501U",
        "birthdate": "1980-01-01",
        "email": "mario.rossi@example.org",
    },
    "giulia": {
        "given_name": "Giulia",
        "family_name": "Bianchi",
        "https://attributes.eid.gov.it/fiscal_number": "TINIT-BNCGLI85M41F205B",
        "birthdate": "1985-08-01",
        "email": "giulia.bianchi@example.org",
    },
    # Someone the provider vouches for without a codice fiscale.
    "anonimo": {"given_name": "Senza", "family_name": "Codice"},
}


def person(username: str, attributes: dict) -> None:
    from django.contrib.auth import get_user_model
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(PASSWORD)
    user.email = attributes.get("email")
    user.attributes = attributes
    user.save()


def enrol_descendant(sub, kind, jwks, trust_mark_profile, anchor):
    descendant, _ = FederationDescendant.objects.update_or_create(
        sub=sub,
        defaults={"name": kind[:33], "type": kind, "jwks": jwks, "is_active": True},
    )
    return FederationEntityAssignedProfile.objects.get_or_create(
        descendant=descendant, profile=trust_mark_profile, issuer=anchor
    )[0]


def revoke_provider() -> None:
    FederationEntityAssignedProfile.objects.filter(descendant__sub=OP, profile__profile_id=OP_PUBLIC).delete()
    print(f"the trust mark {OP_PUBLIC} of {OP} is revoked")


def revoked_count(client: str) -> int:
    from spid_cie_oidc.provider.models import OidcSession
    return OidcSession.objects.filter(client_id=client, revoked=True).count()


def revoked(client: str, at_least: int) -> None:
    n = revoked_count(client)
    if n < at_least:
        raise SystemExit(f"{n} of the sessions of {client} at the provider are revoked, not {at_least}")
    print(f"{n} sessions of {client} revoked at the provider")


def check(portal: str) -> None:
    chain = get_or_create_trust_chain(
        subject=portal,
        trust_anchor=TA,
        httpc_params=settings.HTTPC_PARAMS,
        required_trust_marks=[SP_PUBLIC],
        force=True,
    )
    if not chain or not chain.is_valid:
        raise SystemExit(f"the trust anchor does not trust {portal}: {getattr(chain, 'log', '')}")
    metadata = chain.metadata.get("openid_relying_party") or {}
    assert metadata.get("client_id") == portal, metadata
    marks = [m.get("id") or m.get("trust_mark_id") for m in chain.trust_marks]
    print(f"trust chain of {portal} to {TA}: valid until {chain.exp}, trust marks {marks}")


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["setup", portal, out, anchors_out]:
            setup(portal.rstrip("/"), out, anchors_out)
        case ["revoke-provider"]:
            revoke_provider()
        case ["revoked-count", client]:
            print(revoked_count(client.rstrip("/")))
        case ["revoked", client, at_least]:
            revoked(client.rstrip("/"), int(at_least))
        case ["check", portal]:
            check(portal.rstrip("/"))
        case _:
            raise SystemExit(__doc__)
