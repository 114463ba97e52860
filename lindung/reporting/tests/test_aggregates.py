"""Summary refresh, the public aggregates and snapshots, checked against the database itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from lindung import testing
from lindung.compliance.cases import Case, CaseEvent, CaseResponse, Outcome, Stage
from lindung.compliance.models import Company, CompanyStatus, ComplianceStatus
from lindung.matching.models import Coverage, CoverageStatus, worker_coverage_q
from lindung.programmes.models import Beneficiary, Funder, Programme
from lindung.registry.ages import AGE_GROUPS
from lindung.registry.models import Worker, WorkerStatus
from lindung.reporting import aggregates
from lindung.reporting.models import CoverageSnapshot, RegionCount, SummaryState
from lindung.reporting.summary import refresh_summaries, take_snapshot
from lindung.subsidy.premiums import programme_cost

TODAY = timezone.localdate()
GROUPS = ("terlindungi", "belum_terlindungi", "belum_dicocokkan", *CoverageStatus.values)


def _covered(worker: Worker, status: str) -> Worker:
    Coverage.objects.create(worker=worker, kabkota_id=worker.kabkota_id, status=status)
    return worker


@pytest.fixture
def registry(db):  # type: ignore[no-untyped-def]
    """Workers in Kutai Kartanegara, Samarinda and Balikpapan with every coverage situation."""
    make = testing.make_worker
    born = dt.date(TODAY.year - 30, 1, 1)
    _covered(make("64.02", occupation="nelayan", birth_date=born), "pu")
    _covered(make("64.02", occupation="nelayan", sex="P", birth_date=born), "belum")
    _covered(make("64.02", occupation="petani", sex="P"), "nonaktif")
    _covered(make("64.02", occupation="ojek", birth_date=dt.date(TODAY.year - 20, 1, 1)), "belum")
    _covered(make("64.02", occupation="petani"), "tinjauan")
    undated = _covered(make("64.02", occupation="petani"), "bpu_program")
    Worker.objects.filter(pk=undated.pk).update(birth_date=None)
    make("64.02", occupation="pedagang_kaki_lima")  # not matched yet
    make("64.02", status=WorkerStatus.REJECTED)  # merged duplicate: not counted
    kabkota_only = make("64.02", occupation="nelayan")
    Worker.objects.filter(pk=kabkota_only.pk).update(desa=None, kecamatan=None)
    _covered(make("64.72", occupation="nelayan", sex="P"), "belum")
    _covered(make("64.72", occupation="sopir"), "bpu_mandiri")
    _covered(make("64.71", occupation="sopir"), "belum")


def _db_count(region_filter: dict[str, str], group: str = "", **extra: object) -> int:
    """What the worker list finds for ``coverage=group`` (every counted worker without one)."""
    queryset = Worker.objects.filter(**region_filter, **extra)
    if group:
        return queryset.filter(worker_coverage_q(group)).count()
    return queryset.exclude(coverage__isnull=True, status=WorkerStatus.REJECTED).count()


@pytest.mark.django_db
def test_region_counts_equal_the_worker_list_filters(registry, pimpinan) -> None:  # type: ignore[no-untyped-def]
    refresh_summaries()
    for code, flt in (("64", {}), ("64.02", {"kabkota_id": "64.02"})):
        counts = aggregates.coverage_overview(pimpinan, code).region.counts
        assert counts.total == _db_count(flt)
        assert counts.covered == _db_count(flt, "terlindungi")
        assert counts.uncovered == _db_count(flt, "belum_terlindungi")
        assert counts.unmatched == _db_count(flt, "belum_dicocokkan")
        for status in CoverageStatus.values:
            assert counts.get(status) == _db_count(flt, status), (code, status)
    kukar = aggregates.coverage_overview(pimpinan, "64.02")
    assert kukar.region.counts.total == 8 and kukar.region.counts.uncovered == 3
    # kecamatan children add up to the kab/kota except the worker without a kecamatan
    assert sum(c.counts.total for c in kukar.children) == 7
    assert kukar.without_child.total == 1
    kecamatan = next(c for c in kukar.children if c.counts.total)
    kec_code = kecamatan.region.code
    assert kecamatan.counts.uncovered == _db_count({"kecamatan_id": kec_code}, "belum_terlindungi")
    desa = aggregates.coverage_overview(pimpinan, kec_code).children
    assert sum(d.counts.total for d in desa) == kecamatan.counts.total


@pytest.mark.django_db
def test_splits_equal_database_counts(registry, pimpinan) -> None:  # type: ignore[no-untyped-def]
    refresh_summaries(TODAY)
    split = aggregates.splits(pimpinan, "64.02")
    occupation = {r.value: r for r in split["occupation"]}
    kukar = {"kabkota_id": "64.02"}
    assert occupation["nelayan"].counts.total == _db_count(kukar, occupation="nelayan")
    assert occupation["nelayan"].counts.uncovered == 1
    assert occupation["petani"].counts.uncovered == 1  # nonaktif
    sex = {r.value: r.counts.uncovered for r in split["sex"]}
    assert sex == {
        "L": _db_count(kukar, "belum_terlindungi", sex="L"),
        "P": _db_count(kukar, "belum_terlindungi", sex="P"),
    }
    age = {r.value: r for r in split["age"]}
    for group in AGE_GROUPS:
        expected = Worker.objects.filter(group.q(TODAY), **kukar).filter(
            worker_coverage_q("belum_terlindungi")
        )
        got = age[group.param].counts.uncovered if group.param in age else 0
        assert got == expected.count(), group
    assert age[""].counts.total == 1 and age[""].links == {}  # unknown birth date, no link
    assert "sex=P" in split["sex"][1].links["belum_terlindungi"]
    assert "age=25-34" in age["25-34"].links["belum_terlindungi"]


@pytest.mark.django_db
def test_refresh_is_idempotent(registry) -> None:  # type: ignore[no-untyped-def]
    first = refresh_summaries(TODAY)
    rows = sorted(
        RegionCount.objects.values_list("region_id", "dimension", "value", "coverage", "n")
    )
    second = refresh_summaries(TODAY)
    assert (
        sorted(RegionCount.objects.values_list("region_id", "dimension", "value", "coverage", "n"))
        == rows
    )
    assert (first.workers, first.cells) == (second.workers, second.cells) == (11, first.cells)
    assert second.version == first.version + 1 == SummaryState.objects.get().version


@pytest.mark.django_db
def test_refresh_sees_new_coverage_and_cache_follows(registry, pimpinan) -> None:  # type: ignore[no-untyped-def]
    refresh_summaries()
    before = aggregates.headline(pimpinan, "64.72").counts.uncovered
    _covered(testing.make_worker("64.72"), "belum")
    assert aggregates.headline(pimpinan, "64.72").counts.uncovered == before  # cached, summary
    refresh_summaries()
    assert aggregates.headline(pimpinan, "64.72").counts.uncovered == before + 1


@pytest.mark.django_db
def test_registry_totals_from_the_summary(registry, pimpinan, op_samarinda) -> None:  # type: ignore[no-untyped-def]
    """The home page's figures, read from the summary, equal the live registry counts of the
    dashboard's counted workers; before the first refresh there are none (live counts)."""
    assert aggregates.registry_totals(pimpinan) is None
    Worker.objects.filter(kabkota_id="64.02", occupation="ojek").update(nik_status="tidak_valid")
    refresh_summaries(TODAY)
    counted = Worker.objects.exclude(coverage__isnull=True, status=WorkerStatus.REJECTED)
    totals = aggregates.registry_totals(pimpinan)
    assert totals is not None
    assert (
        (totals["total"], totals["valid_nik"], totals["damaged_nik"], totals["women"])
        == (
            counted.count(),
            counted.filter(nik_status="valid").count(),
            counted.exclude(nik_status="valid").count(),
            counted.filter(sex="P").count(),
        )
        == (11, 10, 1, 3)
    )
    first = totals["per_kabkota"][0]
    assert (first["code"], first["total"], first["valid"], first["share"]) == ("64.02", 8, 7, 100)
    assert first["name"] == "Kabupaten Kutai Kartanegara"
    mine = aggregates.registry_totals(op_samarinda)
    assert mine is not None
    assert [(r["code"], r["total"]) for r in mine["per_kabkota"]] == [("64.72", 2)]
    assert mine["total"] == 2 and mine["women"] == 1


