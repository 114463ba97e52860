"""Named people, one per role, shared by the demo and the test suite.

Tests speak of "the Samarinda operator" rather than an ad-hoc user, and a person trying the demo
logs in as the same people.
"""

from __future__ import annotations

from dataclasses import dataclass

from lindung.accounts.models import Role, User


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    role: str
    kabkota: str | None
    office: str
    staff: bool = False


PERSONAS: dict[str, Persona] = {
    p.username: p
    for p in [
        Persona("admin", "Rina Wulandari", Role.ADMIN, None, "Disnakertrans Provinsi Kaltim", True),
        Persona("op.samarinda", "Andi Saputra", Role.OPERATOR, "64.72", "Disnaker Kota Samarinda"),
        Persona(
            "op.balikpapan", "Yohanes Lerang", Role.OPERATOR, "64.71", "Disnaker Kota Balikpapan"
        ),
        Persona("bpjs", "Dewi Kartika", Role.BPJS, None, "BPJS Ketenagakerjaan Kanwil Kalimantan"),
        Persona(
            "pimpinan", "H. Syamsul Bahri", Role.LEADER, None, "Sekretariat Daerah Provinsi Kaltim"
        ),
    ]
}

DEMO_PASSWORD = "lindung-demo-2026"


def ensure_persona(persona: Persona, password: str | None = None) -> User:
    """Create or refresh the persona's user; the password is set only when given."""
    first, _, last = persona.full_name.rpartition(" ")
    user, _created = User.objects.update_or_create(
        username=persona.username,
        defaults={
            "first_name": first or persona.full_name,
            "last_name": last if first else "",
            "role": persona.role,
            "kabkota_id": persona.kabkota,
            "office": persona.office,
            "is_staff": persona.staff,
            "is_superuser": persona.staff,
            "is_active": True,
        },
    )
    if password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user
