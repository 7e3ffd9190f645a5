"""The import page's two steps: upload a bundle, then confirm (or cancel) what it would do."""

from django import forms
from django.core.exceptions import ValidationError

from common.forms import Form

from . import format as bundle_format
from .importer import COPY, REFUSE, REPLACE, BundleError, bundle_read

TOO_LARGE = (
    f"The file is larger than {bundle_format.MAX_MEGABYTES} MB; a workshop bundle is far smaller."
)


class BundleUploadForm(Form):
    """One bundle file. Valid when it passes every check that needs no database; the bundle
    is then in `self.bundle`, its bytes in `self.content`."""

    file = forms.FileField(
        label="Workshop bundle (.finops.json)",
        allow_empty_file=True,
        error_messages={"required": "Choose the bundle file to import."},
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        # An upload stopped at the size limit arrives without its file.
        self.too_large = too_large
        super().__init__(*args, **kwargs)

    def clean(self):
        if self.too_large:
            self._errors.pop("file", None)
            self.add_error("file", TOO_LARGE)
        return super().clean()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > bundle_format.MAX_BYTES:
            raise ValidationError(TOO_LARGE)
        content = upload.read()
        try:
            self.bundle = bundle_read(content)
        except BundleError as error:
            raise ValidationError(error.message) from None
        self.content = content
        return upload


class BundleConfirmForm(Form):
    token = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,64}$")
    on_conflict = forms.ChoiceField(
        label="This workshop is here already",
        choices=[
            (REPLACE, "Replace it with the bundle"),
            (COPY, "Import the bundle as a copy"),
        ],
        required=False,
        error_messages={"invalid_choice": "Choose whether to replace it or import a copy."},
    )
    action = forms.ChoiceField(choices=[("import", "Import"), ("cancel", "Cancel")])

    def on_conflict_choice(self) -> str:
        return self.cleaned_data.get("on_conflict") or REFUSE
