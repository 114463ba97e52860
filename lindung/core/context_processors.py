"""Template access to the user's capabilities, so menus show only what the role may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lindung.accounts.access import Capability, can


def capabilities(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    flags = {cap.value: can(user, cap) for cap in Capability}
    flags["any_import"] = any(
        flags[c] for c in ("import_workers", "upload_participants", "import_companies")
    )
    return {"perms_ui": flags}
