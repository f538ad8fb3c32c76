"""Single sign-on providers (OpenID Connect), read from the environment by settings.py (issue #34).

`SSO_PROVIDERS=council,nhs` names the providers; each reads `SSO_<NAME>_…` variables (README
"Single sign-on"). Only plain data here: settings imports this module before any app is ready, and the
provider's discovery document is fetched when someone first signs in, never at start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

from core import roles
from core.env import env_bool, env_int, env_list, env_str


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    issuer: str
    discovery_url: str
    client_id: str
    client_secret: str = field(repr=False)
    scopes: str = "openid email profile"
    username_claim: str = "preferred_username"
    groups_claim: str = "groups"
    # Provider group value -> role; empty means an administrator assigns roles here, as for local users.
    group_roles: dict[str, str] = field(default_factory=dict)
    # Existing users may be matched by a verified email address (off unless the deployment says so).
    match_email: bool = False
    # For providers that leave email_verified out (Microsoft Entra ID): their addresses count as verified.
    trust_email: bool = False
    # `amr` values that say the provider checked a second factor (RFC 8176).
    mfa_amr: frozenset[str] = frozenset({"mfa"})
    sign_algo: str = "RS256"
    timeout: int = 10


def _group_roles(name: str) -> dict[str, str]:
    """Parse `group=Role;other group=Other role` (roles and group names may contain spaces and commas)."""
    raw = env_str(name).strip().strip("\"'")
    mapping = {}
    for pair in filter(None, (item.strip() for item in raw.split(";"))):
        group, sep, role = (part.strip() for part in pair.rpartition("="))
        if not sep or not group or role not in roles.ROLES:
            raise ImproperlyConfigured(
                f"{name}: {pair!r} must be 'group=role' with a role from {list(roles.ROLES)}."
            )
        mapping[group] = role
    return mapping


def providers_from_env() -> dict[str, Provider]:
    """Return the configured providers by key (lower case), in the order SSO_PROVIDERS names them."""
    providers = {}
    for key in env_list("SSO_PROVIDERS", []):
        if not re.fullmatch(r"[a-z][a-z0-9]*", key):
            raise ImproperlyConfigured(f"SSO_PROVIDERS: {key!r} must be lower-case letters and digits.")
        prefix = f"SSO_{key.upper()}_"
        issuer = env_str(prefix + "ISSUER").rstrip("/")
        client_id = env_str(prefix + "CLIENT_ID")
        if not issuer.startswith(("https://", "http://")) or not client_id:
            raise ImproperlyConfigured(f"{prefix}ISSUER (a URL) and {prefix}CLIENT_ID must be set.")
        providers[key] = Provider(
            key=key,
            name=env_str(prefix + "NAME", key),
            issuer=issuer,
            discovery_url=env_str(prefix + "DISCOVERY_URL", f"{issuer}/.well-known/openid-configuration"),
            client_id=client_id,
            client_secret=env_str(prefix + "CLIENT_SECRET"),
            scopes=" ".join(env_list(prefix + "SCOPES", ["openid", "email", "profile"])),
            username_claim=env_str(prefix + "USERNAME_CLAIM", "preferred_username"),
            groups_claim=env_str(prefix + "GROUPS_CLAIM", "groups"),
            group_roles=_group_roles(prefix + "GROUP_ROLES"),
            match_email=env_bool(prefix + "MATCH_EMAIL", default=False),
            trust_email=env_bool(prefix + "TRUST_EMAIL", default=False),
            mfa_amr=frozenset(env_list(prefix + "MFA_AMR", ["mfa"])),
            sign_algo=env_str(prefix + "SIGN_ALGO", "RS256"),
            timeout=env_int(prefix + "TIMEOUT_SECONDS", 10),
        )
    return providers