@pytest.mark.django_db
def test_headline_sentence(registry, pimpinan) -> None:  # type: ignore[no-untyped-def]
    refresh_summaries()
    answer = aggregates.headline(pimpinan, "64.02")
    assert answer.sentence == (
        "Di Kabupaten Kutai Kartanegara, 3 pekerja rentan belum terlindungi (37,5%)."
    )
    assert answer.url == "/pekerja/?kabkota=64.02&coverage=belum_terlindungi"


@pytest.mark.django_db
def test_operator_sees_only_their_kabkota(registry, op_samarinda) -> None:  # type: ignore[no-untyped-def]
    refresh_summaries()
    assert aggregates.resolve_region(op_samarinda).code == "64.72"
    ranking = aggregates.kabkota_ranking(op_samarinda)
    assert [r.region.code for r in ranking] == ["64.72"]
    assert ranking[0].counts.total == 2
    for code in ("64", "64.02", "64.02.01", "99"):
        with pytest.raises(Http404):
            aggregates.coverage_overview(op_samarinda, code)
    with pytest.raises(Http404):
        aggregates.splits(op_samarinda, "64.71")
    kecamatan = aggregates.coverage_overview(op_samarinda).children
    assert all(c.region.code.startswith("64.72.") for c in kecamatan)
    assert aggregates.coverage_overview(op_samarinda).breadcrumbs == []


