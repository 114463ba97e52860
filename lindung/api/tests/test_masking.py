"""No API answer gives a leader or BPJS a full NIK: every GET operation, with real ids."""

from __future__ import annotations

import re

import pytest

from lindung.api import api

pytestmark = pytest.mark.django_db


def _get_paths() -> list[str]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return [path for path, ops in schema["paths"].items() if "get" in ops]


def _urls(world) -> list[str]:  # type: ignore[no-untyped-def]
    ids = {
        "worker_id": [world.covered.pk, world.balikpapan.pk],
        "nik": [world.covered.nik, world.balikpapan.nik],
        "job_id": [world.job_samarinda.pk, world.job_participants.pk],
        "programme_id": [world.programme.pk],
        "company_id": [world.company_samarinda.pk],
        "letter_id": [world.letter_samarinda.pk],
        "report_id": [],
        "fmt": ["pdf"],
    }
    urls = []
    for path in _get_paths():
        names = re.findall(r"\{(\w+)\}", path)
        if not names:
            urls.append(path)
            continue
        for value in ids[names[0]]:
            url = path.replace("{" + names[0] + "}", str(value))
            if all(not ids[n] or n == names[0] for n in names[1:]):
                urls.append(re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)][0]), url))
    return urls


@pytest.mark.parametrize(("persona", "readable"), [("pimpinan", 17), ("bpjs", 8)])
def test_no_full_nik_in_any_answer(client, world, headers, persona, readable):
    niks = [w.nik.encode() for w in (world.covered, world.unmatched, world.balikpapan)]
    answered = 0
    for url in _urls(world):
        response = client.get(url, **headers[persona])
        if response.status_code != 200:
            continue
        body = response.getvalue() if response.streaming else response.content
        assert not any(nik in body for nik in niks), url
        answered += 1
    assert answered == readable  # the crawl really read data, not only refusals
