from django.urls import path

from accounts import views

app_name = "account"

urlpatterns = [
    path("", views.index, name="index"),
    path("password/", views.password_change, name="password-change"),
    path("password/forgotten/", views.password_reset, name="password-reset"),
    path("password/forgotten/sent/", views.password_reset_sent, name="password-reset-sent"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password-reset-confirm"),
    path("two-step/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("two-step/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("two-step/recovery-codes/", views.recovery_codes, name="recovery-codes"),
]
