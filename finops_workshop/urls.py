from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from workshops.views import system as workshop_views

urlpatterns = [
    path("healthz", workshop_views.healthz, name="healthz"),
    # Wrong passwords are counted and slowed by django-axes (settings, workshops/signin.py).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    # Sign out and change one's password. No password reset: the app sends no email (a venue
    # laptop has no mail server), and a reset form would only tell strangers which emails exist.
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("workshops/<int:workshop_id>/agents/", include("agents.urls")),
    path("reports/", include("reports.urls")),
    path("block2/", include("agents.block2_urls")),
    path("kpis/", include("kpis.urls")),
    path("foundation/", include("foundation.urls")),
    path("targets/", include("targets.urls")),
    path("bundles/", include("bundles.urls")),
    path("tracking/", include("tracking.urls")),
    path("", include("workshops.urls")),
]