@pytest.mark.django_db
def test_snapshot_once_per_month_and_trend(registry, pimpinan, op_samarinda) -> None:  # type: ignore[no-untyped-def]
    refresh_summaries()
    written = take_snapshot(dt.date(2026, 11, 3))
    assert written == CoverageSnapshot.objects.count() == 11 * (len(aggregates.COVERAGE_VALUES) + 1)
    _covered(testing.make_worker("64.02"), "belum")
    refresh_summaries()
    take_snapshot(dt.date(2026, 11, 28))  # same month: replaced, not added
    assert CoverageSnapshot.objects.count() == written
    kukar = CoverageSnapshot.objects.get(
        month=dt.date(2026, 11, 1), region_id="64.02", measure="belum"
    )
    assert kukar.value == 3
    trend = aggregates.trend(pimpinan, "64.02.01")  # a kecamatan shows its kab/kota
    assert trend.region.code == "64.02" and len(trend.points) == 1
    assert trend.points[0].counts.uncovered == 4 and trend.since == "November 2026"
    assert aggregates.trend(op_samarinda).region.code == "64.72"


@pytest.mark.django_db
def test_programme_budgets_use_the_premium_calculator(registry, pimpinan, op_samarinda) -> None:  # type: ignore[no-untyped-def]
    programme = Programme.objects.create(
        name="Bantuan iuran provinsi 2026",
        funder=Funder.APBD_PROVINSI,
        budget=100_000_000,
        period_start=dt.date(2026, 1, 1),
        months=12,
    )
    for i, worker in enumerate(Worker.objects.filter(coverage__status="belum")):
        Beneficiary.objects.create(
            programme=programme,
            worker=worker,
            person_key=worker.nik,
            kabkota_id=worker.kabkota_id,
            rank=i + 1,
            reason="uji",
        )
    budgets = aggregates.programme_budgets(pimpinan)
    row = budgets.programmes[0]
    assert row.people == 4
    assert (
        row.committed
        == programme_cost(4, 12, ["JKK", "JKM"], 1_000_000, on=dt.date(2026, 1, 1)).total
    )
    assert budgets.funders[0].people == 4 and budgets.province_wide
    assert row.url == f"/program/{programme.pk}/"
    mine = aggregates.programme_budgets(op_samarinda)
    assert mine.programmes[0].people == 1 and not mine.province_wide


def test_programme_budgets_read_the_rules_once(  # type: ignore[no-untyped-def]
    pimpinan, django_assert_max_num_queries
) -> None:
    """Pricing is a fixed number of queries, however many programmes and months (was 4 per
    month and programme: 120 queries on a province page with three yearly programmes)."""
    for year in (2025, 2026, 2027):
        Programme.objects.create(
            name=f"Bantuan iuran {year}",
            funder=Funder.APBD_PROVINSI,
            budget=100_000_000,
            period_start=dt.date(year, 1, 1),
            months=12,
        )
    with django_assert_max_num_queries(8):
        budgets = aggregates.programme_budgets(pimpinan)
    assert [row.committed for row in budgets.programmes] == [0, 0, 0]
    assert all(row.note == "" for row in budgets.programmes)


