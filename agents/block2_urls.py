"""Block 2 pages, mounted at block2/."""

from django.urls import path

from . import block2_views

app_name = "block2"

urlpatterns = [
    path("agents/<int:agent_id>/classify/", block2_views.classify, name="classify"),
    path("agents/<int:agent_id>/workload/", block2_views.workload, name="workload"),
    path("workshops/<int:workshop_id>/portfolio/", block2_views.portfolio, name="portfolio"),
]
