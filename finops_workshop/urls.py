from django.contrib import admin
from django.urls import include, path

from workshops.views import system as workshop_views

urlpatterns = [
    path("healthz", workshop_views.healthz, name="healthz"),
    path("accounts/login/", workshop_views.ThrottledLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("workshops/<int:workshop_id>/agents/", include("agents.urls")),
    path("reports/", include("reports.urls")),
    path("block2/", include("agents.block2_urls")),
    path("kpis/", include("kpis.urls")),
    path("foundation/", include("foundation.urls")),
    path("targets/", include("targets.urls")),
    path("", include("workshops.urls")),
]
