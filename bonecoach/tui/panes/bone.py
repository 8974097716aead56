"""The Bone pane: category, scans with change against noise, a T-score chart, bloodwork, due dates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from bonecoach.domain.bone import SITE_LABELS
from bonecoach.services.data import DatabaseDamaged, StorageError
from bonecoach.tui.changes import attempt, bonecoach_app, coach_of, data_changed, form_error, not_saved
from bonecoach.tui.widgets.tscore_chart import render_chart

if TYPE_CHECKING:
    from bonecoach.domain.bone import Scan


class BonePane(VerticalScroll):
    """Scan history and bloodwork, and what they mean."""

    BINDINGS = [
        Binding("n", "add_scan", "Add scan", tooltip="Record a DEXA result"),
        Binding("l", "add_lab", "Add lab", tooltip="Record 25(OH)D or serum calcium"),
        Binding("e", "edit_scan", "Edit scan", tooltip="Correct the selected scan result"),
        Binding("d,delete", "delete_scan", "Delete scan", tooltip="Remove the selected scan result (asks once more)"),
        Binding("u", "undo_scan", "Undo", tooltip="Put back the scan result just deleted"),
    ]

    armed: str | None = None
    """The scan a first d asked about: a second d on it deletes it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deleted: list[Scan] = []  # this window's deleted scans, for undo

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
        except DatabaseDamaged as exc:
            self.app.call_after_refresh(bonecoach_app(self).show_damage, str(exc))
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

    def _selected_scan(self) -> str | None:
        table = cast("DataTable[str]", self.query_one("#scans", DataTable))
        if table.row_count == 0:
            self.notify("No scan selected.", severity="warning")
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    def action_delete_scan(self) -> None:
        """Delete the selected scan result: the first d asks, a second one deletes."""
        scan_id = self._selected_scan()
        if not scan_id:
            return
        if self.armed != scan_id:
            # A scan is a clinical record: deleting it takes a second key press, and u puts it back.
            self.armed = scan_id
            scan = coach_of(self).scan(scan_id)
            what = f"the {SITE_LABELS.get(scan.site, scan.site)} result of {scan.date}" if scan else "this result"
            self.notify(f"Press d again to delete {what} (u undoes it).", title="Delete scan?", severity="warning")
            return
        self.armed = None
        coach = coach_of(self)
        deleted = attempt(self, lambda: coach.delete_scan(scan_id), lambda _: "Scan deleted: u puts it back.", "Bone")
        if deleted is not None:
            self.deleted.append(deleted)

    def action_undo_scan(self) -> None:
        """Put back the scan result deleted last in this window."""
        if not self.deleted:
            self.notify("No deleted scan to put back.", title="Bone")
            return
        scan = self.deleted.pop()
        try:
            coach_of(self).restore_scan(scan)
        except StorageError as exc:
            self.deleted.append(scan)
            not_saved(self, exc)
            return
        data_changed(self)
        self.notify(f"Put back the scan of {scan.date}.", title="Bone")

    def action_add_scan(self) -> None:
        """Record a DEXA result."""
        from bonecoach.tui.screens.records import ScanForm

        self.app.push_screen(ScanForm(self._save_scan), self._saved)

    def action_edit_scan(self) -> None:
        """Correct the selected scan result."""
        from bonecoach.tui.screens.records import ScanForm

        scan_id = self._selected_scan()
        scan = coach_of(self).scan(scan_id) if scan_id else None
        if scan_id and scan is None:
            self.notify("That scan no longer exists.", severity="error")
        if scan is None:
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

        def save(values: dict[str, str]) -> str | None:
            return form_error(lambda: coach_of(self).add_lab_as_typed(
                values["lab-date"], values.get("lab-test") or "", values["lab-value"], values.get("lab-unit") or ""))  # fmt: skip

        self.app.push_screen(LabForm(save), self._saved)

    def _saved(self, saved: bool | None) -> None:
        if saved:
            data_changed(self)
            self.notify("Saved.", title="Bone")

    @on(DataTable.RowSelected, "#scans")
    def edit_selected_scan(self) -> None:
        """Enter on a scan opens it for correction."""
        self.action_edit_scan()
