from django.urls import path

from actions import cadence_views, grid_views, people_views, scale_views
from actions import plan_views as views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:plan>/", views.plan_detail, name="detail"),
    path("<int:plan>/edit/", views.plan_edit, name="edit"),
    path("<int:plan>/grid/", grid_views.plan_grid, name="grid"),
    path("<int:plan>/status/", views.plan_status, name="status"),
    path("<int:plan>/archive/", views.plan_archive, name="archive"),
    path("<int:plan>/cadence/new/", cadence_views.cadence_create, name="cadence-create"),
    path("cadence/<int:change>/edit/", cadence_views.cadence_edit, name="cadence-edit"),
    path("cadence/<int:change>/retire/", cadence_views.cadence_retire, name="cadence-retire"),
    path("<int:plan>/priorities/new/", views.priority_create, name="priority-create"),
    path("priorities/<int:priority>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:priority>/links/", views.priority_links, name="priority-links"),
    path("priorities/<int:priority>/actions/new/", views.action_create, name="action-create"),
    path("actions/<int:action>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:action>/rebaseline/", views.action_rebaseline, name="action-rebaseline"),
    path("actions/<int:action>/archive/", views.action_archive, name="action-archive"),
    path("actions/<int:action>/restore/", views.action_restore, name="action-restore"),
    path("people/", views.people_list, name="people"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:person>/", people_views.person_detail, name="person-detail"),
    path("people/<int:person>/sign-in/", people_views.person_sign_in, name="person-sign-in"),
    path("scales/", scale_views.scale_list, name="scales"),
    path("scales/new/", scale_views.scale_create, name="scale-create"),
    path("scales/<int:scale>/", scale_views.scale_detail, name="scale-detail"),
    path("scales/<int:scale>/levels/new/", scale_views.level_create, name="level-create"),
    path("levels/<int:level>/edit/", scale_views.level_edit, name="level-edit"),
    path("levels/<int:level>/retire/", scale_views.level_retire, name="level-retire"),
    path("<int:plan>/scale/", scale_views.plan_scale, name="plan-scale"),
    path("organisations/", scale_views.organisation_list, name="organisations"),
    path("organisations/<int:organisation>/edit/", scale_views.organisation_edit, name="organisation-edit"),
    path(
        "organisations/<int:organisation>/succeed/",
        scale_views.organisation_succeed,
        name="organisation-succeed",
    ),
]
