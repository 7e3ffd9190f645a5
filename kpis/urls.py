"""Block 3 pages, mounted at kpis/."""

from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("library/", views.library, name="library"),
    path("agents/<int:agent_id>/", views.agent_kpis, name="agent_kpis"),
    path("agents/<int:agent_id>/new/", views.agent_kpi_new, name="agent_kpi_new"),
    path("agents/<int:agent_id>/<int:kpi_id>/edit/", views.agent_kpi_edit, name="agent_kpi_edit"),
    path(
        "agents/<int:agent_id>/<int:kpi_id>/delete/",
        views.agent_kpi_delete,
        name="agent_kpi_delete",
    ),
    path("workshops/<int:workshop_id>/feasibility/", views.feasibility, name="feasibility"),
]
