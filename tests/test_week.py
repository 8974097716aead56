"""Weekly adherence, export and import."""

from __future__ import annotations

import functools
import json
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonecoach.catalog.foods import FoodCatalog
from bonecoach.domain.errors import InputError
from bonecoach.services.coach import Coach
from bonecoach.services.demo import seed_demo
from bonecoach.storage.repository import Repository
from bonecoach.storage.transfer import export_csv, export_json, import_json, import_json_file

MONDAY = date(2026, 11, 23)


def test_an_empty_week_has_no_statuses_and_no_adherence(profiled: Coach) -> None:
    profiled.set_exercise_setup([], set())  # no time to exercise: nothing planned
    week = profiled.week(MONDAY)
    assert [d.date for d in week.days] == [MONDAY + timedelta(days=n) for n in range(7)]
    assert all(n.status == "none" for d in week.days for n in d.nutrients.values())
    assert week.exercise_adherence is None and week.conflicts == 0
    assert all(s.days_met == 0 and s.mean_percent_of_target is None for s in week.nutrients.values())


def test_a_partial_week_counts_logged_days_only(profiled: Coach) -> None:
    profiled.log_food("01009", grams=170, at=datetime(2026, 11, 23, 12))  # 1,207 mg calcium: met
    profiled.log_food("01009", grams=150, at=datetime(2026, 11, 24, 12))  # 1,065 mg: close (>= 80% of 1,200)
    profiled.log_food("01009", grams=50, at=datetime(2026, 11, 25, 12))  # 355 mg: missed
    week = profiled.week(MONDAY)
    statuses = [d.nutrients["calcium_mg"].status for d in week.days]
    assert statuses == ["met", "close", "missed", "none", "none", "none", "none"]
    assert week.nutrients["calcium_mg"].days_met == 1
    assert week.nutrients["calcium_mg"].mean_percent_of_target == pytest.approx((1207 + 1065 + 355) / 3 / 12, abs=0.1)
    assert [d.nutrients["sodium_mg"].status for d in week.days][:3] == ["within", "within", "within"]


def test_over_the_upper_limit_is_marked_apart(profiled: Coach) -> None:
    for hour in (8, 11, 14, 17, 20):
        profiled.log_supplement("calcium-carbonate-500", at=datetime(2026, 11, 23, hour))
    week = profiled.week(MONDAY)
    assert week.days[0].nutrients["calcium_mg"].status == "over"
    assert week.nutrients["calcium_mg"].days_met == 0 and week.nutrients["calcium_mg"].days_over == 1
    assert week.conflicts >= 1 and "calcium-over-upper-limit" not in week.recurring_conflicts  # once is not recurring


def test_exercise_adherence_counts_done_against_planned_even_when_the_plan_changed(profiled: Coach) -> None:
    week = profiled.week(MONDAY)  # the clock says Wednesday: Monday's and Tuesday's sessions were missed and re-planned
    planned = {c: sum(d.exercise_planned.get(c, 0) for d in week.days) for c in ("resistance", "balance", "posture")}
    assert planned["resistance"] >= 1
    profiled.mark_session_done(date(2026, 11, 25), "posture")
    after = profiled.week(MONDAY)
    assert after.exercise_adherence is not None and after.exercise_adherence > 0
    assert sum(d.exercise_done.get("posture", 0) for d in after.days) == 1


def test_a_daylight_saving_week_still_has_seven_days(profiled: Coach) -> None:
    week = profiled.week(date(2026, 3, 29))  # the EU clocks change on Sunday 29 March 2026
    assert len(week.days) == 7 and week.days[0].date == date(2026, 3, 23) and week.days[-1].date == date(2026, 3, 29)


def test_doses_taken_against_due(profiled: Coach) -> None:
    profiled.add_to_regimen("medication", "levothyroxine")  # starts today, Wednesday
    profiled.log_medication("levothyroxine", at=datetime(2026, 11, 25, 6))
    week = profiled.week(MONDAY)
    # Thursday to Sunday are still to come: not due yet, so not missed.
    assert [d.doses_due for d in week.days] == [0, 0, 1, 0, 0, 0, 0]
    assert week.days[2].doses_taken == 1 and week.doses_due == 1 and week.doses_taken == 1


