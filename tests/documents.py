"""Downloading a document the way a browser does: the download URL answers the progress page
until the document worker has rendered the file. The worker here is the task backend's own,
run in the test's thread."""

from common.documents import run_queued_documents


def is_progress_page(response) -> bool:
    return response.status_code == 200 and b'id="document-status"' in response.content


def download(client, url, data=None):
    """GET `url`; when it answers the progress page, run the queued renders and GET again."""
    response = client.get(url, data)
    if is_progress_page(response):
        run_queued_documents()
        response = client.get(url, data)
    return response
