"""The federation endpoints: entity configurations (the trust anchor's and the
OpenID Provider's, each at its own address), fetch, resolve, list, trust mark
status; and the OpenID Provider's own (authorization, consent, token,
UserInfo, revocation) under oidc/op/."""
from django.urls import path
from spid_cie_oidc.authority.urls import urlpatterns as authority
from spid_cie_oidc.entity.urls import urlpatterns as entity
from spid_cie_oidc.entity.views import entity_configuration
from spid_cie_oidc.provider.urls import urlpatterns as provider

urlpatterns = [
    *entity,
    *authority,
    *provider,
    path("oidc/op/.well-known/openid-federation", entity_configuration),
]
