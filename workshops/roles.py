"""The people's roles, on Django's own permissions.

- Facilitators: accounts in the "Facilitators" group, which holds `workshops.add_workshop`.
  They create workshops, run them and import Pillar 1 and bundles; each sees only the
  workshops it facilitates.
- Finance reviewers: any account listed among a workshop's finance reviewers (no group). They
  review and sign off those workshops and nothing else.
- Catalogue administrators: staff accounts (with the "Catalogue administrators" group for
  the catalogues' admin pages). They import the shared price catalogue and use the admin.

A superuser holds every permission, so it is a facilitator of every workshop, and therefore
never finance for any.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from common.text import name_problem

FACILITATOR_PERMISSION = "workshops.add_workshop"
FACILITATORS_GROUP = "Facilitators"
CATALOGUE_ADMINS_GROUP = "Catalogue administrators"
# The shared catalogues a catalogue administrator keeps in the admin: (app label, model).
CATALOGUE_MODELS = [
    ("foundation", "glossaryterm"),
    ("foundation", "llmmodel"),
    ("foundation", "pricepoint"),
    ("foundation", "question"),
    ("kpis", "kpidefinition"),
]


def is_facilitator(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(FACILITATOR_PERMISSION)


def is_catalogue_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def facilitates(user, workshop) -> bool:
    """Whether the account runs this workshop: one of its facilitators, or a superuser (who
    can open every workshop's console)."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or workshop.facilitators.filter(pk=user.pk).exists()


def facilitators_group() -> Group:
    """The Facilitators group with its permission (made if a database lacks it)."""
    group, _ = Group.objects.get_or_create(name=FACILITATORS_GROUP)
    app_label, codename = FACILITATOR_PERMISSION.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    group.permissions.add(permission)
    return group


def catalogue_admins_group() -> Group:
    """The Catalogue administrators group, holding every permission on the shared catalogues
    (made or completed if a database lacks it)."""
    group, _ = Group.objects.get_or_create(name=CATALOGUE_ADMINS_GROUP)
    query = Q(pk__in=[])
    for app_label, model in CATALOGUE_MODELS:
        query |= Q(content_type__app_label=app_label, content_type__model=model)
    group.permissions.add(*Permission.objects.filter(query))
    return group


def forget_cached_permissions(user) -> None:
    """Django caches an account's permissions on the object; drop them after a change."""
    for name in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(name, None)


MAX_NAME_PART = 150  # Django's first_name / last_name


def full_name_parts(full_name: str) -> tuple[str, str]:
    """(first name, last name) of a person's full name as typed: the last word is the last
    name ("Ana María Ruiz" -> ("Ana María", "Ruiz")); a single word is a first name. Raises
    ValueError with a sentence when the name cannot be used."""
    name = " ".join((full_name or "").split())
    if not name:
        raise ValueError("Give the person's full name, e.g. 'Ana Ruiz'.")
    if problem := name_problem(name):
        raise ValueError(f"The name {problem}.")
    first, _, last = name.rpartition(" ")
    if not first:
        first, last = last, ""
    if len(first) > MAX_NAME_PART or len(last) > MAX_NAME_PART:
        raise ValueError(f"Keep the name shorter: at most {MAX_NAME_PART} characters per part.")
    return first, last