def test_the_same_dose_logged_twice_counts_once(profiled: Coach) -> None:
    # Logged twice by mistake (or taken twice): the day's one due dose is taken, not "2 of 1",
    # and the week's adherence never passes 100%.
    profiled.add_to_regimen("medication", "levothyroxine")
    profiled.log_medication("levothyroxine", at=datetime(2026, 11, 25, 6))
    profiled.log_medication("levothyroxine", at=datetime(2026, 11, 25, 6, 5))
    week = profiled.week(MONDAY)
    assert week.days[2].doses_due == 1 and week.days[2].doses_taken == 1
    assert week.doses_due == 1 and week.doses_taken == 1


def test_export_import_round_trip_is_lossless(tmp_path: Path, catalog: FoodCatalog, coach: Coach) -> None:
    seed_demo(coach)
    coach.add_recipe("Pot", 2, [("01077", 244), ("11458", 90)])
    coach.add_scan(date(2026, 1, 5), "total_hip", -2.2, bmd=0.75)
    first = export_json(coach.repo)
    fresh = Repository(tmp_path / "fresh")
    count = import_json(fresh, first, "export.json", date(2026, 11, 25))
    assert count == len(json.loads(first)["entries"]) > 300
    assert export_json(fresh) == first
    assert (
        Coach(fresh, clock=coach.clock, catalog=catalog).day(date(2026, 11, 25)).totals
        == coach.day(date(2026, 11, 25)).totals
    )
    with pytest.raises(InputError, match="empty database"):
        import_json(fresh, first, "export.json", date(2026, 11, 25))  # importing twice would duplicate everything
    (tmp_path / "export.json").write_text(first, encoding="utf-8")
    with pytest.raises(InputError, match="empty database"):  # from a file too, read an entry at a time or not
        import_json_file(fresh, tmp_path / "export.json", date(2026, 11, 25))
    fresh.close()
    profiled = Repository(tmp_path / "profiled")
    Coach(profiled, clock=coach.clock, catalog=catalog).set_profile("female", date(1962, 4, 12))
    with pytest.raises(InputError, match="empty database"):
        import_json_file(profiled, tmp_path / "export.json", date(2026, 11, 25))
    profiled.close()


@pytest.mark.parametrize(
    ("text", "message"),
    [("{", "not valid JSON"), ('{"format": "other"}', "not a bonecoach export"),
     ('{"format": "bonecoach-export", "schema_version": 99}', "schema 99"),
     ('{"format": "bonecoach-export", "schema_version": 2, "tables": {}, "entries": [{"id": "x"}]}', "entries.0"),
     ('{"format": "bonecoach-export", "schema_version": 2, "tables": {"scans": [{"id": 1}]}, "entries": []}', "tables")],
)  # fmt: skip
def test_malformed_imports_are_refused_and_write_nothing(tmp_path: Path, text: str, message: str) -> None:
    repo = Repository(tmp_path / "db")
    before = sorted(p.name for p in (tmp_path / "db").rglob("*"))
    with pytest.raises(InputError, match=message):
        import_json(repo, text, "bad.json", date(2026, 11, 25))
    assert sorted(p.name for p in (tmp_path / "db").rglob("*")) == before
    assert repo.all_entries() == [] and repo.profile() is None
    repo.close()


