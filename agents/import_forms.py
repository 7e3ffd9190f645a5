from django import forms
from django.core.exceptions import ValidationError

from common.forms import Form

from . import imports
from .import_files import MAX_FILE_BYTES, TOO_LARGE, ImportFileError


class AgentImportForm(Form):
    """One uploaded spreadsheet. Valid when the file can be read; its rows may still have
    problems, which the preview shows row by row."""

    file = forms.FileField(
        label="Pillar 1 spreadsheet (.xlsx or .csv)",
        allow_empty_file=True,
        error_messages={"required": "Choose the spreadsheet to upload."},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, body_too_large: bool = False, **kwargs):
        # An upload stopped at the size limit arrives without its file (common.uploads).
        self.body_too_large = body_too_large
        super().__init__(*args, **kwargs)

    def clean(self):
        if self.body_too_large:
            # "Choose the spreadsheet" would be wrong: the file was sent but was too large.
            self._errors.pop("file", None)
            self.add_error("file", TOO_LARGE)
        return super().clean()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(TOO_LARGE)
        try:
            rows, ignored = imports.read_upload(filename=upload.name, data=upload.read())
        except ImportFileError as error:
            raise ValidationError(str(error)) from error
        self.rows, self.ignored_headers = rows, ignored
        return upload
