from django.urls import path

from reports import paper_views as views
from reports import template_views

app_name = "papers"

urlpatterns = [
    path("", views.paper_list, name="list"),
    path("new/", views.create_paper, name="create"),
    path("templates/", template_views.template_list, name="templates"),
    path("templates/new/", template_views.start_template, name="start-template"),
    path("templates/<int:template>/", template_views.edit_template, name="template"),
    path("<int:paper>/save-as-template/", template_views.save_as_template, name="save-as-template"),
    path("<int:paper>/sections/", views.add_section, name="add-section"),
    path("<int:paper>/sign-offs/<int:sign_off>/need/", views.sign_off_need, name="sign-off-need"),
    path("<int:paper>/edit/", views.edit_paper, name="edit"),
    path("<int:paper>/sign-offs/<int:sign_off>/", views.sign_off, name="sign-off"),
    path("<int:paper>/appendices/", views.add_appendix, name="add-appendix"),
    path("<int:paper>/structure/", views.paper_structure, name="structure"),
    path("<int:paper>/parts/<str:kind>/<int:part>/", views.change_part, name="part"),
    path("<int:paper>/background-papers/", views.add_background_paper, name="add-background"),
    path("<int:paper>/implications/", views.add_implication, name="add-implication"),
    path("<int:paper>/", views.paper_detail, name="detail"),
    path("<int:paper>/draft.pdf", views.draft_pdf, name="draft-pdf"),
    path("<int:paper>/publish/", views.publish, name="publish"),
    path("<int:paper>/correct/", views.open_correction, name="correct"),
    path("<int:paper>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:paper>/versions/<int:number>/paper.pdf", views.version_pdf, name="version-pdf"),
]
