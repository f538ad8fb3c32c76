from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("mine/", views.my_actions, name="mine"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/row/", views.action_row, name="row"),
    path("<int:pk>/update/", views.action_update, name="update"),
    path("<int:pk>/criteria/<int:criterion_pk>/met/", views.criterion_met, name="criterion-met"),
]
