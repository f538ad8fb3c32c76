from django.urls import path

from inspections import chain_views, finding_views, framework_views, review_views, round_views

app_name = "inspections"

urlpatterns = [
    path("", review_views.review_list, name="reviews"),
    path("reviews/new/", finding_views.review_new, name="review-new"),
    path("reviews/<int:review>/", review_views.review_detail, name="review"),
    path("reviews/<int:review>/findings/", finding_views.review_findings, name="review-findings"),
    path("reviews/<int:review>/findings/new/", finding_views.finding_new, name="finding-new"),
    path("reviews/<int:review>/findings/paste/", finding_views.findings_paste, name="findings-paste"),
    path("reviews/<int:review>/edit/", chain_views.review_edit, name="review-edit"),
    path("reviews/<int:review>/steps/new/", chain_views.review_step_new, name="review-step-new"),
    path("reviews/<int:review>/judgements/", chain_views.revisit_judgements, name="judgements"),
    path("reviews/<int:review>/judgements/<int:finding>/", chain_views.judge, name="judge"),
    path("findings/search/", finding_views.finding_search, name="finding-search"),
    path("findings/<int:finding>/", review_views.finding_detail, name="finding"),
    path("findings/<int:finding>/edit/", finding_views.finding_edit, name="finding-edit"),
    path("findings/<int:finding>/move/", finding_views.finding_move, name="finding-move"),
    path("findings/<int:finding>/retire/", finding_views.finding_retire, name="finding-retire"),
    path("findings/<int:finding>/priorities/", review_views.finding_priorities, name="finding-priorities"),
    path("coverage/", review_views.coverage_view, name="coverage"),
    path("matrix/", round_views.matrix, name="matrix"),
    path("frameworks/", framework_views.framework_list, name="frameworks"),
    path("frameworks/new/", framework_views.framework_new, name="framework-new"),
    path("frameworks/<int:framework>/", framework_views.framework_detail, name="framework"),
    path(
        "frameworks/<int:framework>/sections/",
        framework_views.framework_add_section,
        name="framework-add-section",
    ),
    path(
        "frameworks/<int:framework>/criteria/",
        framework_views.framework_add_criterion,
        name="framework-add-criterion",
    ),
    path("frameworks/<int:framework>/rounds/new/", round_views.assessment_new, name="assessment-new"),
    path("rounds/<int:assessment>/", round_views.assessment_detail, name="assessment"),
    path("rounds/<int:assessment>/criteria/<int:criterion>/", round_views.rate, name="rate"),
    path("rounds/<int:assessment>/agree/", round_views.agree, name="agree"),
]
