"""Superset's settings for the serving copy, read through SUPERSET_CONFIG_PATH (`make superset`).

Everything an instance writes lives under SUPERSET_HOME (default data/superset, outside git):
the metadata database and the secret key, which `make superset` generates once and Superset
uses to sign sessions and encrypt connection settings.
"""

import os
from pathlib import Path

_HOME = Path(os.environ.get("SUPERSET_HOME", "data/superset")).resolve()

SECRET_KEY = (_HOME / "secret_key").read_text().strip()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{_HOME / 'superset.db'}"

# One team at a time: a dashboard loads a handful of charts, each a small query on a small file.
ROW_LIMIT = 10_000
SQL_MAX_ROW = 10_000

# Nothing is sent anywhere: no usage statistics, no example data, no thumbnails (no browser needed).
FEATURE_FLAGS = {"THUMBNAILS": False, "ALERT_REPORTS": False}
SUPERSET_WEBSERVER_TIMEOUT = 120

# The browser may fetch from this server only: Superset's default policy also lets pages load
# map tiles, fonts and a usage-counting image from other hosts (the image is on every login page).
_SAME_ORIGIN = {
    "base-uri": ["'self'"],
    "default-src": ["'self'"],
    "img-src": ["'self'", "blob:", "data:"],
    "worker-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "object-src": "'none'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "font-src": ["'self'", "data:"],
    "script-src": ["'self'", "'strict-dynamic'"],
}
TALISMAN_CONFIG = {
    "content_security_policy": _SAME_ORIGIN,
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
