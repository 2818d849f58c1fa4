"""A trust anchor and an OpenID Provider of the reference implementation
(spid-cie-oidc, the Django apps the SPID and CIE id federations run), in one
process, for the portal's tests: never for production.

Adapted from the package's example federation_authority project
(Apache-2.0). Its address and data folder come from the environment:
FEDERATION_URL (http://127.0.0.1:8000) and FEDERATION_DATA.
"""
import os
from pathlib import Path

import aiohttp

BASE_DIR = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("FEDERATION_DATA", BASE_DIR / "data"))
FEDERATION_URL = os.environ.get("FEDERATION_URL", "http://127.0.0.1:8000").rstrip("/")

SECRET_KEY = "tests-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
APPEND_SLASH = False
USE_TZ = True
TIME_ZONE = "Europe/Rome"
LANGUAGE_CODE = "it-it"

INSTALLED_APPS = [
    "spid_cie_oidc.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "spid_cie_oidc.entity",
    "spid_cie_oidc.authority",
    "spid_cie_oidc.provider",
]
AUTH_USER_MODEL = "spid_cie_oidc_accounts.User"
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "reference.urls"
# The provider's pages extend the Italia design theme's base, which the
# package leaves to the deployment: a plain one is in templates/.
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": True,
}]
STATIC_URL = "/static/"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA / "federation.sqlite3")}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

OIDCFED_DEFAULT_TRUST_ANCHOR = FEDERATION_URL
OIDCFED_TRUST_ANCHORS = [FEDERATION_URL]
OIDCFED_REQUIRED_TRUST_MARKS = []
# The tests run over plain HTTP on loopback.
HTTPC_PARAMS = {"connection": {"ssl": False}, "session": {"timeout": aiohttp.ClientTimeout(total=4)}}
# As the technical rules' anchors ask of Relying Parties ("Entity Statement").
FEDERATION_DEFAULT_POLICY = {
    "openid_relying_party": {
        "grant_types": {
            "subset_of": ["authorization_code", "refresh_token"],
            "superset_of": ["authorization_code", "refresh_token"],
        },
    },
    "openid_provider": {},
    "federation_entity": {},
}
# The OpenID Provider, in the SPID profile: its people are in the database
# (enrol.py setup), with their attributes under the claims' names.
OIDCFED_PROVIDER_PROFILE = "spid"
OIDCFED_PROVIDER_SALT = "tests-only"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
