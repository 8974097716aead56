"""The clinician report as one self-contained HTML page: inline styles and SVG charts, no scripts,
nothing fetched, printable on A4."""

from __future__ import annotations

from datetime import date
from html import escape

from bonecoach.domain.report import ClinicianReport
from bonecoach.services.report_charts import daily_bars, tscore_lines, weekly_bars
from bonecoach.services.report_text import TITLE, Section, patient_line, period_line, sections

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933;
       max-width: 780px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; border-bottom: 1px solid #cbd2d9; padding-bottom: 2px; margin-top: 28px; }
p.meta { color: #52606d; margin-top: 0; }
.glance { background: #f0f4f8; border-left: 4px solid #2b6cb0; padding: 8px 16px; }
.glance li { margin: 3px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 13px; }
th, td { border: 1px solid #d9e2ec; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f5f7fa; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 6px 0; }
figcaption { color: #52606d; font-size: 12px; }
footer { color: #52606d; font-size: 12px; margin-top: 28px; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
"""


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>" if svg else ""


def _charts(report: ClinicianReport, key: str) -> str:
    """The charts that belong under a section."""
    if key == "nutrients":
        figures = []
        for n in report.nutrients:
            if n.key in ("calcium_mg", "vitamin_d_mcg"):
                svg = daily_bars(f"{n.label} per day ({n.unit})", n.daily, report.start, report.end,
                                 n.target, n.upper_limit, n.unit)  # fmt: skip
                figures.append(_figure(svg, f"{n.label} per day, {n.unit}: green at target, amber within 80%, "
                                            "red below or over the upper limit; blank = nothing logged."))  # fmt: skip
        return "".join(figures)
    if key == "exercise" and report.exercise.weeks:
        weeks = [(w.week_start, w.planned, w.done) for w in report.exercise.weeks]
        return _figure(weekly_bars("Exercise sessions per week", weeks),
                       "Sessions per week: outline = planned, filled = done.")  # fmt: skip
    if key == "dexa" and report.scans:
        series: dict[str, list[tuple[date, float]]] = {}
        for scan in report.scans:
            series.setdefault(scan.site, []).append((scan.date, scan.tscore))
        return _figure(tscore_lines("T-score over time", series),
                       "T-score by site; dashed lines at -1.0 and -2.5 (WHO).")  # fmt: skip
    return ""


def _section(report: ClinicianReport, section: Section) -> str:
    parts = [f"<h2>{escape(section.title)}</h2>"]
    if section.key == "glance":
        items = "".join(f"<li>{escape(b)}</li>" for b in section.bullets)
        return parts[0] + f'<div class="glance"><ul>{items}</ul></div>'
    parts += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
    parts.append(_charts(report, section.key))
    for header, rows in section.tables:
        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in rows)
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    if section.bullets:
        parts.append("<ul>" + "".join(f"<li>{escape(b)}</li>" for b in section.bullets) + "</ul>")
    return "".join(parts)


def render_html(report: ClinicianReport) -> str:
    """The whole report as an HTML document."""
    body = "\n".join(_section(report, s) for s in sections(report))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{escape(TITLE)}, {escape(period_line(report))}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{escape(TITLE)}</h1>
<p class="meta">{escape(period_line(report))}. {escape(patient_line(report))}</p>
{body}
<footer>Made by bonecoach on the patient's own computer from their own log. A coaching aid, not a diagnosis.</footer>
</body>
</html>
"""
