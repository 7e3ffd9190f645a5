"""Sign-in throttling (django-axes, configured in settings): who a failed attempt counts
against, and what a refused browser is told."""

from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

SIGNIN_REFUSED = (
    "Too many failed sign-in attempts for this username from your network. Wait a few minutes "
    "and try again."
)


def username_for_throttle(request, credentials) -> str:
    """The username as a person means it: case and surrounding spaces do not start a fresh
    count, nor does anything beyond the 150 characters a username can have."""
    source = credentials if credentials is not None else request.POST
    return str(source.get("username") or "").strip().lower()[:150]


def signin_refused(request, original_response=None, credentials=None):
    """The sign-in page again, saying why, with 429."""
    form = AuthenticationForm(request, initial={"username": username_for_throttle(request, None)})
    context = {"form": form, "refused": SIGNIN_REFUSED, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
