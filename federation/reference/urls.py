"""The federation endpoints: entity configurations (the trust anchor's and the
OpenID Provider's, each at its own address), fetch, resolve, list, trust mark status."""
from django.urls import path
from spid_cie_oidc.authority.urls import urlpatterns as authority
from spid_cie_oidc.entity.urls import urlpatterns as entity
from spid_cie_oidc.entity.views import entity_configuration

urlpatterns = [
    *entity,
    *authority,
    path("oidc/op/.well-known/openid-federation", entity_configuration),
]
