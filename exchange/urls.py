from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/<int:upload>/", views.preview, name="preview"),
    path("import/<int:upload>/confirm/", views.confirm, name="confirm"),
    path("export/actions.<str:fmt>", views.export_actions, name="export-actions"),
    path("export/plans/<int:plan>.<str:fmt>", views.export_plan, name="export-plan"),
    path("export/matrix.<str:fmt>", views.export_matrix, name="export-matrix"),
    path("export/kpis.<str:fmt>", views.export_kpis, name="export-kpis"),
]
