"""From the free text of an occupation column to an :class:`~lindung.registry.models.Occupation`.

Lists of proposed workers write occupations the way people say them: "NELAYAN", "nelayan
tangkap", "petani sawit", "BHL", "ojol", "Juru Parkir", "TKBM", "marbot masjid"… The import maps
each distinct text once (a file has a few hundred distinct spellings at most), in two steps:

1. the whole text, normalised by :func:`~lindung.registry.names.search_key`, is looked up in
   :data:`SYNONYMS` (exact spellings, abbreviations and the codes themselves);
2. otherwise the first rule of :data:`RULES` whose pattern occurs as whole words decides (so
   "buruh kebun sawit" is a farm labourer before "kebun" makes it a farmer).

Text that neither recognises becomes ``lainnya`` and is flagged in the import report, so that
this table can grow from real files.
"""

from __future__ import annotations

import re
from functools import cache

from lindung.registry.models import Occupation
from lindung.registry.names import search_key

Occ = Occupation

#: Whole texts (after ``search_key``) → occupation code.
SYNONYMS: dict[str, str] = {
    # nelayan
    "nelayan": Occ.NELAYAN, "nelayan tangkap": Occ.NELAYAN, "nelayan tradisional": Occ.NELAYAN,
    "nelayan kecil": Occ.NELAYAN, "nelayan buruh": Occ.NELAYAN, "buruh nelayan": Occ.NELAYAN,
    "anak buah kapal": Occ.NELAYAN, "abk": Occ.NELAYAN, "pembudidaya ikan": Occ.NELAYAN,
    "petambak": Occ.NELAYAN, "petani tambak": Occ.NELAYAN, "pencari ikan": Occ.NELAYAN,
    "fisherman": Occ.NELAYAN, "fisher": Occ.NELAYAN,
    # petani / pekebun
    "petani": Occ.PETANI, "pekebun": Occ.PETANI, "petani sawit": Occ.PETANI,
    "petani karet": Occ.PETANI,
    "petani padi": Occ.PETANI, "petani sayur": Occ.PETANI, "petani kebun": Occ.PETANI,
    "pekebun sawit": Occ.PETANI, "berkebun": Occ.PETANI, "bertani": Occ.PETANI,
    "petani pekebun": Occ.PETANI, "farmer": Occ.PETANI, "pertanian": Occ.PETANI,
    # buruh tani / kebun
    "buruh tani": Occ.BURUH_TANI, "buruh kebun": Occ.BURUH_TANI, "buruh sawit": Occ.BURUH_TANI,
    "buruh perkebunan": Occ.BURUH_TANI, "buruh tani kebun": Occ.BURUH_TANI,
    "buruh harian kebun": Occ.BURUH_TANI,
    "pemanen sawit": Occ.BURUH_TANI, "pemanen": Occ.BURUH_TANI, "penyadap karet": Occ.BURUH_TANI,
    "buruh tani perkebunan": Occ.BURUH_TANI, "farm labourer": Occ.BURUH_TANI,
    # buruh harian lepas
    "buruh harian lepas": Occ.BURUH_HARIAN, "buruh harian": Occ.BURUH_HARIAN,
    "bhl": Occ.BURUH_HARIAN,
    "buruh lepas": Occ.BURUH_HARIAN, "pekerja harian lepas": Occ.BURUH_HARIAN,
    "phl": Occ.BURUH_HARIAN,
    "buruh serabutan": Occ.BURUH_HARIAN, "serabutan": Occ.BURUH_HARIAN,
    "pekerja serabutan": Occ.BURUH_HARIAN,
    "kuli": Occ.BURUH_HARIAN, "buruh": Occ.BURUH_HARIAN, "daily worker": Occ.BURUH_HARIAN,
    "day labourer": Occ.BURUH_HARIAN, "harian lepas": Occ.BURUH_HARIAN,
    # pedagang kaki lima / keliling
    "pedagang kaki lima": Occ.PEDAGANG, "pkl": Occ.PEDAGANG, "pedagang keliling": Occ.PEDAGANG,
    "pedagang": Occ.PEDAGANG, "pedagang kecil": Occ.PEDAGANG, "pedagang sayur": Occ.PEDAGANG,
    "pedagang asongan": Occ.PEDAGANG, "asongan": Occ.PEDAGANG, "penjual": Occ.PEDAGANG,
    "jualan": Occ.PEDAGANG, "berjualan": Occ.PEDAGANG, "pedagang pasar": Occ.PEDAGANG,
    "warung": Occ.PEDAGANG, "pemilik warung": Occ.PEDAGANG, "usaha mikro": Occ.PEDAGANG,
    "umkm": Occ.PEDAGANG, "wiraswasta kecil": Occ.PEDAGANG, "street vendor": Occ.PEDAGANG,
    # ojek
    "ojek": Occ.OJEK, "ojol": Occ.OJEK, "ojek online": Occ.OJEK, "ojek pangkalan": Occ.OJEK,
    "tukang ojek": Occ.OJEK, "pengemudi ojek": Occ.OJEK, "driver ojol": Occ.OJEK,
    "driver ojek online": Occ.OJEK, "mitra ojol": Occ.OJEK, "ojek motor": Occ.OJEK,
    "gojek": Occ.OJEK,
    "grab": Occ.OJEK, "maxim": Occ.OJEK, "kurir": Occ.OJEK, "kurir online": Occ.OJEK,
    # sopir
    "sopir": Occ.SOPIR, "supir": Occ.SOPIR, "sopir angkot": Occ.SOPIR, "sopir angkutan": Occ.SOPIR,
    "sopir truk": Occ.SOPIR, "pengemudi": Occ.SOPIR, "driver": Occ.SOPIR, "motoris": Occ.SOPIR,
    "motoris perahu": Occ.SOPIR, "motoris klotok": Occ.SOPIR, "taksi": Occ.SOPIR,
    "sopir taksi": Occ.SOPIR,
    # juru parkir
    "juru parkir": Occ.TUKANG_PARKIR, "tukang parkir": Occ.TUKANG_PARKIR,
    "jukir": Occ.TUKANG_PARKIR,
    "parkir": Occ.TUKANG_PARKIR, "petugas parkir": Occ.TUKANG_PARKIR,
    # buruh pelabuhan / bongkar muat
    "tkbm": Occ.BURUH_PELABUHAN, "buruh pelabuhan": Occ.BURUH_PELABUHAN,
    "buruh bongkar muat": Occ.BURUH_PELABUHAN, "tenaga kerja bongkar muat": Occ.BURUH_PELABUHAN,
    "porter": Occ.BURUH_PELABUHAN, "kuli pelabuhan": Occ.BURUH_PELABUHAN,
    "buruh angkut": Occ.BURUH_PELABUHAN,
    "kuli angkut": Occ.BURUH_PELABUHAN, "bongkar muat": Occ.BURUH_PELABUHAN,
    "motoris pelabuhan": Occ.BURUH_PELABUHAN,
    # tukang / kuli bangunan
    "tukang bangunan": Occ.TUKANG, "kuli bangunan": Occ.TUKANG, "tukang": Occ.TUKANG,
    "tukang batu": Occ.TUKANG, "tukang kayu": Occ.TUKANG, "buruh bangunan": Occ.TUKANG,
    "pekerja bangunan": Occ.TUKANG, "tukang las": Occ.TUKANG, "tukang cat": Occ.TUKANG,
    "construction worker": Occ.TUKANG,
    # pekerja rumah tangga
    "pekerja rumah tangga": Occ.PRT, "prt": Occ.PRT, "art": Occ.PRT,
    "asisten rumah tangga": Occ.PRT,
    "pembantu rumah tangga": Occ.PRT, "pembantu": Occ.PRT, "pengasuh anak": Occ.PRT,
    "babysitter": Occ.PRT, "tukang cuci": Occ.PRT, "buruh cuci": Occ.PRT,
    "domestic worker": Occ.PRT,
    # pengrajin
    "pengrajin": Occ.PENGRAJIN, "perajin": Occ.PENGRAJIN, "kerajinan": Occ.PENGRAJIN,
    "pengrajin anyaman": Occ.PENGRAJIN, "penenun": Occ.PENGRAJIN, "pengrajin manik": Occ.PENGRAJIN,
    "industri rumahan": Occ.PENGRAJIN, "industri rumah tangga": Occ.PENGRAJIN,
    "penjahit": Occ.PENGRAJIN,
    "craftsman": Occ.PENGRAJIN,
    # pekerja keagamaan
    "marbot": Occ.KEAGAMAAN, "marbot masjid": Occ.KEAGAMAAN, "marbut": Occ.KEAGAMAAN,
    "guru ngaji": Occ.KEAGAMAAN, "guru mengaji": Occ.KEAGAMAAN, "ustadz": Occ.KEAGAMAAN,
    "ustad": Occ.KEAGAMAAN, "ustadzah": Occ.KEAGAMAAN, "imam masjid": Occ.KEAGAMAAN,
    "imam": Occ.KEAGAMAAN, "muadzin": Occ.KEAGAMAAN, "muazin": Occ.KEAGAMAAN,
    "bilal": Occ.KEAGAMAAN,
    "penjaga masjid": Occ.KEAGAMAAN, "pengurus masjid": Occ.KEAGAMAAN, "takmir": Occ.KEAGAMAAN,
    "kaum": Occ.KEAGAMAAN, "penyuluh agama": Occ.KEAGAMAAN, "pendeta": Occ.KEAGAMAAN,
    "koster": Occ.KEAGAMAAN, "penjaga gereja": Occ.KEAGAMAAN, "pemangku": Occ.KEAGAMAAN,
    "pinandita": Occ.KEAGAMAAN, "biksu": Occ.KEAGAMAAN, "guru tpa": Occ.KEAGAMAAN,
    "guru tpq": Occ.KEAGAMAAN, "pekerja keagamaan": Occ.KEAGAMAAN, "rohaniawan": Occ.KEAGAMAAN,
    # pemulung
    "pemulung": Occ.PEMULUNG, "pengepul barang bekas": Occ.PEMULUNG,
    "pemungut sampah": Occ.PEMULUNG,
    "petugas kebersihan": Occ.PEMULUNG, "pengangkut sampah": Occ.PEMULUNG,
    # peternak
    "peternak": Occ.PETERNAK, "peternak sapi": Occ.PETERNAK, "peternak ayam": Occ.PETERNAK,
    "peternak kambing": Occ.PETERNAK, "beternak": Occ.PETERNAK, "peternakan": Occ.PETERNAK,
    "peternak lebah": Occ.PETERNAK, "breeder": Occ.PETERNAK,
    # lainnya, said explicitly
    "lainnya": Occ.LAINNYA, "lain lain": Occ.LAINNYA, "lain": Occ.LAINNYA, "other": Occ.LAINNYA,
}  # fmt: skip

