from django.urls import path

from . import views

app_name = "tracking"

# Mounted at tracking/
urlpatterns = [
    path("workshops/<int:workshop_id>/", views.portfolio, name="portfolio"),
    path("workshops/<int:workshop_id>/tokens/", views.token_create, name="token_create"),
    path(
        "workshops/<int:workshop_id>/tokens/<int:token_id>/revoke/",
        views.token_revoke,
        name="token_revoke",
    ),
    path("agents/<int:agent_id>/", views.agent, name="agent"),
    path("agents/<int:agent_id>/kpi-actual/", views.kpi_actual, name="kpi_actual"),
    path("agents/<int:agent_id>/run-cost/", views.agent_actual, name="agent_actual"),
    path("agents/<int:agent_id>/owner-links/", views.owner_link_create, name="owner_link_create"),
    path(
        "agents/<int:agent_id>/owner-links/<int:link_id>/revoke/",
        views.owner_link_revoke,
        name="owner_link_revoke",
    ),
    # The agent's owner, with the link's token (no account).
    path("owner/<str:token>/", views.owner, name="owner"),
    path("owner/<str:token>/kpi-actual/", views.owner_kpi_actual, name="owner_kpi_actual"),
    path("owner/<str:token>/run-cost/", views.owner_agent_actual, name="owner_agent_actual"),
]
