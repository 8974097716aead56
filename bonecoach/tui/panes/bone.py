"""The Bone pane: category, scans with change against noise, a T-score chart, bloodwork, due dates."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from bonecoach.domain.bone import SITE_LABELS
from bonecoach.domain.diagnosis import FRACTURE_LABELS
from bonecoach.services.data import DatabaseDamaged, StorageError
from bonecoach.tui.changes import attempt, coach_of, damage_found, data_changed, form_error, not_saved
from bonecoach.tui.widgets.tscore_chart import render_chart

if TYPE_CHECKING:
    from bonecoach.domain.bone import LabResult, Scan
    from bonecoach.domain.diagnosis import Fracture

# The tables of clinical records, the record each holds, and how one is named in a message.
RECORD_TABLES = {"scans": "scan", "labs": "blood test", "fractures": "fracture"}


class BonePane(VerticalScroll):
    """Scan history and bloodwork, and what they mean."""

    BINDINGS = [
        Binding("n", "add_scan", "Add scan", tooltip="Record a DEXA result"),
        Binding("l", "add_lab", "Add lab", tooltip="Record 25(OH)D or serum calcium"),
        Binding("f", "add_fracture", "Add fracture", tooltip="Record a broken bone (site, date, how)"),
        Binding("e", "edit_record", "Edit", tooltip="Correct the selected scan, blood test or fracture"),
        Binding("d,delete", "delete_record", "Delete", tooltip="Remove the selected record (asks once more)"),
        Binding("u", "undo_delete", "Undo", tooltip="Put back the record just deleted"),
    ]

    armed: str | None = None
    """The record a first d asked about: a second d on it deletes it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deleted: list[Scan | LabResult | Fracture] = []  # this window's deleted records, for undo

    def compose(self) -> ComposeResult:
        """Status, the T-score chart, the scans table and the blood tests table."""
        yield Static(id="bone-status")
        yield Static(id="bone-chart")
        scans: DataTable[str] = DataTable(id="scans", cursor_type="row", zebra_stripes=True)
        scans.add_columns("Date", "Site", "T", "BMD", "Category", "Change since previous")
        yield scans
        labs: DataTable[str] = DataTable(id="labs", cursor_type="row")
        labs.add_columns("Date", "Test", "Result", "Converted", "Band (IOM)")
        yield labs
        fractures: DataTable[str] = DataTable(id="fractures", cursor_type="row")
        fractures.add_columns("Date", "Fracture", "Trauma", "Loading")
        yield fractures

    def on_mount(self) -> None:
        """Show what is stored."""
        self.reload()

    def reload(self) -> None:
        """Redraw from stored scans, labs and the profile."""
        coach = coach_of(self)
        try:
            status = coach.bone_status()
            scans = coach.scan_history()
            labs = coach.lab_rows()
            fractures = coach.fractures()
        except DatabaseDamaged as exc:
            damage_found(self, str(exc))
            return
        from rich.markup import escape

        from bonecoach.services.views import status_headline, status_lines

        lines = []
        if status.latest_tscore is None and status.category is None:
            lines.append("[b]No T-score yet.[/b] Press n to add your latest DEXA results.")
        else:
            lines.append(f"[b]{escape(status_headline(status))}[/b]")
        lines += [escape(line) for line in status_lines(status)]
        due = status.next_scan
        lines.append(f"Next scan: [b]{due.due:%d %b %Y}[/b]. {due.why}" if due.due else f"Next scan: {due.why}")
        for crossing in status.crossings:
            label = (
                "above -2.5 (a milestone: a diagnosis of osteoporosis stays)"
                if crossing.threshold == -2.5
                else "above -1.0"
            )
            if crossing.real:
                lines.append(f"[green]★ Moved {label}: {crossing.from_tscore:+.1f} → {crossing.to_tscore:+.1f} "
                             f"({crossing.to_date:%b %Y}), a real change: {crossing.note}[/]")  # fmt: skip
            else:
                lines.append(f"[yellow]Crossed {crossing.threshold:g} ({crossing.from_tscore:+.1f} → {crossing.to_tscore:+.1f}), "
                             f"but not shown to be beyond scan noise: {crossing.note}[/]")  # fmt: skip
        self.query_one("#bone-status", Static).update("\n".join(lines))
        self.query_one("#bone-chart", Static).update(render_chart([row.scan for row in scans]))
        table = cast("DataTable[str]", self.query_one("#scans", DataTable))
        table.clear()
        for row in reversed(scans):
            scan = row.scan
            table.add_row(f"{scan.date}", row.site_label, f"{scan.tscore:+.1f}", f"{scan.bmd:g}" if scan.bmd else "",
                          row.category, row.change_text, key=scan.id)  # fmt: skip
        lab_table = cast("DataTable[str]", self.query_one("#labs", DataTable))
        lab_table.clear()
        for lab in reversed(labs):
            result = lab.result
            lab_table.add_row(f"{result.date}", lab.label, f"{result.value:g} {result.unit}", lab.converted, lab.band,
                              key=result.id)  # fmt: skip
        fracture_table = cast("DataTable[str]", self.query_one("#fractures", DataTable))
        fracture_table.clear()
        trauma = {True: "low trauma", False: "high trauma", None: "not said"}
        for fracture in reversed(fractures):
            fracture_table.add_row(f"{fracture.date}", FRACTURE_LABELS[fracture.site], trauma[fracture.low_trauma],
                                   "cleared" if fracture.cleared else "not yet cleared", key=fracture.id)  # fmt: skip

    def _selected(self) -> tuple[str, str] | None:
        """The focused records table (scans when none is focused) and its highlighted record id."""
        focused = self.app.focused
        table_id = focused.id if isinstance(focused, DataTable) and focused.id in RECORD_TABLES else "scans"
        table = cast("DataTable[str]", self.query_one(f"#{table_id}", DataTable))
        if table.row_count == 0:
            self.notify(f"No {RECORD_TABLES[table_id]} selected.", severity="warning")
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return table_id, str(row_key.value)

    def _describe(self, table_id: str, record_id: str) -> str:
        coach = coach_of(self)
        if table_id == "scans":
            scan = coach.scan(record_id)
            return f"the {SITE_LABELS.get(scan.site, scan.site)} result of {scan.date}" if scan else "this result"
        if table_id == "labs":
            lab = coach.lab(record_id)
            return f"the {lab.test} result of {lab.date}" if lab else "this result"
        fracture = coach.fracture(record_id)
        return f"the fracture ({fracture.label()})" if fracture else "this fracture"

    def action_delete_record(self) -> None:
        """Delete the selected scan, blood test or fracture: the first d asks, a second one deletes."""
        selected = self._selected()
        if selected is None:
            return
        table_id, record_id = selected
        kind = RECORD_TABLES[table_id]
        if self.armed != record_id:
            # A clinical record: deleting it takes a second key press, and u puts it back.
            self.armed = record_id
            self.notify(f"Press d again to delete {self._describe(table_id, record_id)} (u undoes it).",
                        title=f"Delete {kind}?", severity="warning", markup=False)  # fmt: skip
            return
        self.armed = None
        coach = coach_of(self)
        remove: Callable[[str], Scan | LabResult | Fracture]
        if table_id == "scans":
            remove = coach.delete_scan
        elif table_id == "labs":
            remove = coach.delete_lab
        else:
            remove = coach.delete_fracture
        deleted = attempt(
            self, lambda: remove(record_id), lambda _: f"{kind.capitalize()} deleted: u puts it back.", "Bone"
        )
        if deleted is not None:
            self.deleted.append(deleted)

    def action_undo_delete(self) -> None:
        """Put back the record deleted last in this window."""
        from bonecoach.domain.bone import LabResult, Scan

        if not self.deleted:
            self.notify("No deleted record to put back.", title="Bone")
            return
        record = self.deleted.pop()
        coach = coach_of(self)
        try:
            if isinstance(record, Scan):
                coach.restore_scan(record)
            elif isinstance(record, LabResult):
                coach.restore_lab(record)
            else:
                coach.restore_fracture(record)
        except StorageError as exc:
            self.deleted.append(record)
            not_saved(self, exc)
            return
        data_changed(self)
        self.notify(f"Put back the record of {record.date}.", title="Bone")

    def action_add_scan(self) -> None:
        """Record a DEXA result."""
        from bonecoach.tui.screens.records import ScanForm

        self.app.push_screen(ScanForm(self._save_scan), self._saved)

    def action_edit_record(self) -> None:
        """Correct the selected scan, blood test or fracture."""
        selected = self._selected()
        if selected is None:
            return
        table_id, record_id = selected
        {"scans": self._edit_scan, "labs": self._edit_lab, "fractures": self._edit_fracture}[table_id](record_id)

    def _edit_scan(self, scan_id: str) -> None:
        from bonecoach.tui.screens.records import ScanForm

        scan = coach_of(self).scan(scan_id)
        if scan is None:
            self.notify("That scan no longer exists.", severity="error")
            return
        initial = {"scan-site": scan.site, "scan-date": scan.date.isoformat(), "scan-tscore": f"{scan.tscore:g}",
                   "scan-zscore": "" if scan.zscore is None else f"{scan.zscore:g}", "scan-bmd": "" if scan.bmd is None else f"{scan.bmd:g}",
                   "scan-scanner": scan.scanner or "", "scan-lsc": "" if scan.lsc_percent is None else f"{scan.lsc_percent:g}"}  # fmt: skip
        self.app.push_screen(ScanForm(lambda values: self._save_scan(values, scan.id), initial), self._saved)

    def _save_scan(self, values: dict[str, str], scan_id: str | None = None) -> str | None:
        return form_error(lambda: coach_of(self).add_scan_as_typed(
            values["scan-date"], values.get("scan-site") or "", values["scan-tscore"], values["scan-zscore"],
            values["scan-bmd"], scan_id=scan_id, scanner=values.get("scan-scanner", ""), lsc=values.get("scan-lsc", "")))  # fmt: skip

    def action_add_lab(self) -> None:
        """Record a blood test."""
        from bonecoach.tui.screens.records import LabForm

        self.app.push_screen(LabForm(self._save_lab), self._saved)

    def _edit_lab(self, lab_id: str) -> None:
        from bonecoach.tui.screens.records import LabForm

        lab = coach_of(self).lab(lab_id)
        if lab is None:
            self.notify("That blood test no longer exists.", severity="error")
            return
        initial = {
            "lab-test": lab.test,
            "lab-date": lab.date.isoformat(),
            "lab-value": f"{lab.value:g}",
            "lab-unit": lab.unit,
        }
        self.app.push_screen(LabForm(lambda values: self._save_lab(values, lab.id), initial), self._saved)

    def _save_lab(self, values: dict[str, str], lab_id: str | None = None) -> str | None:
        return form_error(lambda: coach_of(self).add_lab_as_typed(
            values["lab-date"], values.get("lab-test") or "", values["lab-value"], values.get("lab-unit") or "",
            lab_id=lab_id))  # fmt: skip

    def action_add_fracture(self) -> None:
        """Record a broken bone."""
        from bonecoach.tui.screens.records import FractureForm

        self.app.push_screen(FractureForm(self._save_fracture), self._saved)

    def _edit_fracture(self, fracture_id: str) -> None:
        from bonecoach.tui.screens.records import FractureForm

        fracture = coach_of(self).fracture(fracture_id)
        if fracture is None:
            self.notify("That fracture no longer exists.", severity="error")
            return
        trauma = {True: "yes", False: "no", None: "unsure"}[fracture.low_trauma]
        initial = {"fracture-site": fracture.site, "fracture-date": fracture.date.isoformat(),
                   "fracture-trauma": trauma, "fracture-cleared": "yes" if fracture.cleared else "no"}  # fmt: skip
        self.app.push_screen(
            FractureForm(lambda values: self._save_fracture(values, fracture.id), initial), self._saved
        )

    def _save_fracture(self, values: dict[str, str], fracture_id: str | None = None) -> str | None:
        return form_error(lambda: coach_of(self).add_fracture_as_typed(
            values.get("fracture-site") or "", values["fracture-date"], values.get("fracture-trauma") or "",
            values.get("fracture-cleared") or "", fracture_id=fracture_id))  # fmt: skip

    def _saved(self, saved: bool | None) -> None:
        if saved:
            data_changed(self)
            self.notify("Saved.", title="Bone")

    @on(DataTable.RowSelected, "#scans")
    @on(DataTable.RowSelected, "#labs")
    @on(DataTable.RowSelected, "#fractures")
    def edit_selected(self) -> None:
        """Enter on a record opens it for correction."""
        self.action_edit_record()
