from django.urls import path

from . import views

app_name = "bundles"

urlpatterns = [
    path("workshops/<int:workshop_id>/", views.export_page, name="export_page"),
    path("workshops/<int:workshop_id>/download/", views.export_download, name="export_download"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
]
