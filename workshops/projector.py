"""What the projector can show. The live room provides agenda, join screen and progress board;
later blocks register their views (quiz, portfolio, feasibility check, finance status) from
their app's `ready()`.

A view is a template (rendered inside the projector frame, and polled by revision) and a
function giving its context for a workshop. The presenter offers only registered views.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProjectorView:
    key: str  # one of Workshop.ProjectorView values
    label: str
    template: str
    context: Callable[..., dict]  # context(workshop) -> dict


REGISTRY: dict[str, ProjectorView] = {}


def register(view: ProjectorView) -> None:
    REGISTRY[view.key] = view


def available() -> list[ProjectorView]:
    """Registered views, in the order of Workshop.ProjectorView."""
    from .models import Workshop

    return [REGISTRY[key] for key in Workshop.ProjectorView.values if key in REGISTRY]
