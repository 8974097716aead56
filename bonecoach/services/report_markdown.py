"""The clinician report as Markdown: the same sections as the HTML page, as tables."""

from __future__ import annotations

from bonecoach.domain.report import ClinicianReport
from bonecoach.services.report_text import TITLE, patient_line, sections


def _cell(value: str) -> str:
    # A pipe or a line break would split a table cell.
    return value.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: ClinicianReport) -> str:
    """The whole report as Markdown text."""
    out = [f"# {TITLE}", "", patient_line(report), ""]
    for section in sections(report):
        out += [f"## {section.title}", ""]
        for paragraph in section.paragraphs:
            out += [paragraph, ""]
        for header, rows in section.tables:
            out += ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
            out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
            out.append("")
        if section.bullets:
            out += [f"- {bullet}" for bullet in section.bullets] + [""]
    return "\n".join(out)
