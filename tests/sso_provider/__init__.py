"""A real OpenID Connect provider for the single sign-on tests (issue #34), built on django-oidc-provider.

It runs in its own process with its own settings and database (`python -m tests.sso_provider.serve PORT
DB`), so the app under test talks to it over HTTP on 127.0.0.1 exactly as to Microsoft Entra ID. Tests set
it up through /test/… endpoints (see views.py): a client, users with groups, `amr` and email claims, a user
disabled at the provider, an ID token that is already expired, keys that do not match the signature.
"""
