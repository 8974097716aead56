"""The clinician report: periods, figures, Markdown and HTML, and the page in a real browser."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bonecoach.domain.errors import InputError
from bonecoach.domain.report import period_dates
from bonecoach.services.coach import Coach
from bonecoach.services.demo import seed_demo
from bonecoach.services.report_html import render_html
from bonecoach.services.report_markdown import render_markdown
from bonecoach.services.reporting import clinician_report, report_period
from tests.conftest import NOW

TODAY = NOW.date()
DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_named_periods_end_today() -> None:
    scan = date(2026, 9, 25)
    assert period_dates("week", TODAY, scan) == (date(2026, 11, 19), TODAY)
    assert period_dates("month", TODAY, scan) == (date(2026, 10, 26), TODAY)
    assert period_dates("year", TODAY, scan) == (date(2025, 11, 26), TODAY)
    assert period_dates("since-scan", TODAY, scan) == (scan, TODAY)
    assert period_dates("month", date(2027, 3, 31), None) == (date(2027, 3, 1), date(2027, 3, 31))
    with pytest.raises(InputError, match="No DEXA scan"):
        period_dates("since-scan", TODAY, None)


def test_means_count_logged_days_only_and_limits_are_apart(profiled: Coach) -> None:
    profiled.log_food("01009", grams=170, at=datetime(2026, 11, 23, 12))  # cheddar: 1,207 mg calcium, met
    profiled.log_food("01009", grams=50, at=datetime(2026, 11, 24, 12))  # 355 mg: missed
    for hour in (8, 11, 14, 17, 20):  # 2,500 mg of supplement calcium: over the upper limit
        profiled.log_supplement("calcium-carbonate-500", at=datetime(2026, 11, 25, hour))
    report = clinician_report(profiled, date(2026, 11, 19), TODAY)
    calcium = next(n for n in report.nutrients if n.key == "calcium_mg")
    assert report.days == 7 and report.days_logged == 3 and calcium.days_logged == 3
    assert calcium.mean_daily == pytest.approx((1207.7 + 355.2 + 2500) / 3, abs=1)
    assert calcium.days_met == 1 and calcium.days_over == 1
    assert calcium.daily[:4] == [None, None, None, None] and calcium.daily[4] == pytest.approx(1207.7, abs=1)
    rules = {c.rule: c for c in report.conflicts}
    assert rules["calcium-over-upper-limit"].days == 1 and rules["calcium-over-upper-limit"].occurrences == 1
    assert rules["calcium-over-upper-limit"].fix.startswith("500 mg over")  # 2,500 against 2,000: that day's own fix


def test_recurring_conflicts_are_counted_per_day_with_the_latest_fix(profiled: Coach) -> None:
    for day in (21, 23, 24):
        profiled.log_food("11457", grams=180, at=datetime(2026, 11, day, 12))  # spinach
        profiled.log_food("01256", grams=170, at=datetime(2026, 11, day, 12, 5))  # Greek yogurt
    report = clinician_report(profiled, date(2026, 11, 19), TODAY)
    oxalate = report.conflicts[0]
    assert oxalate.rule == "oxalate-with-calcium" and oxalate.days == 3 and oxalate.last_seen == date(2026, 11, 24)
    assert "Move" in oxalate.fix
    text = render_markdown(report)
    assert "Most frequent timing or intake problem: Oxalate-rich food" in text and "On 3 days." in text


def test_an_empty_period_says_so_rather_than_inventing_figures(profiled: Coach) -> None:
    profiled.set_exercise_setup([], set())
    report = clinician_report(profiled, date(2026, 11, 1), date(2026, 11, 7))
    assert report.days_logged == 0 and all(n.mean_daily is None for n in report.nutrients)
    text = render_markdown(report)
    assert "Calcium: nothing logged." in text and "No sessions were planned" in text
    assert "No scans recorded." in text and "None recorded in this period." in text


def test_periods_that_make_no_sense_are_refused(profiled: Coach) -> None:
    with pytest.raises(InputError, match="before it starts"):
        clinician_report(profiled, date(2026, 11, 20), date(2026, 11, 10))
    with pytest.raises(InputError, match="after today"):
        clinician_report(profiled, date(2026, 11, 20), date(2026, 11, 30))
    with pytest.raises(InputError, match="at most"):
        clinician_report(profiled, date(2020, 1, 1), TODAY)


class _Checker(HTMLParser):
    """Tags must nest and close; nothing may be fetched from elsewhere."""

    VOID = frozenset({"meta", "br", "img", "hr", "link", "input", "circle", "line", "rect", "polyline"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            fetches = name in ("src", "href") or (value or "").startswith(("http:", "https:", "//"))
            if fetches and name != "xmlns":  # the SVG namespace is a name, not a fetch
                self.problems.append(f"<{tag} {name}={value}> fetches something")
        if tag == "script":
            self.problems.append("a script")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()


@pytest.fixture
def demo(coach: Coach) -> Coach:
    seed_demo(coach, weeks=4)
    return coach


def test_the_html_page_is_well_formed_and_self_contained(demo: Coach) -> None:
    start, end = report_period(demo, "month")
    page = render_html(clinician_report(demo, start, end))
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.problems == [] and checker.stack == []
    assert page.startswith("<!DOCTYPE html>") and {"svg", "table", "h2", "figure"} <= checker.tags
    assert page.count("<svg") == 4  # calcium, vitamin D, exercise per week, T-score over time
    for heading in ("At a glance", "Nutrients", "Exercise", "Timing and intake problems",
                    "Medicines and supplements", "DEXA history", "Bloodwork"):  # fmt: skip
        assert f"<h2>{heading}" in page


def test_report_from_the_command_line(demo: Coach, db_dir: Path, cli_clock: None, capsys) -> None:
    from bonecoach.cli.main import main

    demo.repo.close()
    out_file = db_dir.parent / "report.html"
    assert (
        main(["--db", str(db_dir), "report", "--period", "month", "--format", "html", "--output", str(out_file)]) == 0
    )
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600 and "<svg" in out_file.read_text()
    assert "Report written to" in capsys.readouterr().out
    assert main(["--db", str(db_dir), "report", "--from", "2026-11-19", "--to", "2026-11-25"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Bone health log") and "| Calcium |" in markdown
    assert main(["--db", str(db_dir), "report", "--period", "week", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["start"] == "2026-11-19" and data["days"] == 7 and data["doses"][0]["due"] >= 1
    assert main(["--db", str(db_dir), "report", "--from", "2026-11-19", "--period", "week"]) == 2
    assert "either --from or --period" in capsys.readouterr().err


def test_report_and_export_to_a_place_that_cannot_hold_a_file(
    demo: Coach, db_dir: Path, cli_clock: None, capsys
) -> None:
    from bonecoach.cli.main import main

    demo.repo.close()
    blocker = db_dir.parent / "not-a-folder"
    blocker.write_text("a file where a folder would have to be")
    for command in (["report", "--period", "week"], ["export", "--format", "json"]):
        assert main(["--db", str(db_dir), *command, "--output", str(db_dir.parent)]) == 2
        assert "is a folder: give a file name" in capsys.readouterr().err
        assert main(["--db", str(db_dir), *command, "--output", str(blocker / "out.txt")]) == 2
        err = capsys.readouterr().err
        assert f"{blocker / 'out.txt'}: cannot be written (" in err and "Traceback" not in err
    assert blocker.read_text() == "a file where a folder would have to be"


@pytest.fixture
def cli_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    from bonecoach.cli import context

    monkeypatch.setattr(context, "CLOCK", lambda: NOW)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's package)")
def test_the_demo_report_renders_in_headless_chromium(demo: Coach, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    start, end = report_period(demo, "month")
    page = tmp_path / "report.html"
    page.write_text(render_html(clinician_report(demo, start, end)), encoding="utf-8")
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert "At a glance" in dom.stdout and dom.stdout.count("<svg") == 4, dom.stderr[-2000:]
    shot = tmp_path / "report.png"
    subprocess.run([*flags, "--window-size=900,2600", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)  # fmt: skip
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a blank page is a few kB
    if __import__("os").environ.get("BONECOACH_UPDATE_DOCS"):  # only on request: a test never writes the repository
        DOCS.mkdir(exist_ok=True)
        shutil.copy(shot, DOCS / "report.png")


async def test_week_pane_exports_the_report_with_one_key(
    demo: Coach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input, Static

    from bonecoach.tui.app import make_app
    from bonecoach.tui.screens.report import ReportScreen

    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app(demo)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        path_input = screen.query_one("#report-path", Input)
        assert path_input.value == str(tmp_path / "bonecoach-report-2026-11-23-to-2026-11-25.html")
        assert "23 Nov 2026 to 25 Nov 2026" in str(screen.query_one("#report-dates", Static).render())

        await pilot.click("#period-month")  # another period: the suggested name follows
        await pilot.pause()
        assert path_input.value.endswith("bonecoach-report-2026-10-26-to-2026-11-25.html")

        path_input.value = str(tmp_path)  # a folder, not a file: refused, the form stays
        await pilot.click("#save-report")
        await pilot.pause()
        assert "is a folder" in str(screen.query_one("#report-error", Static).render())
        assert app.screen is screen

        target = tmp_path / "for-dr-lee.md"
        path_input.value = str(target)
        await pilot.click("#format-md")
        await pilot.pause()
        assert path_input.value == str(target)  # a name the user typed is kept
        await pilot.click("#save-report")
        await pilot.pause()
        assert not isinstance(app.screen, ReportScreen)
    text = target.read_text()
    assert text.startswith("# Bone health log") and "26 Oct 2026 to 25 Nov 2026" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_glance_and_the_table_agree_and_the_magnesium_limit_says_supplements(profiled: Coach) -> None:
    from datetime import datetime as dt

    from bonecoach.services.reporting import clinician_report, render_report

    for day in (23, 24):
        profiled.log_food("11458", portion="1 cup", at=dt(2026, 11, day, 8))
        profiled.log_food("01077", portion="1 cup", at=dt(2026, 11, day, 8, 5))
    report = clinician_report(profiled, date(2026, 11, 23), date(2026, 11, 25))
    text = render_report(report, "md")
    listed = [c for c in report.conflicts if c.days >= 2]
    assert listed and "No timing or intake problem recurred" not in text
    assert "Most frequent timing or intake problem" in text
    assert "350 mg from supplements" in text


def test_the_over_limit_fix_names_one_entry_when_one_is_enough(profiled: Coach) -> None:
    from datetime import datetime as dt

    profiled.log_supplement("calcium-citrate-315", doses=3, at=dt(2026, 11, 25, 7))  # 945 mg
    profiled.log_food("01009", grams=150, at=dt(2026, 11, 25, 12))  # cheddar, 1,065 mg
    profiled.log_food("01077", grams=100, at=dt(2026, 11, 25, 19))  # a little milk, latest
    over = next(c for c in profiled.day(date(2026, 11, 25)).conflicts if c.rule.startswith("calcium-over"))
    assert len(over.entries) == 1, over.suggestion


def test_an_overdue_injection_is_in_the_reports_first_lines_and_its_json(profiled: Coach) -> None:
    """The report said "Denosumab (injection) 0 of 0" and nothing of a Prolia dose six months late,
    which the clinician is the one to act on."""
    profiled.add_to_regimen("medication", "Prolia", start=date(2025, 5, 1))
    start, end = report_period(profiled, "month")
    report = clinician_report(profiled, start, end)
    said = "Denosumab (injection) overdue since 01 Nov 2025: not logged since; call your clinic if it was missed"
    assert report.dose_reminders == [said]
    glance = render_markdown(report).split("## At a glance", 1)[1].split("\n## ", 1)[0]
    assert f"- {said}." in glance
    assert said in render_html(report)
    assert json.loads(report.model_dump_json())["dose_reminders"] == [said]
