from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_templates(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """The shipped templates (a data migration), again after a transactional test's flush."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        yield
        return
    transactional = bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from lindung.letters.defaults import ensure_default_templates

    ensure_default_templates()
    yield
