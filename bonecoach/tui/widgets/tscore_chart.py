"""A small T-score-over-time chart: one column per scan date, one letter per site."""

from __future__ import annotations

from rich.text import Text

from bonecoach.domain.bone import Scan, sessions

SITE_MARKS = {"lumbar_spine": "S", "femoral_neck": "N", "total_hip": "H", "forearm": "F"}
STEPS = (10, 25, 50)  # row spacing in hundredths of a T point: 0.1 when the results allow it
MAX_ROWS = 24


def chart_levels(values: list[float]) -> tuple[list[int], int]:
    """The rows (in hundredths, top first) and their spacing for these results: the finest step
    that fits, so that two results a tenth apart never share a row; the WHO lines (-1.0, -2.5)
    fall on rows whenever they are in range (every step divides them)."""
    top = round(max(values) * 100)
    bottom = round(min(values) * 100)
    for step in STEPS:
        high = -((-top) // step) * step + step  # one row above the highest result
        low = (bottom // step) * step - step
        if (high - low) // step + 1 <= MAX_ROWS or step == STEPS[-1]:
            return list(range(high, low - 1, -step)), step
    raise AssertionError("unreachable")


def render_chart(scans: list[Scan], width: int = 60) -> Text:
    """Rows of T-score levels with the WHO lines at -1.0 and -2.5 marked (pure, testable). Each
    result sits on the row of its own value: a row holds the results from one step below it, up to
    and including its level, so a result above a WHO line is never drawn on it."""
    history = sessions(scans)[-max(1, (width - 8) // 4) :]
    text = Text()
    if not history:
        return Text("No scans yet: press n to add your latest DEXA results.", style="dim")
    levels, step = chart_levels([s.tscore for session in history for s in session.scans])
    for level in levels:
        line_style = "yellow" if level in (-100, -250) else "dim"
        text.append(f"{level / 100:+5.1f} ", style=line_style)
        for session in history:
            marks = "".join(SITE_MARKS[s.site] for s in session.scans if level - step < round(s.tscore * 100) <= level)
            cell = (marks or ("─" if level in (-100, -250) else "·"))[:3].center(3)
            style = "bold" if marks else line_style
            text.append(cell + " ", style=style)
        if level == -100:
            text.append(" normal above", style="dim")
        if level == -250:
            text.append(" osteoporosis at/below", style="dim")
        text.append("\n")
    text.append("      ")
    for session in history:
        text.append(f"{session.date:%y}".center(3) + " ", style="dim")
    latest = ", ".join(f"{SITE_MARKS[s.site]} {s.tscore:+.1f}" for s in history[-1].scans)
    text.append(f"\n      latest ({history[-1].date:%d %b %Y}): {latest}", style="bold")
    outside = [line for line in (-100, -250) if not levels[-1] <= line <= levels[0]]
    beyond = ""
    if outside:
        lines = " and ".join(f"{line / 100:+.1f}" for line in outside)
        beyond = f"; the {lines} line{'s are' if len(outside) > 1 else ' is'} off this range"
    text.append(
        "\n      S spine · N femoral neck · H total hip · F forearm (year of scan below each column); "
        f"a row every {step / 100:g} T{beyond}",
        style="dim",
    )
    return text
