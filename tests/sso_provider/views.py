"""The test provider's control endpoints (loopback only, test processes only)."""

from __future__ import annotations

import json

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oidc_provider.models import Client, ResponseType, RSAKey
from oidc_provider.views import JwksView

from tests.sso_provider.claims import EXTRA, FLAGS


@csrf_exempt
@require_POST
def client(request):
    data = json.loads(request.body)
    found, _ = Client.objects.update_or_create(
        client_id=data["client_id"],
        defaults={
            "name": "SEND Tracker",
            "client_type": "confidential",
            "client_secret": data["client_secret"],
            "jwt_alg": "RS256",
            "require_consent": False,
            "_redirect_uris": "\n".join(data["redirect_uris"]),
            "_post_logout_redirect_uris": "\n".join(data["post_logout_redirect_uris"]),
            "_scope": "openid email profile",
        },
    )
    found.response_types.set(ResponseType.objects.filter(value="code"))
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def user(request):
    data = json.loads(request.body)
    found, _ = User.objects.update_or_create(
        username=data["username"], defaults={"email": data.get("email", ""), "is_active": True}
    )
    found.set_password(data["password"])
    found.save()
    EXTRA[found.username] = data
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def disable(request, username):
    User.objects.filter(username=username).update(is_active=False)
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def flags(request):
    FLAGS.clear()
    FLAGS.update(json.loads(request.body))
    return HttpResponse(status=204)


def jwks(request):
    """The provider's published keys, or with the `wrong_key` flag a key that signed nothing."""
    if not FLAGS.get("wrong_key"):
        return JwksView.as_view()(request)
    numbers = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_numbers()
    keys = [
        {
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": key.kid,
            "n": jwt.utils.to_base64url_uint(numbers.n).decode("ascii"),
            "e": jwt.utils.to_base64url_uint(numbers.e).decode("ascii"),
        }
        for key in RSAKey.objects.all()
    ]
    return JsonResponse({"keys": keys})
