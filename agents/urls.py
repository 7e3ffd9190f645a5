from django.urls import path

from . import import_views, views

app_name = "agents"

# Mounted at workshops/<int:workshop_id>/agents/
urlpatterns = [
    # --- Facilitator agent management: add, edit, delete, assign (agents/views.py) ---
    path("", views.agent_list, name="list"),
    path("new/", views.agent_create, name="create"),
    path("assign/", views.agents_assign, name="assign"),
    path("<int:agent_id>/edit/", views.agent_edit, name="edit"),
    path("<int:agent_id>/delete/", views.agent_delete, name="delete"),
    path("<int:agent_id>/table/", views.agent_assign, name="assign_one"),
    # --- Pillar 1 import: template, upload, preview, confirm (agents/import_views.py) ---
    path("import/", import_views.agent_import, name="import"),
    path("import/template/", import_views.import_template_download, name="import_template"),
    path("import/confirm/", import_views.agent_import_confirm, name="import_confirm"),
]
