"""Block 4 pages, mounted at targets/."""

from django.urls import path

from . import finance_views, reprice_views, views

app_name = "targets"

AGENT = "agents/<int:agent_id>/"
KPI = AGENT + "kpis/<int:kpi_id>/"
WORKSHOP = "workshops/<int:workshop_id>/finance/"

urlpatterns = [
    # A table (or the facilitator) sets targets and economics.
    path(AGENT, views.agent_targets, name="agent"),
    path(KPI, views.kpi_targets, name="kpi"),
    path(KPI + "benchmarks/", views.benchmark_add, name="benchmark_add"),
    path(KPI + "benchmarks/<int:benchmark_id>/", views.benchmark_edit, name="benchmark_edit"),
    path(
        KPI + "benchmarks/<int:benchmark_id>/delete/",
        views.benchmark_delete,
        name="benchmark_delete",
    ),
    path(KPI + "no-evidence/", views.no_evidence, name="no_evidence"),
    path(KPI + "ambition/", views.ambition, name="ambition"),
    path(KPI + "constraints/", views.constraints, name="constraints"),
    path(KPI + "thresholds/", views.thresholds, name="thresholds"),
    path(AGENT + "economics/", views.agent_economics, name="economics"),
    # Finance reviews and signs off.
    path("finance/", finance_views.finance_home, name="finance_home"),
    path("finance/invite/<str:token>/", finance_views.invite_open, name="invite"),
    path(WORKSHOP, finance_views.finance_review, name="finance_review"),
    path(WORKSHOP + "agents/<int:agent_id>/sign-off/", finance_views.signoff, name="signoff"),
    path(
        WORKSHOP + "agents/<int:agent_id>/request-changes/",
        finance_views.request_changes,
        name="request_changes",
    ),
    # The facilitator follows finance validation, manages reviewers and invites, reopens.
    path(WORKSHOP + "status/", finance_views.finance_status, name="finance_status"),
    path(WORKSHOP + "reviewers/add/", finance_views.reviewer_add, name="reviewer_add"),
    path(WORKSHOP + "reviewers/create/", finance_views.reviewer_create, name="reviewer_create"),
    path(
        WORKSHOP + "reviewers/<int:user_id>/remove/",
        finance_views.reviewer_remove,
        name="reviewer_remove",
    ),
    path(WORKSHOP + "invites/", finance_views.invite_create, name="invite_create"),
    path(
        WORKSHOP + "invites/<int:invite_id>/revoke/",
        finance_views.invite_revoke,
        name="invite_revoke",
    ),
    path(WORKSHOP + "agents/<int:agent_id>/reopen/", finance_views.reopen, name="reopen"),
    # The facilitator re-prices the workshop's AI workloads as of another day.
    path("workshops/<int:workshop_id>/reprice/", reprice_views.reprice, name="reprice"),
]