# The codes and the labels themselves ("buruh_harian_lepas", "Pedagang kaki lima/keliling").
for _choice in Occupation:
    SYNONYMS.setdefault(search_key(_choice.value), _choice.value)
    SYNONYMS.setdefault(search_key(str(_choice.label)), _choice.value)

#: Word patterns tried in order on texts that are not in :data:`SYNONYMS`.
RULES: tuple[tuple[str, str], ...] = (
    (r"buruh (?:tani|kebun|sawit|perkebunan)|pemanen|penyadap", Occ.BURUH_TANI),
    (r"tkbm|bongkar muat|pelabuhan|porter", Occ.BURUH_PELABUHAN),
    (r"bangunan|tukang (?:batu|kayu|las|cat|besi)", Occ.TUKANG),
    (r"nelayan|tambak|abk|ikan", Occ.NELAYAN),
    (r"ojol|ojek|gojek|grab|kurir", Occ.OJEK),
    (r"parkir|jukir", Occ.TUKANG_PARKIR),
    (r"sopir|supir|pengemudi|driver|motoris", Occ.SOPIR),
    (r"marbot|marbut|ngaji|mengaji|masjid|musholla|mushola|surau|gereja|pura|vihara|ustadz?|"
     r"ustadzah|imam|muadzin|muazin|takmir|pendeta|tpa|tpq", Occ.KEAGAMAAN),
    (r"pkl|pedagang|dagang|jualan|berjualan|penjual|asongan|warung", Occ.PEDAGANG),
    (r"petani|pekebun|bertani|berkebun|kebun|sawah|ladang|tani", Occ.PETANI),
    (r"peternak|ternak", Occ.PETERNAK),
    (r"pengrajin|perajin|kerajinan|anyaman|tenun|jahit", Occ.PENGRAJIN),
    (r"rumah tangga|prt|pembantu|pengasuh", Occ.PRT),
    (r"pemulung|sampah|rongsok|barang bekas", Occ.PEMULUNG),
    (r"bhl|harian|serabutan|buruh|kuli|lepas", Occ.BURUH_HARIAN),
)  # fmt: skip

_COMPILED = tuple((re.compile(rf"\b(?:{pattern})\b"), code) for pattern, code in RULES)


@cache
def classify(text: str | None) -> tuple[str, bool]:
    """``(code, recognised)`` for one occupation text.

    Empty text gives ``("lainnya", True)``: nothing to recognise, nothing to flag. Unknown text
    gives ``("lainnya", False)``.
    """
    key = search_key(text or "")
    if not key:
        return Occupation.LAINNYA.value, True
    code = SYNONYMS.get(key)
    if code is not None:
        return str(code), True
    for pattern, rule_code in _COMPILED:
        if pattern.search(key):
            return str(rule_code), True
    return Occupation.LAINNYA.value, False


def occupation_code(text: str | None) -> str:
    """The occupation code for ``text`` (``lainnya`` when unknown)."""
    return classify(text)[0]
