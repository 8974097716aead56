"""What Today draws for a day, as plain data: its figures.

Today paints from these figures whether they were computed now or kept from the last run
(``services.kept_answers``, under the key ``KEPT_WORDS``): the kept figures are on the first frame,
before the database and the models are loaded, and the fresh computation after the paint
replaces them (they are equal whenever the fingerprint of what they came from matches). Every
value is a string (Rich markup, or plain text where it is data), so the kept copy is JSON.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.text import Span, Text

from bonecoach.domain.names import display_name, fit
from bonecoach.domain.nutrient_info import BAR_KEYS, MORE_KEYS
from bonecoach.tui.bar_text import render_bar, render_more

if TYPE_CHECKING:
    from bonecoach.domain.day import DaySummary
    from bonecoach.services.coach import Coach

Figures = dict[str, Any]
KEPT_WORDS = "today-figures"  # the kept answer's key, with the hidden nutrients
NAME_WIDTH = 28  # the name column at 80 columns; cut after a word, the full name on "i"
_SEVERITY = {"info": "cyan", "warning": "yellow", "danger": "bold red"}
FIELDS = ("title", "bars", "more", "absorption", "note", "reminders", "conflicts", "rows")


def kept_words(hidden: frozenset[str]) -> list[str]:
    """The key Today's figures are kept under: they differ by the nutrients hidden."""
    return [KEPT_WORDS, *sorted(hidden)]


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def title_markup(day: date, today: date, conflicts: int) -> str:
    """The day's title line; the conflict count is on it too (a short terminal hides the list)."""
    suffix = " (today)" if day == today else ""
    flag = f"  [b $warning]⚠ {conflicts} conflict{'s' if conflicts > 1 else ''} (c)[/]" if conflicts else ""
    return f"[b]{day:%A %d %B %Y}[/b]{suffix}   [dim]\\[ ] days · t today[/dim]{flag}"


def _conflicts_markup(summary: DaySummary) -> str:
    if not summary.conflicts:
        return ""
    count = len(summary.conflicts)
    lines = [f"[b]⚠ {count} conflict{'s' if count > 1 else ''}[/b] [dim](c: details)[/dim]"]
    fixes: dict[str, str] = {}  # one line per fix: two conflicts of one meal share it
    for conflict in summary.conflicts:
        fixes.setdefault(conflict.suggestion, conflict.severity)
    for suggestion, severity in list(fixes.items())[:3]:
        lines.append(f"[{_SEVERITY[severity]}]•[/] {escape(suggestion)}")
    return "\n".join(lines)


def _rows(summary: DaySummary) -> list[list[str]]:
    conflicted = summary.conflicted_entries()
    return [
        [
            "⚠" if entry.id in conflicted else "",
            f"{entry.at:%H:%M}",
            entry.meal.value,
            fit(display_name(entry.name), NAME_WIDTH),
            entry.amount_text(),
            "" if entry.kind == "medication" else _number(entry.nutrients.calcium_mg),
            "" if entry.kind == "medication" else _number(entry.nutrients.vitamin_d_mcg),
            entry.id,
        ]
        for entry in summary.entries
    ]


def figures_for(coach: Coach, summary: DaySummary, hidden: frozenset[str]) -> Figures:
    """What Today draws for ``summary``, the nutrients in ``hidden`` left out."""
    from bonecoach.services.views import absorption_line

    more = tuple(key for key in MORE_KEYS if key not in hidden)
    return {
        "title": title_markup(summary.date, coach.now().date(), len(summary.conflicts)),
        "bars": {key: styled_parts(render_bar(key, summary)) for key in BAR_KEYS if key not in hidden},
        "more": styled_parts(render_more(more, summary)) if more else [],
        "absorption": f"           {absorption_line(coach.absorbable(summary))} · k",
        "note": "[dim]* K2 goal is personal, not an official target. s: sources · o: your targets[/dim]"
        if summary.targets
        else "[yellow]No profile yet: press p to give sex and birth date, so targets can be shown.[/]",
        "reminders": " · ".join(coach.day_notes(summary, hidden)),
        "conflicts": _conflicts_markup(summary),
        "rows": _rows(summary),
    }


def kept_figures(text: str | None) -> Figures | None:
    """Figures read back from their kept JSON, or None when it is not figures of this shape."""
    if text is None:
        return None
    try:
        figures = json.loads(text)
    except ValueError:
        return None
    if not isinstance(figures, dict) or set(figures) != set(FIELDS):
        return None
    rows, bars = figures["rows"], figures["bars"]
    strings = [figures[name] for name in FIELDS if name not in ("rows", "bars", "more")]
    if not (isinstance(bars, dict) and all(k in BAR_KEYS and _styled_ok(v) for k, v in bars.items())):
        return None
    if not _styled_ok(figures["more"]):
        return None
    if not (isinstance(rows, list) and all(isinstance(r, list) and len(r) == 8 for r in rows)):
        return None
    if not all(isinstance(value, str) for value in [*strings, *(cell for row in rows for cell in row)]):
        return None
    return figures


def styled_parts(text: Text) -> list[list[Any]]:
    """Styled text as JSON: its plain text, then each styled span (start, end, style)."""
    return [[text.plain], *([span.start, span.end, str(span.style)] for span in text.spans)]


def styled_text(parts: list[list[Any]]) -> Text:
    """The styled text ``styled_parts`` gave."""
    if not parts:
        return Text()
    return Text(parts[0][0], spans=[Span(start, end, style) for start, end, style in parts[1:]])


def _styled_ok(parts: object) -> bool:
    if not isinstance(parts, list) or not parts:
        return isinstance(parts, list)
    head, spans = parts[0], parts[1:]
    return (isinstance(head, list) and len(head) == 1 and isinstance(head[0], str)
            and all(isinstance(s, list) and len(s) == 3 and isinstance(s[0], int) and isinstance(s[1], int)
                    and isinstance(s[2], str) for s in spans))  # fmt: skip
