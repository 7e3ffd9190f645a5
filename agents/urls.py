from django.urls import path

app_name = "agents"

# Mounted at workshops/<int:workshop_id>/agents/
urlpatterns = [
    # --- Facilitator agent management: add, edit, delete, assign (agents/views.py) ---
    # --- Pillar 1 import: template, upload, preview, confirm (agents/import_views.py) ---
]
