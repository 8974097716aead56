"""The Bone pane: category, scans with change against noise, a T-score chart, bloodwork, due dates."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from bonecoach.domain.bone import SITE_LABELS
from bonecoach.services.data import DatabaseDamaged
from bonecoach.tui.widgets.tscore_chart import render_chart

if TYPE_CHECKING:
    from bonecoach.tui.app import BonecoachApp


class BonePane(VerticalScroll):
    """Scan history and bloodwork, and what they mean."""

    BINDINGS = [
        Binding("n", "app.add_scan", "Add scan", tooltip="Record a DEXA result"),
        Binding("l", "app.add_lab", "Add lab", tooltip="Record 25(OH)D or serum calcium"),
        Binding("e", "edit_scan", "Edit scan", tooltip="Correct the selected scan result"),
        Binding("d,delete", "delete_scan", "Delete scan", tooltip="Remove the selected scan result (asks once more)"),
        Binding("u", "undo_scan", "Undo", tooltip="Put back the scan result just deleted"),
    ]

    armed: str | None = None
    """The scan a first d asked about: a second d on it deletes it."""

    def compose(self) -> ComposeResult:
        yield Static(id="bone-status")
        yield Static(id="bone-chart")
        scans: DataTable[str] = DataTable(id="scans", cursor_type="row", zebra_stripes=True)
        scans.add_columns("Date", "Site", "T", "BMD", "Category", "Change since previous")
        yield scans
        labs: DataTable[str] = DataTable(id="labs", cursor_type="row")
        labs.add_columns("Date", "Test", "Result", "Converted", "Band (IOM)")
        yield labs

    @property
    def bc_app(self) -> BonecoachApp:
        return cast("BonecoachApp", self.app)

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Redraw from stored scans, labs and the profile."""
        coach = self.bc_app.coach
        try:
            status = coach.bone_status()
            scans = coach.scan_history()
            labs = coach.lab_rows()
        except DatabaseDamaged as exc:
            self.app.call_after_refresh(self.bc_app.show_damage, str(exc))
            return
        lines = []
        if status.latest_tscore is None:
            lines.append("[b]No T-score yet.[/b] Press n to add your latest DEXA results.")
        else:
            where = f" at the {SITE_LABELS[status.latest_site]}" if status.latest_site else " (reported)"
            lines.append(f"[b]{(status.category or '').title()}[/b]: lowest T-score {status.latest_tscore:+.1f}{where}")
        due = status.next_scan
        lines.append(f"Next scan: [b]{due.due:%d %b %Y}[/b]. {due.why}" if due.due else f"Next scan: {due.why}")
        for crossing in status.crossings:
            label = "out of the osteoporosis range" if crossing.threshold == -2.5 else "into the normal range"
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
        scan_id = self._selected_scan()
        if not scan_id:
            return
        if self.armed != scan_id:
            # A scan is a clinical record: deleting it takes a second key press, and u puts it back.
            self.armed = scan_id
            scan = self.bc_app.coach.scan(scan_id)
            what = f"the {SITE_LABELS.get(scan.site, scan.site)} result of {scan.date}" if scan else "this result"
            self.notify(f"Press d again to delete {what} (u undoes it).", title="Delete scan?", severity="warning")
            return
        self.armed = None
        self.bc_app.delete_scan(scan_id)

    def action_undo_scan(self) -> None:
        self.bc_app.undo_scan_delete()

    def action_edit_scan(self) -> None:
        scan_id = self._selected_scan()
        if scan_id:
            self.bc_app.edit_scan(scan_id)

    @on(DataTable.RowSelected, "#scans")
    def edit_selected_scan(self) -> None:
        self.action_edit_scan()
