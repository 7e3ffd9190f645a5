"""What the app accepts as a PDF someone uploads (the Pillar 5 narrative), checked on its
bytes: not empty, not over the size limit, a PDF header at the start and an end-of-file
marker near the end. It does not read or clean the document: an uploaded PDF is only ever
handed out as a download (attachment, never shown in a page), and only facilitators upload.

Pure: no Django import (bundles check the same bytes).
"""

MAX_BYTES = 5 * 1024 * 1024
HEADER = b"%PDF-"
# A PDF ends with "%%EOF", possibly followed by line ends or a little padding.
TRAILER = b"%%EOF"
TRAILER_WINDOW = 1024


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 100 * 1024 else f"{size // 1024 or 1} KB"


def pdf_problem(content: bytes, *, max_bytes: int = MAX_BYTES) -> str | None:
    """Why `content` is not a PDF the app keeps, as a sentence; None when it is one."""
    if not content:
        return "The file is empty."
    if len(content) > max_bytes:
        return (
            f"The file is {megabytes(len(content))}; a narrative PDF may be at most "
            f"{megabytes(max_bytes)}. Save it smaller (e.g. “Reduce file size” when exporting)."
        )
    if not content.startswith(HEADER):
        return "The file is not a PDF (it does not start as a PDF does). Export it as PDF first."
    if TRAILER not in content[-TRAILER_WINDOW:]:
        return "The PDF is cut short (it has no end-of-file marker). Upload the whole file again."
    return None


def pdf_filename(name: str) -> str:
    """The name a download of the file gets: the uploaded name's last part, without control
    characters or path separators, ending in .pdf; "narrative.pdf" when nothing is left."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*').strip(" .")
    base = base[:150]
    if not base.lower().endswith(".pdf"):
        base = f"{base}.pdf" if base else ""
    return base or "narrative.pdf"
