"""A small T-score-over-time chart: one column per scan date, one letter per site."""

from __future__ import annotations

from rich.text import Text

from bonecoach.domain.bone import Scan, sessions

SITE_MARKS = {"lumbar_spine": "S", "femoral_neck": "N", "total_hip": "H", "forearm": "F"}
TOP, BOTTOM, STEP = 1.0, -4.0, 0.5  # rows from +1.0 down to -4.0 in half points


def render_chart(scans: list[Scan], width: int = 60) -> Text:
    """Rows of T-score bands with the WHO lines at -1.0 and -2.5 marked (pure, testable)."""
    history = sessions(scans)[-max(1, (width - 8) // 4) :]
    rows = int((TOP - BOTTOM) / STEP) + 1
    text = Text()
    if not history:
        return Text("No scans yet: press n to add your latest DEXA results.", style="dim")
    for row in range(rows):
        level = TOP - row * STEP
        line_style = "yellow" if level in (-1.0, -2.5) else "dim"
        text.append(f"{level:+5.1f} ", style=line_style)
        for session in history:
            # Each row holds the half point below it, (level - 0.5, level]: a -2.3 is drawn above the
            # -2.5 line (not on it), and the -2.5 row holds only results at or below -2.5.
            marks = "".join(SITE_MARKS[s.site] for s in session.scans if level - STEP < s.tscore <= level + 1e-9)
            cell = (marks or ("─" if level in (-1.0, -2.5) else "·"))[:3].center(3)
            style = "bold" if marks else line_style
            text.append(cell + " ", style=style)
        if level == -1.0:
            text.append(" normal above", style="dim")
        if level == -2.5:
            text.append(" osteoporosis at/below", style="dim")
        text.append("\n")
    text.append("      ")
    for session in history:
        text.append(f"{session.date:%y}".center(3) + " ", style="dim")
    latest = ", ".join(f"{SITE_MARKS[s.site]} {s.tscore:+.1f}" for s in history[-1].scans)
    text.append(f"\n      latest ({history[-1].date:%d %b %Y}): {latest}", style="bold")
    text.append(
        "\n      S spine · N femoral neck · H total hip · F forearm (year of scan below each column); "
        "each row holds the half point below it",
        style="dim",
    )
    return text
