from django.urls import path

from actions import board_views

app_name = "boards"

urlpatterns = [
    path("", board_views.board_list, name="list"),
    path("new/", board_views.board_create, name="create"),
    path("<int:board>/", board_views.board_detail, name="detail"),
    path("<int:board>/edit/", board_views.board_edit, name="edit"),
    path("<int:board>/meetings/new/", board_views.meeting_create, name="meeting-create"),
    path("<int:board>/meetings/series/", board_views.meeting_series, name="meeting-series"),
    path("meetings/<int:meeting>/edit/", board_views.meeting_edit, name="meeting-edit"),
]
