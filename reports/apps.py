from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from common import documents

        from . import documents as report_documents
        from .models import Document

        documents.use_store(Document)
        report_documents.register_kinds()
