"""The document cache: rendered registers and infographics, kept under the key of what they
show (common.documents). Not workshop data: writing here never moves a workshop's revision."""

from django.db import models

from common.documents import Status


class Document(models.Model):
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=64, help_text="SHA-256 of the kind and what it shows.")
    # The workshop whose readers may download it; none for documents anyone may have.
    workshop = models.ForeignKey(
        "workshops.Workshop", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    params = models.JSONField(default=dict, help_text="What the render needs.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.CharField(max_length=80, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    progress_label = models.CharField(max_length=80, blank=True)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    content = models.BinaryField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="document_unique_kind_key"),
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100), name="document_percent_max_100"
            ),
        ]
        indexes = [models.Index(fields=["requested_by", "status"], name="document_requester")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:12]} ({self.status})"
