"""The import pages as the UX review found them: what a person reads and may do at each step."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from lindung.imports.models import JobStatus
from lindung.imports.tests.test_jobs import IMMEDIATE, _upload, workers_csv
from lindung.testing import client_for

pytestmark = pytest.mark.django_db


def _validate_as_detected(client, job):  # type: ignore[no-untyped-def]
    """Post the mapping the page proposes, as a user who accepts it does."""
    preview = client.get(reverse("imports:job", args=[job.pk])).context["preview"]
    fields = [preview["mapping"].columns.get(h, "") for h in preview["headers"]]
    client.post(
        reverse("imports:validate", args=[job.pk]), {"header": preview["headers"], "field": fields}
    )
    job.refresh_from_db()
    return job


def _issue_rows(html: str) -> list[str]:
    """The issue table's rows as plain text, cells separated by " | "."""
    table = html.rsplit("<table", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]
    return [" | ".join(re.sub(r"<[^>]+>", "", c) for c in row) for row in cells if row]


@override_settings(TASKS=IMMEDIATE)
def test_a_whole_row_problem_shows_a_dash_not_none(op_samarinda):
    lines = workers_csv(2, bad_last=False).decode().splitlines()
    content = ("\n".join([*lines, lines[-1]]) + "\n").encode()  # row 4 repeats row 3
    client = client_for(op_samarinda)
    job = _validate_as_detected(client, _upload(client, content))
    assert job.status == JobStatus.VALIDATED
    rows = _issue_rows(client.get(reverse("imports:job", args=[job.pk])).text)
    assert rows == ["4 | — | — | Baris duplikat dari baris 3 | ditolak"]
