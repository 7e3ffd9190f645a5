"""The KPI library, loaded by `manage.py load_catalogues` (insert-if-missing by key, so admin
edits are kept)."""

from .library import library_rows
from .models import KpiDefinition


def load() -> dict[str, int]:
    existing = set(KpiDefinition.objects.values_list("key", flat=True))
    new = [KpiDefinition(**row) for row in library_rows() if row["key"] not in existing]
    KpiDefinition.objects.bulk_create(new)
    return {"KPI definitions": len(new)}
