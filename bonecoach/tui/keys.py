"""Every key of the app, once: the help screen, the command palette and the README's key table
are written from (or checked against) this list, so they cannot drift apart.

Each row: the keys as a person reads them, where they work, what they do, and the palette
entries it offers (a name, the action it runs: ``app.X``, or ``pane(TAB, X)`` for a tab's own, and
the key that does the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class KeyRow:
    """One row of the key table."""

    keys: str
    where: str
    meaning: str
    palette: tuple[tuple[str, str, str], ...] = field(default=())  # (name, action, its key)


def _pane(tab: str, action: str) -> str:
    return f"pane('{tab}', '{action}')"


KEYS: tuple[KeyRow, ...] = (
    KeyRow("`F2` / `F3` / `F5` / `F6` / `F7` (or `1` to `5` outside a text field)", "anywhere",
           "Today / Log / Bone / Exercise / Week tab",
           (("Today", "app.show('today')", "F2"), ("Log food", "app.show('log')", "F3"), ("Bone", "app.show('bone')", "F5"),
            ("Exercise", "app.show('exercise')", "F6"), ("Week", "app.show('week')", "F7"))),
    KeyRow("`F4` (or `p`)", "anywhere", "profile (sex, birth date, guideline)", (("Edit profile", "app.edit_profile", "F4"),)),
    KeyRow("`F1` (or `?`)", "anywhere", "help", (("Help", "app.help", "F1"),)),
    KeyRow("`ctrl+p`", "anywhere", "command palette: every action below, by name"),
    KeyRow("`ctrl+q`", "anywhere", "quit", (("Quit", "app.quit", "ctrl+q"),)),
    KeyRow("`[` / `]` / `t`", "Today", "previous day / next day / today",
           (("Previous day", _pane("today", "previous_day"), "["), ("Next day", _pane("today", "next_day"), "]"),
            ("Back to today", _pane("today", "go_today"), "t"))),
    KeyRow("`n`, `tab` then `enter`", "Today", "log or start the first open item of Next up; any item of it (`tab` goes between the day's table and Next up; "
           "on a past day it stays on the table and says which keys work)",
           (("Do next: log or start the first open item", _pane("today", "do_next"), "n"),)),
    KeyRow("`R`", "Today", "your regimen: medicines, supplements, how often, and your usual times",
           (("Change the regimen and usual times", "app.settings('regimen')", "R"),)),
    KeyRow("`i`", "Today", "the selected entry's full USDA name, catalog id and entry id",
           (("Full name of the entry", _pane("today", "entry_info"), "i"),)),
    KeyRow("`e` or `enter`, `d`, `u`", "Today", "edit, delete, undo the last delete",
           (("Edit the entry", _pane("today", "edit_entry"), "e"), ("Delete the entry", _pane("today", "delete_entry"), "d"),
            ("Undo delete", _pane("today", "undo_delete"), "u"))),
    KeyRow("`s`, `o`", "Today", "where each target comes from; override a target or limit",
           (("Target sources", _pane("today", "show_sources"), "s"), ("Override targets", "app.settings('targets')", "o"))),
    KeyRow("`c`, `a`", "Today", "the day's conflicts with fixes and sources; the day plan for your regimen",
           (("Show conflicts", _pane("today", "show_conflicts"), "c"), ("Plan my day", _pane("today", "show_plan"), "a"))),
    KeyRow("`g`, `m`, `r`, `y`", "Today",
           "close the gap (enter logs a suggestion); save the selected entry's meal; repeat the entry; repeat its whole meal "
           "(another day's at the same times of day today; asked first when some of them are still to come)",
           (("Close the gap", _pane("today", "suggest"), "g"), ("Save the entry's meal", _pane("today", "save_meal"), "m"),
            ("Repeat the entry", _pane("today", "repeat_entry"), "r"), ("Repeat the whole meal", _pane("today", "repeat_meal"), "y"))),
    KeyRow("`k`", "Today", "what the absorbed-calcium estimate is, and its source",
           (("Absorbed calcium, explained", _pane("today", "explain_absorption"), "k"),)),
    KeyRow("`[` / `]`", "Log", "log into the day before / after (a time typed is kept for the day's next log)",
           (("Log into the day before", _pane("log", "day_before"), "["), ("Log into the day after", _pane("log", "day_after"), "]"))),
    KeyRow("`ctrl+t`", "Log", "make a supplement set, or change the chosen one (type a product, enter adds, d removes, ctrl+s saves)",
           (("Make or change a supplement set", _pane("log", "edit_set"), "ctrl+t"),)),
    KeyRow("`ctrl+r`", "Log", "build a recipe from catalog foods", (("New recipe", _pane("log", "new_recipe"), "ctrl+r"),)),
    KeyRow("`ctrl+f`, `ctrl+s`, `escape`", "Log", "focus food search, supplement list; back to Today",
           (("Log supplement", "app.show_supplements", "ctrl+s"),)),
    KeyRow("`↓` / `↑`, `enter`", "Log search box",
           "move through the results; take the highlighted food (`enter` again logs its usual portion)"),
    KeyRow("`+` LINE, `enter`, `enter`", "Log search box",
           "one line, several foods: every item listed with the time (`↓`/`↑` go through them; `enter` on an unsure one chooses its food from its candidates), then log"),
    KeyRow("`ctrl+n`", "Log", "add your own supplement (per dose) or food (per serving) from its label",
           (("Add my own supplement or food", _pane("log", "add_my_item"), "ctrl+n"),)),
    KeyRow("`n`, `l`, `f`, `e` or `enter`, `d`, `u`", "Bone",
           "add a DEXA result, a blood test, a fracture; edit or delete the selected record (scan, blood test or "
           "fracture: the table with the cursor), undo the delete",
           (("Add a scan", _pane("bone", "add_scan"), "n"), ("Add a blood test", _pane("bone", "add_lab"), "l"),
            ("Add a fracture", _pane("bone", "add_fracture"), "f"),
            ("Edit the selected record", _pane("bone", "edit_record"), "e"),
            ("Delete the selected record", _pane("bone", "delete_record"), "d"),
            ("Undo the record delete", _pane("bone", "undo_delete"), "u"))),
    KeyRow("`enter`, `u`, `w`", "Exercise",
           "start or resume the selected session; your times and equipment; why not?",
           (("Start today's session", "app.start_next_session", "enter"), ("Exercise times and equipment", _pane("exercise", "setup"), "u"),
            ("Why is an exercise left out?", _pane("exercise", "why_not"), "w"))),
    KeyRow("`enter`/`space`, `t`, `s`, `h`, `escape`", "guided session",
           "done set, start the timer, skip, this hurt, pause"),
    KeyRow("`←` / `→` (or `[` / `]`), `r`", "Week", "previous / next week; save the report for your clinician",
           (("Previous week", _pane("week", "previous_week"), "←"), ("Next week", _pane("week", "next_week"), "→"),
            ("Save the report for your clinician", _pane("week", "report"), "r"))),
    KeyRow("palette only", "anywhere", "export everything (JSON); make a backup now; which nutrients Today and Week show",
           (("Export all data", "app.write_file('export')", ""), ("Back up now", "app.write_file('backup')", ""),
            ("Show or hide nutrients", "app.settings('nutrients')", ""))),
)  # fmt: skip


def palette_entries() -> list[tuple[str, str, str]]:
    """(name, action, help) for every palette action, the help naming its key and tab."""
    entries = []
    for row in KEYS:
        for name, action, key in row.palette:
            where = "" if row.where == "anywhere" else f" on {row.where}"
            shown = f"key {key}{where}" if key else "palette only"
            # A row's meaning describes all of its keys: beside one of several actions it would
            # describe the others ("Undo the delete": "add a DEXA result..."). Its name says it.
            meaning = f" · {row.meaning[:60]}" if len(row.palette) == 1 else ""
            entries.append((name, action, f"{shown}{meaning}"))
    return entries


def help_sections() -> str:
    """Markdown: one section per place, each key with its meaning, in the README's words."""
    lines: list[str] = []
    for where in dict.fromkeys(row.where for row in KEYS):
        lines += [f"## {where[0].upper()}{where[1:]}", ""]
        lines += [f"- {row.keys}: {row.meaning}" for row in KEYS if row.where == where]
        lines.append("")
    return "\n".join(lines)


def readme_rows() -> list[str]:
    """The README's key table rows, as they must read."""
    return [f"| {row.keys.replace('|', chr(92) + '|')} | {row.where} | {row.meaning} |" for row in KEYS]
