"""Claims of the test provider's users: what tests set through /test/users (kept in this process)."""

from __future__ import annotations

# username -> {"email_verified": bool, "groups": [...], "mfa": bool, "given_name": ..., "family_name": ...}
EXTRA: dict[str, dict] = {}
# Switches the tests flip: "expired" makes ID tokens already expired.
FLAGS: dict[str, bool] = {}


def userinfo(claims: dict, user) -> dict:
    extra = EXTRA.get(user.username, {})
    claims.update(
        preferred_username=user.username,
        email=user.email,
        email_verified=extra.get("email_verified", True),
        given_name=extra.get("given_name", ""),
        family_name=extra.get("family_name", ""),
    )
    return claims


def id_token_hook(id_token: dict, user, **kwargs) -> dict:
    extra = EXTRA.get(user.username, {})
    id_token["amr"] = ["pwd", "mfa"] if extra.get("mfa") else ["pwd"]
    id_token["groups"] = extra.get("groups", [])
    if FLAGS.get("expired"):
        id_token["iat"] -= 1200
        id_token["exp"] = id_token["iat"] + 60
    return id_token
