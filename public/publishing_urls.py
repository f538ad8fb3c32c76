from django.urls import path

from public import manage_views as views

app_name = "publishing"

urlpatterns = [
    path("plans/<int:plan>/", views.plan_page, name="plan"),
    path("plans/<int:plan>/purpose/", views.purpose, name="purpose"),
    path("plans/<int:plan>/publish/", views.publish, name="publish"),
    path("plans/<int:plan>/withdraw/", views.withdraw, name="withdraw"),
    path("priorities/<int:priority>/summary/", views.summary, name="summary"),
    path("priorities/<int:priority>/summary/approve/", views.approve_summary, name="approve-summary"),
    path("priorities/<int:priority>/you-said-we-did/new/", views.item_add, name="item-add"),
    path("you-said-we-did/<int:you_said_we_did>/", views.item_edit, name="item-edit"),
    path("you-said-we-did/<int:you_said_we_did>/approve/", views.item_approve, name="item-approve"),
    path("you-said-we-did/<int:you_said_we_did>/retire/", views.item_retire, name="item-retire"),
    path("measures/<int:measure>/", views.measure, name="measure"),
]
