from django.urls import path

from reports import kpi_views, series_views, views

app_name = "reports"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("plans/<int:plan>/", views.plan_dashboard, name="plan"),
    path("kpis/", views.kpis, name="kpis"),
    path("trends/", views.trends, name="trends"),
    path("kpis/record/", kpi_views.record_grid, name="kpi-grid"),
    path("kpis/new/", kpi_views.new_measure, name="kpi-new"),
    path("kpis/series/", series_views.series_list, name="series-list"),
    path("kpis/series/new/", series_views.series_new, name="series-new"),
    path("kpis/series/<int:series>/", series_views.series_detail, name="series"),
    path("kpis/series/<int:series>/edit/", series_views.series_edit, name="series-edit"),
    path("kpis/<int:measure>/retire/", kpi_views.retire_measure, name="kpi-retire"),
    path("kpis/<int:measure>/values/", kpi_views.record_values, name="kpi-values"),
    path("kpis/<int:measure>/definition/", kpi_views.edit_definition, name="kpi-definition"),
]
