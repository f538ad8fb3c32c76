from django.contrib.auth import views as auth_views
from django.urls import include, path

from tests.sso_provider import views

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("openid/jwks", views.jwks),
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
    path("test/client", views.client),
    path("test/user", views.user),
    path("test/users/<str:username>/disable", views.disable),
    path("test/flags", views.flags),
]
