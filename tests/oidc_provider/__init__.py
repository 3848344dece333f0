"""A real OpenID Connect provider for the test suite (django-oauth-toolkit), standing in for 政务服务统一身份认证.

Its own Django project (settings, URLs, SQLite) served by ``serve.py`` in a subprocess on a loopback port; see
``tests/oidc_provider/fixtures.py``."""
