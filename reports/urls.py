from django.urls import path

from . import views

app_name = "reports"

# Mounted at reports/
urlpatterns = [
    # --- Agent Economics Register: preview, PDF, XLSX; post-workshop actions calendar ---
    path("workshops/<int:workshop_id>/register/", views.register_preview, name="register"),
    path("workshops/<int:workshop_id>/register.pdf", views.register_pdf, name="register_pdf"),
    path("workshops/<int:workshop_id>/register.xlsx", views.register_xlsx, name="register_xlsx"),
    path("workshops/<int:workshop_id>/actions.ics", views.actions_ics, name="actions_ics"),
    path(
        "workshops/<int:workshop_id>/pillar-5-narrative.pdf",
        views.narrative_pdf,
        name="narrative_pdf",
    ),
    # --- Materials to print before the day ---
    path("workshops/<int:workshop_id>/materials/", views.materials_page, name="materials"),
    path(
        "workshops/<int:workshop_id>/materials/kpi-worksheets.pdf",
        views.kpi_worksheets,
        name="kpi_worksheets",
    ),
    path(
        "workshops/<int:workshop_id>/materials/target-setting-cards.pdf",
        views.target_cards,
        name="target_cards",
    ),
    path(
        "workshops/<int:workshop_id>/materials/run-sheet.pdf",
        views.run_sheet,
        name="run_sheet",
    ),
    path(
        "workshops/<int:workshop_id>/materials/target-sheets.pdf",
        views.target_sheets,
        name="target_sheets",
    ),
]
