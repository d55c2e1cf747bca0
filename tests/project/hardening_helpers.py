"""Helpers of the hardening tests: the administrator's client, closing a streamed response, a job's download."""

from django.contrib.auth import get_user_model
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse


def admin_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def close(response) -> None:
    """Close a file response without closing the test's database connection (request_finished
    would, on PostgreSQL; see access_rules.request)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def download(user, job):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("jobs:download", kwargs={"pk": job.pk}))
    data = b"".join(response.streaming_content) if response.streaming else response.content
    close(response)
    return response.status_code, data