@pytest.mark.django_db
def test_compliance_funnel(pimpinan, op_samarinda) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    for i, (kab, status, wajib) in enumerate(
        [
            ("64.72", ComplianceStatus.UNREGISTERED, True),
            ("64.72", ComplianceStatus.COMPLIANT, True),
            ("64.72", ComplianceStatus.COMPLIANT, False),
            ("64.71", ComplianceStatus.PDS_WAGE, True),
            # A registered employer: the status computation writes no "wajib" key at all.
            ("64.71", ComplianceStatus.PDS_WAGE, None),
        ]
    ):
        company = Company.objects.create(name=f"PT Uji {i}", kabkota_id=kab)
        evidence = {} if wajib is None else {"wajib": wajib}
        CompanyStatus.objects.create(
            company=company, status=status, evidence=evidence, computed_at=now
        )
        if status != ComplianceStatus.COMPLIANT:
            Case.objects.create(company=company, kabkota_id=kab, stage=Stage.IMBAUAN)
    Company.objects.create(name="PT Belum Dinilai", kabkota_id="64.71")  # no status yet
    warned, answered, done = Case.objects.order_by("pk")
    for case, letters in ((warned, 2), (answered, 1)):
        for _ in range(letters):
            CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.LETTER_SENT)
    CaseEvent.objects.create(case=answered, kind=CaseEvent.Kind.RESPONSE)  # not a letter
    for _ in range(2):  # two responses, one case
        CaseResponse.objects.create(case=answered, kind=CaseResponse.Kind.PARTIAL)
    Case.objects.filter(pk=done.pk).update(outcome=Outcome.REGISTERED)
    steps = {s.key: s.count for s in aggregates.compliance_funnel(pimpinan)}
    assert steps == {
        "companies": 6,
        "obliged": 4,
        "not_compliant": 3,
        "appealed": 3,
        "warned": 1,
        "responded": 1,
        "registered": 1,
    }
    mine = aggregates.compliance_funnel(op_samarinda)
    assert [s.count for s in mine][:4] == [3, 2, 1, 1]
    assert mine[2].url == "/kepatuhan/?kabkota=64.72&status=tidak_patuh"


@pytest.mark.django_db
def test_commands(registry) -> None:  # type: ignore[no-untyped-def]
    call_command("refresh_dashboard", verbosity=0)
    assert SummaryState.objects.get().workers == 11
    assert CoverageSnapshot.objects.filter(region_id="64", measure="total").get().value == 11
    call_command("snapshot", verbosity=0)
    assert CoverageSnapshot.objects.filter(region_id="64", measure="total").count() == 1


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "refreshed"), [("workers", True), ("participants", False)])
def test_committed_worker_import_queues_a_refresh(  # type: ignore[no-untyped-def]
    registry, django_capture_on_commit_callbacks, kind, refreshed
) -> None:
    from lindung.imports.models import ImportJob, JobStatus

    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        job = ImportJob.objects.create(kind=kind, file="imports/x.csv", original_name="x.csv")
        job.status = JobStatus.DONE
        job.save()
    assert SummaryState.objects.exists() is refreshed


@pytest.mark.django_db
def test_finished_matching_run_queues_a_refresh(  # type: ignore[no-untyped-def]
    registry, django_capture_on_commit_callbacks
) -> None:
    from lindung.matching.models import MatchRun, RunStatus

    with override_settings(TASKS=IMMEDIATE):
        with django_capture_on_commit_callbacks(execute=True):
            run = MatchRun.objects.create(status=RunStatus.RUNNING)
        assert not SummaryState.objects.exists()  # a running run changes nothing yet
        with django_capture_on_commit_callbacks(execute=True):
            run.status = RunStatus.DONE
            run.save()
    assert SummaryState.objects.get().workers == 11
    assert CoverageSnapshot.objects.filter(region_id="64", measure="total").get().value == 11
