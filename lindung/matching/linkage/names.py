"""Indonesian personal names → comparison keys, for record linkage.

The same person is written many ways across lists: ``H. MUHAMMAD YUSUF, S.Pd.I.``,
``Muhamad Jusuf``, ``M. Yusuf``, ``Moh. Joesoef``. :func:`normalize_name` turns a name into
*canonical tokens* that agree across these spellings:

1. ASCII lowercase (accents dropped), punctuation other than the dots of abbreviations removed;
2. titles before the name (H., Hj., Haji, Hajjah, Dr., Drs., Ir., Prof., K.H., Ust.) and
   academic degrees (S.Pd., S.E., S.H., A.Md., M.Si., …, also after a comma) dropped;
3. abbreviations expanded: every Muhammad variant (Muhamad, Mohammad, Moh., Moch., Muh., Mhd.,
   and a lone ``M.`` before another name) → ``muhammad``; Abd. → abdul; Achmad/Akhmad → ahmad;
   ``St.`` before another name and Sitti/Sti → siti; Noor/Nor (Banjar) → nur;
4. pre-1972 spelling (EYD reform) → modern: oe→u, dj→j, tj→c, sj→sy, nj→ny, ch→kh, and j→y in
   words that carry one of those old markers (``Joesoef`` → ``yusuf``);
5. doubled letters collapsed (``Muhammad`` → ``muhamad``, ``Syamsuddin`` → ``syamsudin``).

On top of that a *phonetic* form merges spellings that differ by common sound-alike letters
(j/y, kh/h, sy/s, f/p/v, q/k, dz/z, ae/ai, final y/i): ``Yusup``/``Yusuf``, ``Samsul``/
``Syamsul``, ``Rizky``/``Rizki``, ``Zaenal``/``Zainal``. Keys:

``name_norm``   canonical tokens in written order (``"muhamad yusuf"``)
``name_phon``   phonetic tokens in written order
``name_sorted`` phonetic tokens sorted (reordered names agree)
``name_first`` / ``name_last``  first and last phonetic token
``name_initials``  first letter of each phonetic token, in order

:func:`name_keys` computes all of them for a Polars column (vectorised, a DataFrame);
:func:`normalize_name`
and :func:`keys` are the scalar twins (same answers, for reasons and tests).
:func:`token_similarity` compares two token lists allowing initials (``m yusuf`` vs
``muhamad yusuf``) and dropped middle names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "DEGREES",
    "PREFIX_TITLES",
    "NameKeys",
    "keys",
    "name_keys",
    "normalize_name",
    "phonetic",
    "token_similarity",
]

#: Titles written before a name (dotless, lowercase). Removed while they lead the name.
PREFIX_TITLES = frozenset(
    {"h", "hj", "haji", "hajjah", "hajah", "hajji", "dr", "drs", "dra", "ir", "prof", "kh",
     "ust", "ustadz", "ustaz", "ustadzah", "ustazah", "tgk", "teungku", "kyai", "kiai"}
)  # fmt: skip
#: Academic degrees (dotless, lowercase). Removed when not the first token and either written
#: with a dot (``S.Pd.``) or at the end of the name.
DEGREES = frozenset(
    {"spd", "spdi", "sag", "se", "sh", "shi", "skom", "sp", "ssos", "amd", "amdkeb", "amdkep",
     "msi", "mpd", "mpdi", "st", "sked", "skm", "ssi", "sip", "mm", "mh", "mag", "mt", "sthi",
     "sei", "ssy", "sfarm", "skep", "sst", "ak", "bsc", "ba", "drs", "dra", "dr", "ir", "ma",
     "mkes", "msc", "phd", "se.i", "sikom", "spt", "spsi", "ssn", "sth", "sak", "hum",
     "shum", "mhum", "sapt"}
)  # fmt: skip
#: Abbreviations and variants → canonical token (before old-spelling and doubled letters).
_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ["muhammad", "muhamad", "mohammad", "mohamad", "mochammad", "mochamad", "mohammed",
         "muhammed", "muhammat", "muhamat", "mohamed", "muhamed", "moh", "moch", "mch", "muh",
         "mhd", "mohd", "muhd", "mochd", "mokhamad", "mukhammad", "mukhamad", "mahmmad"],
        "muhammad",
    ),
    "abd": "abdul", "abdl": "abdul",
    "achmad": "ahmad", "akhmad": "ahmad", "ahmat": "ahmad", "achmat": "ahmad", "ahmd": "ahmad",
    "sitti": "siti", "sti": "siti",
    # Banjar and Malay spellings of Nur ("Noor Hasanah", "Nor Aini")
    "noor": "nur", "nor": "nur",
}  # fmt: skip
#: Lone letters expanded only when another name follows (``M. Yusuf``; a final ``M.`` is an
#: initial of something else).
_INITIAL_ALIASES: dict[str, str] = {"m": "muhammad", "st": "siti"}

_DOUBLES = [c + c for c in "abcdefghijklmnopqrstuvwxyz"]
_SINGLES = list("abcdefghijklmnopqrstuvwxyz")
_OLD_MARK = r"oe|dj|tj|sj|nj|ch"
# An abbreviation glued to the next name: "M.Yusuf", "H.Abdul" (not degrees such as "S.Kom.").
_GLUED_ABBR = r"(^| )(m|moh|muh|mhd|moch|abd|h|hj|st|dr|drs|ir)\."
_GLUED_RE = _GLUED_ABBR + r"([a-z]{3,})"
_GLUED = re.compile(_GLUED_ABBR + r"(?=[a-z]{3,})")
_OLD_MARK_RE = re.compile(_OLD_MARK)
# In old-spelling words: dj → j (kept through the j → y step by a placeholder), tj → c, …
_OLD_FROM = ["dj", "tj", "sj", "nj"]
_OLD_TO = ["\x00", "c", "sy", "ny"]
# Phonetic merges, applied in this order to canonical tokens (whole string; rules stay in words).
_PHONETIC: tuple[tuple[str, str], ...] = (
    ("kh", "h"),
    ("sy", "s"),
    ("dz", "z"),
    ("ph", "p"),
    ("th", "t"),
    ("dh", "d"),
    ("ae", "ai"),
    ("f", "p"),
    ("v", "p"),
    ("q", "k"),
    ("j", "y"),
    ("x", "ks"),
)


def _ascii_lower(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return text.encode("ascii", "ignore").decode("ascii").lower()


def _collapse(word: str) -> str:
    # twice, as the vectorised version does (Aho-Corasick replacement is non-overlapping)
    for _ in range(2):
        for pair, single in zip(_DOUBLES, _SINGLES, strict=True):
            word = word.replace(pair, single)
    return word


def _modern(word: str) -> str:
    if _OLD_MARK_RE.search(word):
        for old, new in zip(_OLD_FROM, _OLD_TO, strict=True):
            word = word.replace(old, new)
        word = word.replace("j", "y").replace("\x00", "j")
    return word.replace("oe", "u").replace("ch", "kh")


def _raw_tokens(name: str) -> list[str]:
    """Lowercase ASCII tokens, dots kept (they tell an abbreviation or degree)."""
    text = _ascii_lower(name).replace(",", " ")
    text = re.sub(r"[^a-z. ]", " ", text)
    text = _GLUED.sub(r"\1\2. ", text)  # "m.yusuf" → "m. yusuf"; "s.kom." stays
    return text.split()


def _strip_titles(tokens: list[str]) -> list[str]:
    """Drop leading titles and degrees (see :data:`PREFIX_TITLES`, :data:`DEGREES`)."""
    dotless = [t.replace(".", "") for t in tokens]
    start = 0
    while start < len(tokens) - 1 and dotless[start] in PREFIX_TITLES:
        start += 1
    kept = []
    last = len(tokens) - 1
    for i in range(start, len(tokens)):
        bare = dotless[i]
        if not bare:
            continue
        is_degree = bare in DEGREES and i > start and ("." in tokens[i] or i == last)
        if not is_degree:
            kept.append(bare)
    return kept


def normalize_name(name: object) -> list[str]:
    """Canonical tokens of a name (see the module docstring). ``None``/blank → ``[]``."""
    if name is None:
        return []
    tokens = _strip_titles(_raw_tokens(str(name)))
    out = []
    for i, token in enumerate(tokens):
        if i < len(tokens) - 1 and token in _INITIAL_ALIASES:
            token = _INITIAL_ALIASES[token]
        token = _ALIASES.get(token, token)
        out.append(_collapse(_modern(token)))
    return out


def phonetic(token: str) -> str:
    """Phonetic form of one canonical token (``yusup`` → ``yusup``, ``rizky`` → ``rizki``)."""
    for old, new in _PHONETIC:
        token = token.replace(old, new)
    if token.endswith("y") and len(token) > 2:
        token = token[:-1] + "i"
    return _collapse(token)


@dataclass(frozen=True)
class NameKeys:
    name_norm: str
    name_phon: str
    name_sorted: str
    name_first: str
    name_last: str
    name_initials: str


def keys(name: object) -> NameKeys:
    """All comparison keys of one name (scalar twin of :func:`name_keys`)."""
    canon = normalize_name(name)
    phon = [phonetic(t) for t in canon]
    return NameKeys(
        name_norm=" ".join(canon),
        name_phon=" ".join(phon),
        name_sorted=" ".join(sorted(phon)),
        name_first=phon[0] if phon else "",
        name_last=phon[-1] if phon else "",
        name_initials="".join(t[0] for t in phon),
    )


def name_keys(names: pl.Series) -> pl.DataFrame:
    """Vectorised :func:`keys`: one row per name with the :class:`NameKeys` fields as columns.

    Blank names give empty strings. Tokens are exploded into one long column, transformed with
    plain (fast) string expressions and aggregated back; each distinct name is done once.
    """
    import polars as pl

    series = names.cast(pl.String).fill_null("").alias("name")
    uniq = series.unique().to_frame()
    text = (
        uniq["name"]
        .str.normalize("NFKD")
        .str.replace_all(r"[^\x00-\x7F]", "")
        .str.to_lowercase()
        .str.replace_all(",", " ", literal=True)
        .str.replace_all(r"[^a-z. ]", " ")
        .str.replace_all(_GLUED_RE, "${1}${2}. ${3}")
        .str.replace_all(r" +", " ")
        .str.strip_chars(" ")
    )
    tok, bare = pl.col("tok"), pl.col("bare")
    long = (
        pl.DataFrame({"row": pl.int_range(uniq.height, eager=True), "tok": text.str.split(" ")})
        .explode("tok")
        .with_columns(bare=tok.str.replace_all(".", "", literal=True))
        .with_columns(pos=pl.int_range(pl.len()).over("row"), n=pl.len().over("row"))
    )
    is_last = pl.col("pos") == pl.col("n") - 1
    lead = ((~bare.is_in(list(PREFIX_TITLES)) | is_last).cast(pl.Int32).cum_sum().over("row")) == 0
    long = long.with_columns(lead=lead).with_columns(
        lead_count=pl.col("lead").cast(pl.Int32).sum().over("row")
    )
    degree = (
        bare.is_in(list(DEGREES))
        & (pl.col("pos") > pl.col("lead_count"))
        & (tok.str.contains(".", literal=True) | is_last)
    )
    long = long.filter(~pl.col("lead") & ~degree & (bare != "")).select("row", "bare")
    long = long.with_columns(pos=pl.int_range(pl.len()).over("row"), n=pl.len().over("row"))
    token = (
        pl.when((pl.col("pos") < pl.col("n") - 1) & bare.is_in(list(_INITIAL_ALIASES)))
        .then(bare.replace(_INITIAL_ALIASES))
        .otherwise(bare)
        .replace(_ALIASES)
    )
    old = token.str.contains(_OLD_MARK)
    modern = (
        pl.when(old)
        .then(
            token.str.replace_many(_OLD_FROM, _OLD_TO)
            .str.replace_all("j", "y", literal=True)
            .str.replace_all("\x00", "j", literal=True)
        )
        .otherwise(token)
        .str.replace_many(["oe", "ch"], ["u", "kh"])
    )
    canon = modern.str.replace_many(_DOUBLES, _SINGLES).str.replace_many(_DOUBLES, _SINGLES)
    long = long.with_columns(canon=canon)
    ph = pl.col("canon")
    for old_s, new_s in _PHONETIC:
        ph = ph.str.replace_all(old_s, new_s, literal=True)
    long = long.with_columns(ph=ph)
    ph = pl.col("ph")
    ph = (
        pl.when(ph.str.ends_with("y") & (ph.str.len_chars() > 2))
        .then(ph.str.slice(0, ph.str.len_chars() - 1) + pl.lit("i"))
        .otherwise(ph)
    )
    ph = ph.str.replace_many(_DOUBLES, _SINGLES).str.replace_many(_DOUBLES, _SINGLES)
    long = long.with_columns(ph=ph)
    agg = long.group_by("row").agg(
        name_norm=pl.col("canon").str.join(" "),
        name_phon=pl.col("ph").str.join(" "),
        name_sorted=pl.col("ph").sort().str.join(" "),
        name_first=pl.col("ph").first(),
        name_last=pl.col("ph").last(),
        name_initials=pl.col("ph").str.slice(0, 1).str.join(""),
    )
    fields = ["name_norm", "name_phon", "name_sorted", "name_first", "name_last", "name_initials"]
    keyed = (
        uniq.with_row_index("row")
        .with_columns(pl.col("row").cast(pl.Int64))
        .join(agg.with_columns(pl.col("row").cast(pl.Int64)), on="row", how="left")
        .with_columns([pl.col(f).fill_null("") for f in fields])
        .drop("row")
    )
    return (
        series.to_frame().join(keyed, on="name", how="left", maintain_order="left").select(fields)
    )


def _jaro_winkler(a: str, b: str) -> float:
    import jellyfish

    return float(jellyfish.jaro_winkler_similarity(a, b)) if a and b else 0.0


def token_similarity(a: list[str] | str, b: list[str] | str) -> float:
    """Similarity 0–1 of two phonetic token lists, tolerant of initials, dropped middle names
    and reordering.

    Every token of the shorter list is matched to its best unused token of the longer one
    (an initial ``m`` matches any token starting with ``m`` at 0.9; otherwise Jaro-Winkler);
    the mean over the shorter list is scaled down by 0.05 per unmatched token of the longer
    list (``muhamad yusuf`` vs ``muhamad yusuf rahman`` → 0.95).
    """
    ta = a.split() if isinstance(a, str) else list(a)
    tb = b.split() if isinstance(b, str) else list(b)
    if not ta or not tb:
        return 0.0
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    free = list(long_)
    total = 0.0
    for token in short:
        best, best_j = 0.0, -1
        for j, other in enumerate(free):
            if len(token) == 1 or len(other) == 1:
                score = 0.9 if token[0] == other[0] else 0.0
            else:
                score = _jaro_winkler(token, other)
            if score > best:
                best, best_j = score, j
        if best_j >= 0:
            free.pop(best_j)
        total += best
    return max(0.0, total / len(short) - 0.05 * (len(long_) - len(short)))
