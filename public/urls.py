from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:plan>/", views.progress, name="progress"),
    path("plans/<int:plan>/embed/", views.embed, name="embed"),
    path("plans/<int:plan>/feed/", views.feed, name="feed"),
    path("plans/<int:plan>/papers/<int:version>/", views.paper, name="paper"),
]