def test_csv_export_and_private_file(
    profiled: Coach, db_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonecoach.cli import context
    from bonecoach.cli.main import main
    from tests.conftest import NOW

    profiled.log_food("01077", grams=244, at="8am")
    text = export_csv(profiled.repo)
    header, row = text.splitlines()[:2]
    assert header.startswith("date,time,meal,kind,id,ref,name,grams,doses,portion,calcium_mg")
    assert ",01077," in row and "275.72" in row
    profiled.repo.close()
    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    out = tmp_path / "export.json"
    assert main(["--db", str(db_dir), "export", "--format", "json", "--output", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert main(["--db", str(db_dir), "week", "2026-11-25", "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_dir), "week", "2026-11-25", "--json"]) == 0
    week = json.loads(capsys.readouterr().out)
    assert week["week_start"] == "2026-11-23" and len(week["days"]) == 7
    wednesday = week["days"][2]
    assert {"date", "calcium_mg", "exercise", "conflicts"} <= set(wednesday)
    assert set(wednesday["calcium_mg"]) >= {"total", "target", "status"} and set(wednesday["exercise"]) >= {
        "planned",
        "done",
    }
    assert set(week["summary"]["calcium_mg"]) >= {"days_met", "mean_percent_of_target"}
    assert "exercise_adherence" in week["summary"] and "conflicts" in week["summary"]


async def test_week_pane_moves_between_weeks(profiled: Coach) -> None:
    from textual.widgets import DataTable, Static

    from bonecoach.tui.app import make_app

    profiled.log_food("01009", grams=170, at=datetime(2026, 11, 23, 12))
    profiled.log_food("01009", grams=170, at=datetime(2026, 11, 17, 12))
    app = make_app(profiled)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Week of 23 November 2026" in str(app.query_one("#week-title", Static).render())
        grid = app.query_one("#week-grid", DataTable)
        assert grid.get_row_at(0)[1] == "✓"  # Monday's calcium met
        assert "Calcium streak" in str(app.query_one("#week-headline", Static).render())
        await pilot.press("left")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Week of 16 November 2026" in str(app.query_one("#week-title", Static).render())
        assert grid.get_row_at(0)[2] == "✓"  # Tuesday 17


async def test_a_slow_earlier_week_never_replaces_the_one_asked_for_last(profiled: Coach, monkeypatch) -> None:
    import time

    from textual.widgets import Static

    from bonecoach.tui.app import make_app
    from bonecoach.tui.panes.week import WeekPane

    real_review = Coach.week_review
    asked: list[date] = []

    def week_review(self: Coach, monday: date):  # type: ignore[no-untyped-def]
        asked.append(monday)
        if monday == date(2026, 11, 16):
            time.sleep(0.6)  # so that its thread finishes last
        return real_review(self, monday)

    monkeypatch.setattr(Coach, "week_review", week_review)
    app = make_app(profiled)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        await app.workers.wait_for_complete()
        # Two requests in flight (keys wait behind the loading indicator; a tab switch or a
        # logged change while the week computes does not): 16 November, then 9 November.
        pane = app.query_one(WeekPane)
        pane.monday = date(2026, 11, 16)
        pane.reload()
        while date(2026, 11, 16) not in asked:  # its thread has started (and sleeps)
            await pilot.pause(0.01)
        pane.monday = date(2026, 11, 9)
        pane.reload()
        await pilot.pause(1.2)  # both threads have ended, the slow one last
        await pilot.pause()
        assert "Week of 09 November 2026" in str(app.query_one("#week-title", Static).render())


def test_sessions_still_to_come_do_not_count_against_adherence() -> None:
    from bonecoach.domain.adherence import planned_so_far, week_adherence
    from bonecoach.domain.day import summarize_day

    days = [MONDAY + timedelta(days=n) for n in range(7)]
    planned = {d: {"posture": 1} for d in days}
    done = {days[0]: {"posture": 1}, days[2]: {"posture": 1}}  # Monday, and today (Wednesday) done
    summaries = {d: summarize_day(d, [], {}) for d in days}
    week = week_adherence(MONDAY, summaries, planned, done, {}, today=days[2])
    assert week.exercise_adherence == pytest.approx(2 / 3, abs=0.001)  # Mon done, Tue missed, Wed done; Thu-Sun to come
    before_done = week_adherence(MONDAY, summaries, planned, {days[0]: {"posture": 1}}, {}, today=days[2])
    # Today's session counts as planned (the grid shows it as 0/1), so the headline agrees with the grid.
    assert before_done.exercise_adherence == pytest.approx(1 / 3, abs=0.001)
    assert planned_so_far(days[5], {"posture": 1}, {}, days[2]) == {}
    assert week_adherence(MONDAY, summaries, planned, done, {}).exercise_adherence == pytest.approx(
        2 / 7, abs=0.001
    )  # a past week


def test_extra_sessions_of_one_kind_do_not_make_up_for_another() -> None:
    from bonecoach.domain.adherence import exercise_adherence, sessions_kept

    assert sessions_kept({"strength": 2, "balance": 2}, {"balance": 5}) == 2
    assert exercise_adherence({"strength": 2, "balance": 2}, {"balance": 5, "strength": 1}) == 0.75
    assert exercise_adherence({}, {"balance": 1}) is None


CATEGORIES = st.sampled_from(["strength", "balance", "posture", "impact"])
SESSIONS = st.dictionaries(
    st.integers(0, 6).map(lambda n: MONDAY + timedelta(days=n)), st.dictionaries(CATEGORIES, st.integers(0, 3))
)


@given(planned=SESSIONS, done=SESSIONS, today=st.one_of(st.none(), st.integers(-1, 8)))
def test_the_report_and_the_week_review_agree_on_a_week_of_exercise(
    planned: dict[date, dict[str, int]], done: dict[date, dict[str, int]], today: int | None
) -> None:
    from bonecoach.domain.adherence import week_adherence
    from bonecoach.domain.day import summarize_day
    from bonecoach.domain.report import exercise_report

    days = [MONDAY + timedelta(days=n) for n in range(7)]
    now = None if today is None else MONDAY + timedelta(days=today)
    summaries = {d: summarize_day(d, [], {}) for d in days}
    week = week_adherence(MONDAY, summaries, planned, done, {}, today=now)
    report = exercise_report(days, planned, done, now)
    assert report.adherence == week.exercise_adherence
    assert [w.week_start for w in report.weeks] == [MONDAY]
    assert report.weeks[0].planned == sum(report.planned.values())


# -- one figure, said the same way everywhere ---------------------------------------------------------


def test_the_headline_counts_what_the_grid_shows(profiled: Coach) -> None:
    week = profiled.week(MONDAY)
    grid_planned = sum(sum(d.exercise_planned.values()) for d in week.days if d.date <= date(2026, 11, 25))
    assert week.sessions_planned == grid_planned > 0
    assert week.exercise_phrase().startswith(f"0 of {grid_planned} planned sessions so far")
    calcium = week.nutrients["calcium_mg"]
    assert calcium.days_logged == 0 and calcium.met_phrase() == "no days logged"
    profiled.log_food("01077", portion="1 cup", at="8am")
    calcium = profiled.week(MONDAY).nutrients["calcium_mg"]
    assert calcium.met_phrase() == "0 of 1 logged day met"


def test_nothing_is_planned_or_missed_before_the_person_started(profiled: Coach) -> None:
    profiled.repo._edit_tables(lambda data: data["meta"]["1"].update(created="2026-11-25T09:00:00"))
    week = profiled.week(MONDAY)
    early = [d for d in week.days if d.date < date(2026, 11, 25)]
    assert all(not d.exercise_planned for d in early)
    assert "missed" not in " ".join(profiled.exercise_plan(MONDAY).unmet)


def test_a_nutrient_no_entry_measured_is_unknown_not_zero(profiled: Coach, catalog: object) -> None:
    from bonecoach.services import views

    profiled.log_food("09040", grams=118, at="8am")  # a banana: SR28 gives no K2 value
    day = profiled.day(date(2026, 11, 25))
    assert day.status("vitamin_k2_mcg") == "unknown" and day.status("calcium_mg") != "unknown"
    shown = views.day_json(day)
    assert shown["totals"]["vitamin_k2_mcg"] is None and shown["status"]["vitamin_k2_mcg"] == "unknown"
    week = profiled.week(MONDAY)
    assert week.days[2].nutrients["vitamin_k2_mcg"].status == "unknown"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CATEGORIES = ["resistance", "balance", "posture", "aerobic"]
counts = st.dictionaries(st.sampled_from(CATEGORIES), st.integers(0, 2), max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.lists(counts, min_size=7, max_size=7), st.lists(counts, min_size=7, max_size=7), st.integers(0, 9))
def test_the_headline_the_grid_and_the_report_agree_on_any_week(
    planned_days: list[dict[str, int]], done_days: list[dict[str, int]], today_index: int
) -> None:
    from bonecoach.domain.adherence import sessions_kept, week_adherence
    from bonecoach.domain.day import summarize_day
    from bonecoach.domain.report import exercise_report

    days = [MONDAY + timedelta(days=n) for n in range(7)]
    today = MONDAY + timedelta(days=today_index)  # 7-9: the week is over
    planned = {d: p for d, p in zip(days, planned_days, strict=True) if p}
    done = {d: x for d, x in zip(days, done_days, strict=True) if x and d <= today}
    summaries = {d: summarize_day(d, [], {}) for d in days}
    week = week_adherence(MONDAY, summaries, planned, done, {}, today=today)
    # The grid's cells up to today, each category counted up to its plan.
    grid_planned = sum(sum(planned.get(d, {}).values()) for d in days if d <= today)
    grid_kept = sum(sessions_kept(planned.get(d, {}), done.get(d, {})) for d in days if d <= today)
    assert week.sessions_planned == grid_planned
    report = exercise_report(days, planned, done, today)
    assert sum(w.planned for w in report.weeks) == week.sessions_planned
    assert report.adherence == week.exercise_adherence
    if grid_planned:
        assert week.exercise_phrase().startswith(f"{week.sessions_kept} of {grid_planned} planned")
        # Kept per category over the week (a session done another day still counts), never above planned.
        assert grid_kept <= week.sessions_kept <= grid_planned
    else:
        assert week.exercise_phrase() == "nothing planned so far"


amounts = st.lists(st.tuples(st.integers(0, 6), st.sampled_from(["11234", "01079", "09040"]), st.integers(20, 400)),
                   max_size=8)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(amounts, st.lists(st.tuples(st.integers(0, 6), st.integers(1, 300)), max_size=3))
def test_the_trend_and_the_week_give_one_mean_percent_for_every_nutrient(
    foods: list[tuple[int, str, int]], k2_doses: list[tuple[int, int]]
) -> None:
    # The trend's point for a week is the week's own "mean % of target", whatever was eaten:
    # vitamin K is judged as K1 plus K2 in the week, and so in the trend.
    import tempfile

    from bonecoach.domain.nutrient_info import JUDGED_KEYS

    with tempfile.TemporaryDirectory() as folder:
        coach = Coach(Repository(Path(folder)), clock=lambda: datetime(2026, 11, 30, 20, 0), catalog=_shipped_catalog())
        coach.set_profile("female", date(1962, 4, 12))
        for day, food, grams in foods:
            coach.log_food(food, grams=grams, at=datetime.combine(MONDAY + timedelta(days=day), datetime.min.time()))
        if k2_doses:
            coach.add_supplement("K2 drops", {"vitamin_k2_mcg": 10.0})
        for day, doses in k2_doses:
            at = datetime.combine(MONDAY + timedelta(days=day), datetime.min.time()).replace(hour=9)
            coach.log_supplement("K2 drops", doses=doses / 100, at=at)
        week = coach.week(MONDAY)
        for key in JUDGED_KEYS:
            assert coach.trend(MONDAY, weeks=1, key=key) == [week.nutrients[key].mean_percent_of_target], key
        coach.close()


@functools.cache
def _shipped_catalog() -> FoodCatalog:
    """The catalog, loaded once for every example."""
    return FoodCatalog.load()


async def _week_headline(coach: Coach) -> str:
    from textual.widgets import Static

    from bonecoach.tui.app import make_app

    app = make_app(coach)
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        return str(app.query_one("#week-headline", Static).render())


async def test_the_week_pane_says_the_services_change_on_the_week_before(profiled: Coach) -> None:
    headline = await _week_headline(profiled)
    assert headline.startswith("Calcium: no days logged. Vitamin D")  # said once, not twice
    profiled.log_food("01079", grams=244, at=datetime(2026, 11, 17, 8, 0))  # the week before: one cup of milk
    profiled.log_food("01079", grams=732, at=datetime(2026, 11, 24, 8, 0))  # this week: three
    review = profiled.week_review(MONDAY)
    assert review.calcium_change is not None and review.calcium_change > 0
    headline = await _week_headline(profiled)
    assert f"({review.calcium_change:+.0f} points on the week before)" in headline
    assert review.week.nutrients["calcium_mg"].mean_phrase() in headline


def test_every_week_key_holds_what_its_name_says(profiled: Coach) -> None:
    # week --json's vitamin_k1_mcg held K1 plus K2 (94.4 where day --json said 0.96), and the
    # report's K1 mean followed it. K1 is its own total; the sum the AI applies to has its own key.
    from bonecoach.services.reporting import clinician_report
    from bonecoach.services.views import day_json, week_json

    profiled.log_food("01077", portion="1 cup", at=datetime(2026, 11, 24, 8))  # milk: a little K1
    profiled.log_supplement("k2-mk7-90", at=datetime(2026, 11, 24, 9))
    summary = profiled.day(date(2026, 11, 24))
    k1, k2 = summary.totals["vitamin_k1_mcg"].amount, summary.totals["vitamin_k2_mcg"].amount
    assert 0 < k1 < 5 and k2 > 90  # milk carries a little MK-4 too
    day = week_json(profiled.week(MONDAY))["days"][1]
    assert day["vitamin_k1_mcg"]["total"] == pytest.approx(k1, abs=0.05)
    assert day["vitamin_k1_mcg"]["target"] is None  # the AI is for total vitamin K, not for K1
    assert day["vitamin_k_total_mcg"]["total"] == pytest.approx(k1 + k2, abs=0.05)
    assert day["vitamin_k_total_mcg"]["target"] == 90 and day["vitamin_k_total_mcg"]["status"] == "met"
    shown = day_json(summary)
    assert shown["totals"]["vitamin_k1_mcg"] == k1 and shown["totals"]["vitamin_k_total_mcg"] == round(k1 + k2, 2)
    assert shown["targets"]["vitamin_k_total_mcg"]["target"] == 90
    report = clinician_report(profiled, date(2026, 11, 24), date(2026, 11, 24))
    means = {n.key: n.mean_daily for n in report.nutrients}
    assert means["vitamin_k1_mcg"] == pytest.approx(k1, abs=0.05)
    assert means["vitamin_k_total_mcg"] == pytest.approx(k1 + k2, abs=0.05)


def test_a_tablet_planned_as_two_doses_a_day_counts_two_due_doses(profiled: Coach) -> None:
    # Two 600 mg calcium tablets a day are planned as two doses (each over 500 mg: taken apart).
    # Logging one of them each day is half the doses, not "100%", in the week and the report.
    from bonecoach.services.reporting import clinician_report
    from bonecoach.services.views import week_json

    profiled.add_to_regimen("supplement", "calcium-carbonate-600", doses=2, start=MONDAY)
    assert len([i for i in profiled.plan(MONDAY).items if i.ref == "calcium-carbonate-600"]) == 2
    profiled.log_supplement("calcium-carbonate-600", at=datetime(2026, 11, 23, 8))  # Monday: one of two
    profiled.log_supplement("calcium-carbonate-600", doses=2, at=datetime(2026, 11, 24, 8))  # both at once
    profiled.log_supplement("calcium-carbonate-600", at=datetime(2026, 11, 25, 8))
    profiled.log_supplement("calcium-carbonate-600", at=datetime(2026, 11, 25, 18, 30))  # both, apart
    week = profiled.week(MONDAY)
    assert (week.doses_due, week.doses_taken) == (6, 5)  # Monday to Wednesday (today): 2 a day
    assert [(d.doses_due, d.doses_taken) for d in week.days[:3]] == [(2, 1), (2, 2), (2, 2)]
    assert week_json(week)["summary"]["medication"] == {"due": 6, "taken": 5}
    report = clinician_report(profiled, MONDAY, date(2026, 11, 25))
    dose = next(d for d in report.doses if d.ref == "calcium-carbonate-600")
    assert (dose.due, dose.taken) == (6, 5)
