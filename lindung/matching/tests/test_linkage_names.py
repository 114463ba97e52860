"""Indonesian name normalisation for linkage: scalar keys and the vectorised twin agree."""

from __future__ import annotations

import polars as pl
import pytest

from lindung.matching.linkage.names import keys, name_keys, normalize_name, token_similarity

SAME_PERSON = [
    ("H. MUHAMMAD YUSUF, S.Pd.I.", "Muhamad Yusuf"),
    ("M. Yusuf", "Muhammad Yusuf"),
    ("M.Yusuf", "Mohammad Yusuf"),
    ("Moh. Joesoef", "Muhammad Yusuf"),
    ("Mhd. Arsyad", "Muhammad Arsyad"),
    ("Moch. Ridwan", "Mochammad Ridwan"),
    ("Muh. Ilham", "Muhammat Ilham"),
    ("Hj. Siti Aminah", "Siti Aminah"),
    ("Hajjah Sitti Aminah", "Siti Aminah"),
    ("St. Aminah", "Siti Aminah"),
    ("Soeparman", "Suparman"),
    ("Djoko Widjaja", "Joko Wijaya"),
    ("Tjahjono", "Cahyono"),
    ("Sjamsul Bachri", "Syamsul Bakhri"),
    ("Njoman", "Nyoman"),
    ("Achmad Fauzi, S.Kom.", "Ahmad Fauzi"),
    ("Akhmad Fauzi S.E.", "Ahmad Fauzi"),
    ("Drs. H. Bambang Sutrisno", "Bambang Sutrisno"),
    ("Ir. Heru Purwanto, M.Si.", "Heru Purwanto"),
    ("Dr. Agus Salim, S.H.", "Agus Salim"),
    ("Abd. Rahman", "Abdul Rahman"),
    ("Syamsuddin", "Syamsudin"),
    ("Jamaluddin", "Jamaludin"),
    ("Yohanes Kornelis", "YOHANES  KORNELIS "),
    ("Ni Made Ayu", "ni made ayu"),
    ("Sri Wahyuni, A.Md.", "Sri Wahyuni"),
    ("Noor Hasanah", "Nur Hasanah"),
    ("Nor Aini", "NURR AINI"),
    ("Noer Salmah", "Nor Salmah"),
    ("Sti Aisyah", "Siti Aisyah"),
]
PHONETIC_SAME = [
    ("Yusup", "Yusuf"),
    ("Samsul", "Syamsul"),
    ("Rizky", "Rizki"),
    ("Zaenal Arifin", "Zainal Aripin"),
    ("Taufiq", "Taufik"),
    ("Wahju", "Wahyu"),
    ("Khadijah", "Hadijah"),
    ("Effendy", "Efendi"),
]
DIFFERENT = [
    ("Agus Santoso", "Budi Santoso"),
    ("Siti Aminah", "Siti Fatimah"),
    ("Dwi Lestari", "Tri Lestari"),
    ("Muhammad Yusuf", "Muhammad Yunus"),
]


@pytest.mark.parametrize(("a", "b"), SAME_PERSON)
def test_canonical_forms_agree(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(("a", "b"), PHONETIC_SAME)
def test_phonetic_forms_agree(a: str, b: str) -> None:
    assert keys(a).name_phon == keys(b).name_phon


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_people_keep_different_keys(a: str, b: str) -> None:
    assert keys(a).name_sorted != keys(b).name_sorted


def test_details() -> None:
    assert normalize_name("H. Muhammad Yusuf, S.Pd.I.") == ["muhamad", "yusuf"]
    assert normalize_name("Joesoef") == ["yusuf"]
    assert normalize_name("Yusuf M.") == ["yusuf", "m"]  # a final "M." is not Muhammad
    assert normalize_name("H.") == ["h"]  # a lone title stays (never an empty name)
    assert normalize_name(None) == [] and normalize_name("  ") == []
    k = keys("Rahman Abdul")
    assert k.name_sorted == keys("Abdul Rahman").name_sorted  # reordered tokens
    assert (k.name_first, k.name_last, k.name_initials) == ("rahman", "abdul", "ra")


def test_initials_and_dropped_middle_names() -> None:
    assert token_similarity("m yusup", "muhamad yusup") >= 0.9
    assert token_similarity("ahmad p rahman", "ahmad pauzi rahman") >= 0.9
    assert 0.9 <= token_similarity("ahmad rahman", "ahmad pauzi rahman") < 1
    assert token_similarity("agus santoso", "budi santoso") < 0.8


def test_vectorised_twin_matches_scalar() -> None:
    names: list[str | None] = [a for pair in SAME_PERSON + PHONETIC_SAME + DIFFERENT for a in pair]
    names += ["", None, "H.", "Andi Muh. Tjahjono", "H. Mohamad Zaenal", "La Ode Muh. Sjukur"]
    frame = name_keys(pl.Series(names, dtype=pl.String))
    assert frame.height == len(names)
    for name, row in zip(names, frame.iter_rows(named=True), strict=True):
        assert row == keys(name).__dict__, name
