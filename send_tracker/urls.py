from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from send_tracker import views
from send_tracker.forms import LoginForm

admin.site.site_header = "SEND Tracker administration"
admin.site.site_title = "SEND Tracker admin"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("actions/", include("actions.urls")),
    path("papers/", include("reports.paper_urls")),
    path("admin/", admin.site.urls),
]
