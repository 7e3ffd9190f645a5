from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import selectors


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
