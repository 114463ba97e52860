"""Bahasa Indonesia by default, English after the footer's language switch, complete catalogue."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lindung.accounts.models import User
from lindung.testing import client_for

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    """LocaleMiddleware leaves the last request's language active in the thread; undo that."""
    before = translation.get_language()
    yield
    translation.activate(before)


def _switch_to_english(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_pages_are_indonesian_by_default(admin_provinsi: User, worker_samarinda: object) -> None:
    client = client_for(admin_provinsi)
    page = client.get(reverse("registry:worker-list")).content.decode()
    assert '<html lang="id">' in page
    assert "Pekerja rentan" in page
    assert "Kabupaten/Kota" in page
    assert "Vulnerable workers" not in page
    home = client.get(reverse("home")).content.decode()
    assert "Beranda" in home and "Keluar" in home


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_until_english_is_chosen(
    admin_provinsi: User,
) -> None:
    client = client_for(admin_provinsi)
    page = client.get(reverse("home"), headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="id">' in page.text and page["Content-Language"] == "id"
    _switch_to_english(client)
    page = client.get(reverse("home"), headers={"accept-language": "id-ID,id;q=0.9"})
    assert '<html lang="en">' in page.text and page["Content-Language"] == "en"


@pytest.mark.django_db
def test_switching_to_english_translates_the_worker_list_and_home(
    admin_provinsi: User, worker_samarinda: object
) -> None:
    client = client_for(admin_provinsi)
    _switch_to_english(client)

    page = client.get(reverse("registry:worker-list")).content.decode()
    assert '<html lang="en">' in page
    for label in ("Vulnerable workers", "Regency/City", "District", "Download CSV", "1 worker"):
        assert label in page, label
    assert "Pekerja rentan" not in page
    assert "Kabupaten/Kota" not in page

    home = client.get(reverse("home")).content.decode()
    for label in (
        "Home",
        "Log out",
        "Welcome, ",
        "vulnerable workers proposed",
        "Proposals by regency/city",
        "Regency/City",
        "Provincial admin",
    ):
        assert label in home, label
    assert "Beranda" not in home


def test_login_page_switches_to_english() -> None:
    client = Client()
    assert "Masuk ke Lindung" in client.get(reverse("login")).content.decode()
    _switch_to_english(client)
    assert "Log in to Lindung" in client.get(reverse("login")).content.decode()


# -- the catalogue itself ------------------------------------------------------------------------

_ENTRY_KEYWORDS = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')
_CONTINUATION = re.compile(r'^"(.*)"$')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


@dataclass
class _Entry:
    flags: set[str] = field(default_factory=set)
    strings: dict[str, str] = field(default_factory=dict)  # msgid, msgid_plural, msgstr[n]

    @property
    def msgid(self) -> str:
        return self.strings["msgid"]

    @property
    def translations(self) -> list[str]:
        return [text for key, text in self.strings.items() if key.startswith("msgstr")]


def _po_entries(path: Path) -> list[_Entry]:
    """The entries of a .po file, header first."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = _Entry(), ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags = {flag.strip() for flag in line[2:].split(",")}
            elif match := _ENTRY_KEYWORDS.match(line):
                key = match[1]
                entry.strings[key] = _unescape(match[2])
            elif (match := _CONTINUATION.match(line)) and key:
                entry.strings[key] += _unescape(match[1])
        if "msgid" in entry.strings:
            entries.append(entry)
    return entries


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]", text))


def test_english_catalogue_is_complete_and_not_fuzzy() -> None:
    header, *messages = _po_entries(CATALOGUE / "django.po")
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert len(messages) > 200
    problems = []
    for entry in messages:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        if not entry.translations or not all(entry.translations):
            problems.append(f"untranslated: {entry.msgid!r}")
        for text in entry.translations:
            if _placeholders(text) != _placeholders(entry.msgid):
                problems.append(f"placeholders differ: {entry.msgid!r} -> {text!r}")
    assert not problems, "\n".join(problems)


def test_compiled_catalogue_matches_the_po_file() -> None:
    """The committed .mo must be recompiled (`make messages`) whenever the .po changes."""
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in _po_entries(CATALOGUE / "django.po")[1:]:
        if "msgid_plural" in entry.strings:
            plural = entry.strings["msgid_plural"]
            got = [compiled.ngettext(entry.msgid, plural, n) for n in (1, 2)]
        else:
            got = [compiled.gettext(entry.msgid)]
        if got != entry.translations:
            stale.append(entry.msgid)
    assert not stale, f".mo is out of date for {stale}; run `make messages`"
