"""Small inline SVG charts for the HTML report: no scripts, no fonts or files fetched."""

from __future__ import annotations

from datetime import date
from html import escape

from bonecoach.domain.day import CLOSE_FRACTION

WIDTH, HEIGHT = 720, 180
LEFT, RIGHT, TOP, BOTTOM = 84, 12, 14, 26
INK, MUTED, GOOD, WARN, BAD = "#1f2933", "#7b8794", "#2f855a", "#b7791f", "#c53030"


def _frame(title: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _hline(y: float, label: str, colour: str) -> list[str]:
    return [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" stroke-dasharray="4 3"/>',
        f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{colour}">{escape(label)}</text>',
    ]


def _dates(first: date, last: date) -> list[str]:
    y = HEIGHT - 8
    return [
        f'<text x="{LEFT}" y="{y}" font-size="11" fill="{MUTED}">{first:%d %b %Y}</text>',
        f'<text x="{WIDTH - RIGHT}" y="{y}" font-size="11" fill="{MUTED}" text-anchor="end">{last:%d %b %Y}</text>',
    ]


def daily_bars(
    title: str,
    values: list[float | None],
    first: date,
    last: date,
    target: float | None,
    limit: float | None,
    unit: str,
) -> str:
    """One bar per day: green at or over the target, amber within 80%, red below; over the upper
    limit in dark red. Days with nothing logged are left blank (not zero)."""
    known = [v for v in values if v is not None]
    top = max([*known, target or 0.0, limit or 0.0, 1.0]) * 1.08
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(values), 1)

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    body = [f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y_of(0):.1f}" y2="{y_of(0):.1f}" stroke="{MUTED}"/>']
    for n, value in enumerate(values):
        if value is None:
            continue
        if limit is not None and value > limit:
            colour = BAD
        elif target is None or value >= target:
            colour = GOOD
        else:
            colour = WARN if value >= CLOSE_FRACTION * target else BAD
        height = max(plot_h * value / top, 0.5)
        body.append(
            f'<rect x="{LEFT + n * step + step * 0.1:.2f}" y="{y_of(value):.1f}" width="{max(step * 0.8, 0.6):.2f}" '
            f'height="{height:.1f}" fill="{colour}"><title>{value:,.0f} {escape(unit)}</title></rect>'
        )
    if target is not None:
        body += _hline(y_of(target), f"target {target:,.0f}", INK)
    if limit is not None:
        body += _hline(y_of(limit), f"limit {limit:,.0f}", BAD)
    return _frame(title, body + _dates(first, last))


def weekly_bars(title: str, weeks: list[tuple[date, int, int]]) -> str:
    """Per week: planned sessions as an outline, done sessions filled."""
    top = max([p for _, p, _ in weeks] + [1]) * 1.1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(weeks), 1)
    body = []
    for n, (_, planned, done) in enumerate(weeks):
        x, w = LEFT + n * step + step * 0.15, max(step * 0.7, 1.0)
        for count, style in ((planned, f'fill="none" stroke="{MUTED}"'), (done, f'fill="{GOOD}"')):
            h = plot_h * count / top
            body.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{w:.1f}" height="{h:.1f}" {style}/>')
    body += _hline(TOP + plot_h * (1 - 0 / top), "0", MUTED)
    if weeks:
        body += _dates(weeks[0][0], weeks[-1][0])
    return _frame(title, body)


def tscore_lines(title: str, series: dict[str, list[tuple[date, float]]]) -> str:
    """T-score over time per site, with the WHO lines at -1.0 and -2.5."""
    points = [p for rows in series.values() for p in rows]
    if not points:
        return ""
    first, last = min(d for d, _ in points), max(d for d, _ in points)
    low = min([t for _, t in points] + [-3.0]) - 0.3
    high = max([t for _, t in points] + [0.0]) + 0.3
    plot_w, plot_h = WIDTH - LEFT - RIGHT - 110, HEIGHT - TOP - BOTTOM
    span = max((last - first).days, 1)

    def xy(day: date, t: float) -> tuple[float, float]:
        return LEFT + plot_w * (day - first).days / span, TOP + plot_h * (high - t) / (high - low)

    body = _hline(xy(first, -1.0)[1], "-1.0", WARN) + _hline(xy(first, -2.5)[1], "-2.5", BAD)
    colours = ["#2b6cb0", "#805ad5", "#2c7a7b", "#975a16"]
    for n, (site, rows) in enumerate(sorted(series.items())):
        colour = colours[n % len(colours)]
        coords = [xy(d, t) for d, t in sorted(rows)]
        body.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            + '"/>'
        )
        body += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>{escape(site)} {t:+.1f} ({d:%b %Y})</title></circle>'
            for (x, y), (d, t) in zip(coords, sorted(rows), strict=True)
        ]
        body.append(
            f'<text x="{LEFT + plot_w + 10}" y="{TOP + 14 + 16 * n}" font-size="12" fill="{colour}">{escape(site)}</text>'
        )
    return _frame(title, body + _dates(first, last))
