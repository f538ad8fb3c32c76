from django.contrib import admin
from django.urls import include, path

from accounts import sso
from accounts import views as account_views
from send_tracker import health

admin.site.site_header = "SEND Tracker administration"
admin.site.site_title = "SEND Tracker admin"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("login/", account_views.SignInView.as_view(), name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("sso/<str:provider>/start/", sso.StartView.as_view(), name="sso-start"),
    path("sso/callback/", sso.CallbackView.as_view(), name="sso-callback"),
    path("actions/", include("actions.urls")),
    path("account/", include("accounts.urls")),
    path("update-cycle/", include("actions.cycle_urls")),
    path("boards/", include("actions.board_urls")),
    path("inspections/", include("inspections.urls")),
    path("dashboard/", include("reports.urls")),
    path("plans/", include("actions.plan_urls")),
    path("papers/", include("reports.paper_urls")),
    path("", include("exchange.urls")),
    path("public/", include("public.urls")),
    path("publishing/", include("public.publishing_urls")),
    path("admin/", admin.site.urls),
    path("health/", health.health, name="health"),
]
