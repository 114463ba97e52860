"""Linkage engine: NIK compared by parts, always confirmed by name, birth date and sex."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from lindung.matching.linkage.engine import LinkSettings, link
from lindung.matching.linkage.generator import generate_pair
from lindung.matching.linkage.prepare import prepare
from lindung.nik import make_nik

BORN = date(1985, 8, 17)
NIK = make_nik("647201", BORN, "L", 12)  # 6472011708850012


def frame(rows: list[dict[str, str]], prefix: str) -> pl.DataFrame:
    base = {"nik": "", "nama": "", "tanggal_lahir": "", "jenis_kelamin": "", "kode_wilayah": ""}
    return pl.DataFrame(
        [{"id": f"{prefix}{i}", **base, **row} for i, row in enumerate(rows, 1)],
        schema={k: pl.String for k in ("id", *base)},
    )


def person(nik: str = NIK, nama: str = "Muhammad Yusuf", lahir: str = "17-08-1985",
           jk: str = "L", wilayah: str = "64.72.01.1001") -> dict[str, str]:  # fmt: skip
    return {"nik": nik, "nama": nama, "tanggal_lahir": lahir, "jenis_kelamin": jk,
            "kode_wilayah": wilayah}  # fmt: skip


def linked(left: dict[str, str], right: dict[str, str] | list[dict[str, str]]) -> pl.DataFrame:
    rights = right if isinstance(right, list) else [right]
    # Background people so that the prior is realistic.
    filler = [person(make_nik("647302", date(1970, 1, 1 + i), "P", 1 + i), f"Orang Lain {i}",
                     f"{1 + i:02d}-01-1970", "P", "64.73.02.1001") for i in range(20)]  # fmt: skip
    return link(frame([left], "L"), frame(rights + filler, "R")).pairs


def swap(nik: str, i: int) -> str:
    return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]


@pytest.mark.parametrize(
    ("left_nik", "expected"),
    [
        (NIK, "NIK sama"),
        (NIK[:7] + "9" + NIK[8:], "NIK beda 1 digit"),  # typo in the date part
        (swap(NIK, 2), "NIK beda 1 digit"),  # adjacent transposition in the region
        (NIK[:15] + "0", "NIK rusak Excel, 15 digit pertama sama"),  # zeroed 16th digit
        ("6.47201E+15", "NIK tidak dapat dipakai"),  # scientific notation: name + date decide
        ("", "NIK tidak dapat dipakai"),
    ],
)
def test_same_person_links_despite_nik_damage(left_nik: str, expected: str) -> None:
    pairs = linked(person(nik=left_nik, nama="M. Yusuf"), person())
    assert pairs.height == 1
    assert pairs["reason"][0].startswith(expected)
    assert pairs["match_probability"][0] >= 0.5


def test_neighbour_serial_with_another_name_does_not_link() -> None:
    neighbour = make_nik("647201", BORN, "L", 13)
    assert linked(person(nik=neighbour, nama="Agus Santoso"), person()).is_empty()


def test_twins_do_not_link() -> None:
    twin = person(nik=make_nik("647201", BORN, "L", 13), nama="Ahmad Yusuf")
    assert linked(person(nama="Budi Hartono Siregar"), person(nama="Tigor Hartono Siregar",
                  nik=make_nik("647201", BORN, "L", 14))).is_empty()  # fmt: skip
    assert linked(twin, person()).is_empty()


def test_father_and_son_same_name_do_not_link() -> None:
    father_born = date(1958, 3, 2)
    father = person(nik=make_nik("647201", father_born, "L", 3), lahir="02-03-1958")
    assert linked(person(), father).is_empty()


def test_relatives_nik_used_by_mistake_links_the_right_person() -> None:
    father_nik = make_nik("647201", date(1958, 3, 2), "L", 3)
    father = person(nik=father_nik, nama="Muhammad Yusuf", lahir="02-03-1958")
    son = person()
    pairs = linked(person(nik=father_nik), [father, son])  # son's row carries father's NIK
    assert pairs["right_id"].to_list() == ["R2"]


def test_blank_birth_date_is_read_from_the_nik() -> None:
    # LEFT: no NIK; RIGHT: no birth date, but its NIK says 17-08-1985.
    pairs = linked(person(nik=""), person(lahir=""))
    assert pairs["reason"].to_list() == ["NIK tidak dapat dipakai, nama sama, tanggal lahir sama"]
    # a NIK whose date part is not a date gives no birth date; a woman's day is minus 40
    niks = [NIK[:6] + "99" + NIK[8:], make_nik("647201", BORN, "P", 3), "6472011708150012"]
    out = prepare(
        frame([person(nik=n, lahir="", jk="") for n in niks], "L"), today=date(2026, 1, 1)
    )
    assert out["dob"].to_list() == [None, "1985-08-17", "2015-08-17"]


def test_misspelt_name_without_nik_links_in_the_same_kecamatan() -> None:
    salmah = person(nama="Salmah", jk="P", nik=make_nik("647201", BORN, "P", 12))
    assert linked(person(nik="", nama="Salmh", jk="P"), salmah).height == 1
    # ...but not a namesake without NIK living in another kecamatan
    assert linked(person(nik="", nama="Salmh", jk="P", wilayah="64.03.01.1001"),
                  salmah).is_empty()  # fmt: skip


def test_nik_date_checked_against_the_record_even_without_sex() -> None:
    other_day = make_nik("647201", date(1985, 8, 20), "L", 12)
    rows = frame([person(jk=""), person(nik=other_day, jk=""),
                  person(nik=make_nik("647201", BORN, "P", 12), jk="")], "L")  # fmt: skip
    out = prepare(rows)
    assert out["nik_ok"].to_list() == [True, False, True]
    assert out["kec"].to_list() == ["647201"] * 3


def test_reason_text_is_indonesian_and_short() -> None:
    pairs = linked(person(nama="Muhamad Yusup Effendi"), person(nama="Muhammad Yusuf Efendi"))
    assert pairs["reason"][0] == "NIK sama, nama sama, tanggal lahir sama"
    pairs = linked(person(nama="Muhammad Yusup Efendy"), person(nama="Muhammad Yusuf Efendi S"))
    reason = pairs["reason"][0]
    assert reason.startswith("NIK sama, nama mirip 0,") and reason.endswith("tanggal lahir sama")
    pairs = linked(person(jk=""), person(wilayah="64.71.01.1001"))
    assert pairs["reason"][0].endswith("kab/kota beda")


def test_settings_and_engine_choice() -> None:
    left, right = frame([person()], "L"), frame([person()], "R")
    assert link(left, right, settings={"threshold": 0.9}).pairs.height == 1
    with pytest.raises(ValueError):
        link(left, right, engine="oracle")


def test_quality_on_generated_lists() -> None:
    data = generate_pair(2000, 5000, seed=11)
    pairs = link(data.left, data.right, settings=LinkSettings()).pairs
    tp = pairs.join(data.truth, on=["left_id", "right_id"]).height
    precision, recall = tp / pairs.height, tp / data.truth.height
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.98, (precision, recall)
