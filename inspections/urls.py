from django.urls import path

from inspections import chain_views, views

app_name = "inspections"

urlpatterns = [
    path("", views.review_list, name="reviews"),
    path("reviews/<int:review>/", views.review_detail, name="review"),
    path("reviews/<int:review>/edit/", chain_views.review_edit, name="review-edit"),
    path("reviews/<int:review>/steps/new/", chain_views.review_step_new, name="review-step-new"),
    path("reviews/<int:revisit>/judgements/", chain_views.revisit_judgements, name="judgements"),
    path("reviews/<int:revisit>/judgements/<int:finding>/", chain_views.judge, name="judge"),
    path("findings/<int:finding>/", views.finding_detail, name="finding"),
    path("findings/<int:finding>/priorities/", views.finding_priorities, name="finding-priorities"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("matrix/", views.matrix, name="matrix"),
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/new/", views.framework_new, name="framework-new"),
    path("frameworks/<int:framework>/", views.framework_detail, name="framework"),
    path("frameworks/<int:framework>/sections/", views.framework_add_section, name="framework-add-section"),
    path(
        "frameworks/<int:framework>/criteria/", views.framework_add_criterion, name="framework-add-criterion"
    ),
    path("frameworks/<int:framework>/rounds/new/", views.assessment_new, name="assessment-new"),
    path("rounds/<int:assessment>/", views.assessment_detail, name="assessment"),
    path("rounds/<int:assessment>/criteria/<int:criterion>/", views.rate, name="rate"),
    path("rounds/<int:assessment>/agree/", views.agree, name="agree"),
]
