from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import selectors, throttle


@require_GET
@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class ThrottledLoginView(auth_views.LoginView):
    """Django's login, refusing further attempts for a while after repeated failures for the
    same username or from the same address."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "").strip().lower()[:150]
        ip = throttle.client_ip(request)
        limit = settings.LOGIN_THROTTLE_ATTEMPTS
        if throttle.is_blocked("login-user", username, limit) or throttle.is_blocked(
            "login-ip", ip, limit * 4
        ):
            form = self.get_form()
            form.add_error(
                None,
                ValidationError(
                    "Too many failed sign-in attempts. Wait a few minutes and try again."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        window = settings.LOGIN_THROTTLE_WINDOW
        throttle.record_failure(
            "login-user", self.request.POST.get("username", "").strip().lower()[:150], window
        )
        throttle.record_failure("login-ip", throttle.client_ip(self.request), window)
        return super().form_invalid(form)

    def form_valid(self, form):
        throttle.reset("login-user", form.get_user().get_username().lower())
        return super().form_valid(form)


def home(request):
    if request.user.is_authenticated:
        return redirect("workshops:list")
    return render(request, "workshops/home.html")


@login_required
def workshop_list(request):
    workshops = selectors.workshops_for_facilitator(user=request.user)
    reviews_finance = request.user.reviewed_workshops.exists()
    return render(
        request,
        "workshops/workshop_list.html",
        {"workshops": workshops, "reviews_finance": reviews_finance},
    )
