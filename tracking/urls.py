from django.urls import path

from . import views

app_name = "tracking"

# Mounted at tracking/
urlpatterns = [
    path("workshops/<int:workshop_id>/", views.portfolio, name="portfolio"),
    path("agents/<int:agent_id>/", views.agent, name="agent"),
    path("agents/<int:agent_id>/kpi-actual/", views.kpi_actual, name="kpi_actual"),
    path("agents/<int:agent_id>/run-cost/", views.agent_actual, name="agent_actual"),
]
