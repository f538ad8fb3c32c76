from django.urls import path

from actions import cadence_views, grid_views, people_views, scale_views
from actions import plan_views as views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/grid/", grid_views.plan_grid, name="grid"),
    path("<int:pk>/status/", views.plan_status, name="status"),
    path("<int:pk>/archive/", views.plan_archive, name="archive"),
    path("<int:pk>/cadence/new/", cadence_views.cadence_create, name="cadence-create"),
    path("cadence/<int:change_pk>/edit/", cadence_views.cadence_edit, name="cadence-edit"),
    path("cadence/<int:change_pk>/retire/", cadence_views.cadence_retire, name="cadence-retire"),
    path("<int:plan_pk>/priorities/new/", views.priority_create, name="priority-create"),
    path("priorities/<int:priority_pk>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:priority_pk>/links/", views.priority_links, name="priority-links"),
    path("priorities/<int:priority_pk>/actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/rebaseline/", views.action_rebaseline, name="action-rebaseline"),
    path("actions/<int:pk>/archive/", views.action_archive, name="action-archive"),
    path("actions/<int:pk>/restore/", views.action_restore, name="action-restore"),
    path("people/", views.people_list, name="people"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", people_views.person_detail, name="person-detail"),
    path("people/<int:pk>/sign-in/", people_views.person_sign_in, name="person-sign-in"),
    path("scales/", scale_views.scale_list, name="scales"),
    path("scales/new/", scale_views.scale_create, name="scale-create"),
    path("scales/<int:pk>/", scale_views.scale_detail, name="scale-detail"),
    path("scales/<int:pk>/levels/new/", scale_views.level_create, name="level-create"),
    path("levels/<int:level_pk>/edit/", scale_views.level_edit, name="level-edit"),
    path("levels/<int:level_pk>/retire/", scale_views.level_retire, name="level-retire"),
    path("<int:pk>/scale/", scale_views.plan_scale, name="plan-scale"),
    path("organisations/", scale_views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/edit/", scale_views.organisation_edit, name="organisation-edit"),
    path("organisations/<int:pk>/succeed/", scale_views.organisation_succeed, name="organisation-succeed"),
]
