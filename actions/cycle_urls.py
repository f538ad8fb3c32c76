from django.urls import path

from actions import cycle_views

app_name = "cycle"

urlpatterns = [
    path("", cycle_views.cycle_index, name="index"),
    path("plans/<int:plan>/", cycle_views.update_status, name="status"),
    path("plans/<int:plan>/remind/", cycle_views.send_plan_reminders, name="remind"),
    path("actions/<int:action>/record/", cycle_views.record_update, name="record"),
]
