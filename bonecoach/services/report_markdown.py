"""The clinician report as Markdown: the same sections as the HTML page, as tables."""

from __future__ import annotations

from bonecoach.domain.report import ClinicianReport
from bonecoach.services.report_text import TITLE, patient_line, sections


def _text(value: str) -> str:
    """Data as text in Markdown: HTML is escaped (a renderer would run "<img onerror=...>")."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(value: str) -> str:
    # A pipe or a line break would split a table cell.
    return _text(value).replace("|", "\\|").replace("\n", " ")


def render_markdown(report: ClinicianReport) -> str:
    """The whole report as Markdown text."""
    out = [f"# {TITLE}", "", _text(patient_line(report)), ""]
    for section in sections(report):
        out += [f"## {section.title}", ""]
        for paragraph in section.paragraphs:
            out += [_text(paragraph), ""]
        for header, rows in section.tables:
            out += ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
            out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
            out.append("")
        if section.bullets:
            out += [f"- {_text(bullet)}" for bullet in section.bullets] + [""]
    return "\n".join(out)
