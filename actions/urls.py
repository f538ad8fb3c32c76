from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("mine/", views.my_actions, name="mine"),
    path("<int:action>/", views.action_detail, name="detail"),
    path("<int:action>/row/", views.action_row, name="row"),
    path("<int:action>/update/", views.action_update, name="update"),
    path("<int:action>/criteria/<int:criterion>/met/", views.criterion_met, name="criterion-met"),
]
