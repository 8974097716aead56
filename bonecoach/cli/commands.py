"""One function per subcommand: parse nothing, decide nothing; call the services and print."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

from bonecoach.cli.main import nutrient_values, print_json
from bonecoach.domain.amounts import parse_number
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Entry
from bonecoach.domain.names import display_name, fit
from bonecoach.domain.nutrient_info import NUTRIENT_INFO, NUTRIENT_KEYS, mcg_to_iu
from bonecoach.domain.timeparse import parse_date
from bonecoach.services import views
from bonecoach.services.coach import Coach
from bonecoach.storage.paths import resolve_db_dir
from bonecoach.storage.repository import Repository

WRITE_LOCK_WAIT = 3.0  # seconds a command waits for another one to finish writing
CLOCK: Callable[[], datetime] = datetime.now  # replaced in tests to fix "now"


@contextmanager
def open_coach(
    args: argparse.Namespace, *, write: bool, clock: Callable[[], datetime] | None = None
) -> Iterator[Coach]:
    """Open the database chosen by ``--db`` / ``BONECOACH_DB`` / the default folder, then release it."""
    folder = resolve_db_dir(args.db)
    # A command takes the lock at its first write, not while it loads: another bonecoach is kept
    # waiting only for the write itself.
    repo = (
        Repository(folder, lock_wait=WRITE_LOCK_WAIT, lock_on_open=False)
        if write
        else Repository(folder, readonly=True)
    )
    if repo.recovered:
        print(f"bonecoach: {repo.recovered}", file=sys.stderr)
    try:
        yield Coach(repo, clock=clock or CLOCK)
    finally:
        repo.close()


def _parse_birth_date(text: str) -> date:
    from bonecoach.domain.timeparse import iso_date

    return iso_date(text, "Birth date")


def _format(value: float | None, unit: str) -> str:
    return "unknown" if value is None else f"{value:,.1f} {unit}"


def _entry_line(entry: Entry) -> str:
    amount = entry.portion or (f"{entry.grams:g} g" if entry.kind == "food" else f"{entry.doses:g} dose(s)")
    calcium = entry.nutrients.calcium_mg
    calcium_text = "" if entry.kind == "medication" else "Ca ?" if calcium is None else f"Ca {calcium:.0f} mg"
    name = fit(display_name(entry.name), 48)
    return f"{entry.at:%H:%M}  {entry.meal.value:<11} {name:<48} {amount:<16} {calcium_text}  [{entry.id}]"


def cmd_profile(args: argparse.Namespace) -> int:
    if args.action == "show":
        with open_coach(args, write=False) as coach:
            profile = coach.profile()
            if profile is None:
                raise InputError("No profile yet: run 'bonecoach profile set --sex ... --birth-date ...'.")
            if args.json:
                print_json(profile.model_dump(mode="json"))
            else:
                print(f"sex: {profile.sex.value}\nbirth date: {profile.birth_date}\nguideline: {profile.guideline}")
            return 0
    birth = _parse_birth_date(args.birth_date) if args.birth_date else None
    bone = {
        "reported_tscore": args.tscore, "vertebral_fractures": args.vertebral_fractures, "other_fractures": args.other_fractures,
        "falls_last_year": args.falls_last_year, "impact_cleared": None if args.impact_cleared is None else args.impact_cleared == "yes",
        "weights_cleared": None if args.weights_cleared is None else args.weights_cleared == "yes",
    }  # fmt: skip
    bone = {key: value for key, value in bone.items() if value is not None}
    if args.sex is None and birth is None and args.guideline is None and not bone:
        raise InputError("Nothing to set: give --sex, --birth-date, --guideline or a bone field (see --help).")
    with open_coach(args, write=True) as coach:
        profile = coach.set_profile(args.sex, birth, args.guideline, **bone)
        print(f"Profile saved: {profile.sex.value}, born {profile.birth_date}, guideline {profile.guideline}.")
        return 0


def cmd_targets(args: argparse.Namespace) -> int:
    if args.action == "set":
        if not args.clear and args.target is None and args.upper_limit is None:
            raise InputError("Give --target, --upper-limit or --clear.")
        with open_coach(args, write=True) as coach:
            coach.set_target_override(args.nutrient, args.target, args.upper_limit, clear=args.clear)
            print(f"Saved your {args.nutrient} {'defaults' if args.clear else 'override'}.")
            return 0
    with open_coach(args, write=False) as coach:
        targets = coach.targets(coach.now().date())
        if args.json:
            print_json({key: views.target_json(targets.get(key)) for key in NUTRIENT_KEYS})
            return 0
        if not targets:
            raise InputError("No profile yet: targets depend on sex and age.")
        for key in NUTRIENT_KEYS:
            info, target = NUTRIENT_INFO[key], targets[key]
            flag = "" if target.official else "  (personal goal, not an official target)"
            goal, limit = _format(target.target, info.unit), _format(target.upper_limit, info.unit)
            print(f"{info.label:<11} target {goal:<12} limit {limit:<12}{flag}")
            print(f"            source: {target.source}")
        return 0


def cmd_foods(args: argparse.Namespace) -> int:
    if args.action == "add":
        with open_coach(args, write=True) as coach:
            levels = {"oxalate": args.oxalate or "", "phytate": args.phytate or ""}
            food = coach.add_custom_food(
                args.name, args.serving_grams, nutrient_values(args), args.serving_label, inhibitors=levels
            )
            print(f"Added {food.name} as {food.id}.")
            return 0
    with open_coach(args, write=False) as coach:
        if args.action == "show":
            found = coach.food(args.id)
            if found is None:
                raise InputError(f"No food with id {args.id!r}; search with 'bonecoach foods search WORDS'.")
            food = found
            if args.json:
                print_json(views.food_json(food))
                return 0
            print(f"{food.id}  {food.name}  ({food.group})\nper 100 g:")
            for key in NUTRIENT_KEYS:
                info = NUTRIENT_INFO[key]
                print(f"  {info.label:<11} {_format(food.per_100g.get(key), info.unit)}")
            print("portions: " + (", ".join(f"{p.label} = {p.grams:g} g" for p in food.portions) or "none (use grams)"))
            print(f"source: {food.source}")
            for line in views.inhibitor_lines(food):
                print(line)
            for key, note in food.notes.items():
                print(f"note ({key}): {note}")
            return 0
        query = " ".join(args.query).strip()
        if not query or len(query) > 200:
            raise InputError("Search for one or a few words of a food's name, e.g. 'sardine bones'.")
        foods = coach.search_foods(query, args.limit)
        if args.json:
            print_json([views.food_json(food) for food in foods])
            return 0
        if not foods:
            print(f"No food matches {query!r}.")
            return 1
        for food in foods:
            calcium = food.per_100g.calcium_mg
            print(f"{food.id:<8} {fit(food.name, 70):<70} Ca {calcium if calcium is not None else '?'} mg/100 g")
        return 0


def _log_line(coach: Coach, args: argparse.Namespace) -> list[Entry] | None:
    """Preview a one-line log; log it when every item is sure and it is confirmed (or --yes)."""
    preview = coach.preview_line(args.text)
    if not args.json:
        for match in preview.items:
            mark = {"sure": "  ", "ambiguous": "? ", "unknown": "! "}[match.strength]
            print(f"{mark}{match.message}")
        print(f"at {preview.at:%Y-%m-%d %H:%M}")
    if not preview.ready:
        problems = [m.message for m in preview.items if m.strength != "sure"]
        raise InputError("Nothing was logged: " + " ".join(problems) + " Write those items more exactly.")
    if not args.yes:
        if not sys.stdin.isatty():
            print("Nothing logged yet: run again with --yes to log these.")
            return None
        if input(f"Log these {len(preview.items)}? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing logged.")
            return None
    return coach.log_line(preview)


def cmd_log(args: argparse.Namespace) -> int:
    with open_coach(args, write=True) as coach:
        if args.action == "line":
            logged = _log_line(coach, args)
            if logged is None:
                return 0
            entries = logged
        elif args.action == "food":
            entries = [
                coach.log_food(
                    args.food, grams=args.grams, portion=args.portion, count=args.count, at=args.at, meal=args.meal
                )
            ]
        elif args.action == "supplement":
            entries = [coach.log_supplement(args.supplement, doses=args.doses, at=args.at)]
        elif args.action == "medication":
            entries = [coach.log_medication(args.medication, at=args.at)]
        elif args.action == "meal":
            entries = coach.log_meal(args.name, at=args.at)
        elif args.action == "recipe":
            entries = [coach.log_recipe(args.name, args.servings, at=args.at, meal=args.meal)]
        elif args.action == "repeat":
            entries = [coach.repeat_entry(args.entry_id, at=args.at)]
        elif args.action == "repeat-meal":
            entries = coach.repeat_meal(args.date, args.meal, at=args.at)
        else:
            entries = coach.log_supplement_set(args.name, at=args.at)
        conflicts = coach.conflicts_from(entries)
        if args.json:
            print_json([views.entry_json(entry) for entry in entries])
        else:
            for entry in entries:
                print("Logged " + _entry_line(entry))
            for conflict in conflicts:
                print(f"! {conflict.severity}: {conflict.message}\n  fix: {conflict.suggestion}")
        return 0


def cmd_supplements(args: argparse.Namespace) -> int:
    if args.action == "add":
        with open_coach(args, write=True) as coach:
            product = coach.add_supplement(args.name, nutrient_values(args), args.form, args.dose_label)
            print(f"Added {product.name} as {product.id}.")
            return 0
    if args.action == "set":
        with open_coach(args, write=True) as coach:
            items = []
            for item in args.item:
                supplement_id, _, doses = item.partition(":")
                items.append((supplement_id, parse_number(doses, f"Doses in --item {item!r}") if doses else 1.0))
            coach.save_supplement_set(args.name, items)
            print(
                f"Saved set {args.name.strip().lower()!r}: log it with 'bonecoach log set {args.name.strip().lower()}'."
            )
            return 0
    with open_coach(args, write=False) as coach:
        products = coach.supplements()
        if args.json:
            print_json([views.supplement_json(product) for product in products])
            return 0
        for product in products:
            parts = []
            for key, value in product.nutrients.as_dict().items():
                if value:
                    info = NUTRIENT_INFO[key]
                    extra = f" ({mcg_to_iu(value):g} IU)" if key == "vitamin_d_mcg" else ""
                    parts.append(f"{info.short} {value:g} {info.unit}{extra}")
            print(f"{product.id:<28} {product.name[:50]:<50} {', '.join(parts)}")
        return 0


def cmd_medications(args: argparse.Namespace) -> int:
    with open_coach(args, write=False) as coach:
        if args.json:
            print_json([views.medication_json(m) for m in coach.medications])
            return 0
        for medication in coach.medications:
            print(f"{medication.id:<16} {medication.name:<40} {medication.advice}")
        return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bonecoach.catalog.rules import check_rule_file

    if args.action == "check":
        rules = check_rule_file(Path(args.file))
        print(f"{args.file}: valid; with the shipped rules, {len(rules)} rules are in force.")
        return 0
    with open_coach(args, write=False) as coach:
        rules_in_force = coach.checker.rules
        if coach.rules_warning:
            print(coach.rules_warning, file=sys.stderr)
        if args.json:
            print_json([rule.model_dump(mode="json") for rule in rules_in_force])
            return 0
        for rule in rules_in_force:
            print(f"{rule.id:<40} {rule.severity:<8} {rule.message}")
        return 0


def cmd_regimen(args: argparse.Namespace) -> int:
    if args.action == "show":
        with open_coach(args, write=False) as coach:
            regimen = coach.regimen()
            if args.json:
                print_json(regimen.model_dump(mode="json"))
                return 0
            times = regimen.times
            print(f"wake {times.wake:%H:%M}  breakfast {times.breakfast:%H:%M}  lunch {times.lunch:%H:%M}  "
                  f"dinner {times.dinner:%H:%M}  bed {times.bed:%H:%M}")  # fmt: skip
            for item in regimen.items:
                doses = f" x {item.doses:g}" if item.kind == "supplement" else ""
                print(f"  {item.kind:<11} {item.ref}{doses}, {item.describe()}")
            if not regimen.items:
                print("  (nothing yet: 'bonecoach regimen add medication alendronate')")
            return 0
    with open_coach(args, write=True) as coach:
        if args.action == "add":
            on = args.weekday or ("" if args.monthday is None else str(int(args.monthday)))
            item = coach.schedule(args.kind, args.item, f"{args.doses:g}", args.frequency, on)
            print(f"Added {item.kind} {item.ref}, {item.describe()}.")
        elif args.action == "remove":
            coach.remove_from_regimen(args.item)
            print(f"Removed {args.item}.")
        else:
            saved = coach.set_day_times(
                wake=args.wake, breakfast=args.breakfast, lunch=args.lunch, dinner=args.dinner, bed=args.bed
            )
            print(f"Saved: wake {saved.times.wake:%H:%M}, bed {saved.times.bed:%H:%M}.")
        return 0


def cmd_plan_day(args: argparse.Namespace) -> int:
    with open_coach(args, write=False) as coach:
        day = parse_date(args.date, coach.now().date())
        plan = coach.plan(day)
        if args.json:
            print_json(views.plan_json(plan))
            return 0 if not plan.unplaced else 1
        print(f"Plan for {day:%A %d %B %Y}")
        for item in plan.items:
            doses = f" x {item.doses:g}" if item.doses and item.doses != 1 else ""
            print(
                f"  {item.at:%H:%M}  {item.kind:<10} {item.name}{doses}"
                + (f"\n         {item.note}" if item.note else "")
            )
        for problem in plan.unplaced:
            print(f"  not placed: {problem['name']}: {problem['reason']}")
        for warning in plan.warnings:
            print(f"  warning: {warning}")
        for assumption in plan.assumptions:
            print(f"  note: {assumption}")
        return 0 if not plan.unplaced else 1


def cmd_scan(args: argparse.Namespace) -> int:
    from bonecoach.domain.bone import SITE_LABELS, change_since_previous, classify

    if args.action == "list":
        with open_coach(args, write=False) as coach:
            scans = coach.repo.scans()
            if args.json:
                print_json([views.scan_json(s, change_since_previous(scans, s)) for s in scans])
                return 0
            for scan in scans:
                change = change_since_previous(scans, scan)
                extra = f"  {change.tscore_change:+.1f} since {change.since}; {change.note}" if change else ""
                bmd = f" BMD {scan.bmd:g}" if scan.bmd else ""
                print(
                    f"{scan.date}  {SITE_LABELS[scan.site]:<13} T {scan.tscore:+.1f}{bmd}  {classify(scan.tscore)}  [{scan.id}]{extra}"
                )
            if not scans:
                print("No scans yet: bonecoach scan add --date D --site total_hip --tscore T")
            return 0
    with open_coach(args, write=True) as coach:
        if args.action == "delete":
            coach.delete_scan(args.id)
            print(f"Deleted scan {args.id}.")
            return 0
        scan_id = args.id if args.action == "edit" else None
        scan = coach.add_scan(args.date, args.site, args.tscore, args.zscore, args.bmd, scan_id=scan_id)
        print(f"Saved {scan.date} {SITE_LABELS[scan.site]} T {scan.tscore:+.1f} ({classify(scan.tscore)}) [{scan.id}]")
        return 0


def cmd_lab(args: argparse.Namespace) -> int:
    from bonecoach.domain.bone import vitamin_d_reading

    if args.action == "add":
        with open_coach(args, write=True) as coach:
            result = coach.add_lab(args.date, args.test, args.value, args.unit)
            extra = ""
            if result.test == "25ohd":
                reading = vitamin_d_reading(result)
                extra = f" = {reading.ng_per_ml:g} ng/mL / {reading.nmol_per_l:g} nmol/L: {reading.band} (IOM)"
            print(f"Saved {result.date} {result.test} {result.value:g} {result.unit}{extra}")
            return 0
    with open_coach(args, write=False) as coach:
        results = coach.repo.labs()
        rows = []
        for result in results:
            row = result.model_dump(mode="json")
            if result.test == "25ohd":
                row["converted"] = vitamin_d_reading(result).model_dump(mode="json")
            rows.append(row)
        if args.json:
            print_json(rows)
            return 0
        for row in rows:
            conv = row.get("converted")
            extra = f" = {conv['ng_per_ml']} ng/mL / {conv['nmol_per_l']} nmol/L ({conv['band']})" if conv else ""
            print(f"{row['date']}  {row['test']:<14} {row['value']:g} {row['unit']}{extra}")
        return 0


def cmd_status(args: argparse.Namespace) -> int:
    with open_coach(args, write=False) as coach:
        status = coach.bone_status()
        if args.json:
            print_json(views.status_json(status))
            return 0
        if status.latest_tscore is None:
            print("No T-score yet: add a scan (bonecoach scan add ...) or profile set --tscore T.")
        else:
            print(f"Category: {status.category} (lowest T-score {status.latest_tscore:+.1f})")
        due = status.next_scan
        print(f"Next scan: {due.due or 'no date'}: {due.why}")
        for crossing in status.crossings:
            verdict = "a real change" if crossing.real else "not confirmed beyond scan noise"
            print(f"Crossed {crossing.threshold:g}: {crossing.from_tscore:+.1f} ({crossing.from_date}) -> "
                  f"{crossing.to_tscore:+.1f} ({crossing.to_date}), {verdict}. {crossing.note}")  # fmt: skip
        if status.vitamin_d:
            d = status.vitamin_d
            print(f"Vitamin D {d.date}: {d.ng_per_ml:g} ng/mL ({d.nmol_per_l:g} nmol/L), {d.band} (IOM)")
        return 0


def cmd_meal(args: argparse.Namespace) -> int:
    if args.action == "list":
        with open_coach(args, write=False) as coach:
            meals = coach.repo.saved_meals()
            if args.json:
                print_json([{**m.model_dump(mode="json"), "totals": m.totals()} for m in meals])
                return 0
            for m in meals:
                calcium = m.totals()["calcium_mg"]
                print(
                    f"{m.name:<30} {m.meal.value:<10} {len(m.items)} items, Ca {calcium:.0f} mg: "
                    + ", ".join(i.name[:25] for i in m.items)
                )
            if not meals:
                print("No saved meals yet: bonecoach meal save NAME --date D --meal SLOT")
            return 0
    with open_coach(args, write=True) as coach:
        if args.action == "delete":
            coach.delete_meal(args.name)
            print(f"Deleted saved meal {args.name!r}.")
            return 0
        saved = coach.save_meal(args.name, args.date, args.meal, entry_ids=args.entry)
        print(f"Saved {saved.name!r}: {len(saved.items)} items. Log it with: bonecoach log meal {saved.name!r}")
        return 0


def cmd_recipe(args: argparse.Namespace) -> int:
    if args.action == "list":
        with open_coach(args, write=False) as coach:
            recipes = coach.repo.recipes()
            if args.json:
                print_json([r.model_dump(mode="json") for r in recipes])
                return 0
            for r in recipes:
                calcium = r.per_serving.calcium_mg
                print(
                    f"{r.name:<30} {r.servings:g} servings of {r.serving_grams:g} g, Ca {calcium if calcium is not None else '?'} mg per serving"
                )
            return 0
    items = []
    for item in args.item:
        food_id, _, grams = item.partition(":")
        if not food_id.strip() or not grams:
            raise InputError(f"--item {item[:40]!r}: write it as ID:GRAMS, e.g. 01077:244.")
        items.append((food_id, parse_number(grams, f"Grams in --item {item[:40]!r}")))
    with open_coach(args, write=True) as coach:
        recipe = coach.add_recipe(args.name, args.servings, items)
        calcium = recipe.per_serving.calcium_mg
        print(
            f"Saved recipe {recipe.name!r}: {recipe.serving_grams:g} g per serving, Ca {calcium if calcium is not None else '?'} mg per serving. {recipe.note}"
        )
        return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    with open_coach(args, write=False) as coach:
        day = parse_date(args.date, coach.now().date())
        found = coach.suggestions(day, at=args.at)
        if args.json:
            print_json([s.model_dump(mode="json", exclude={"score"}) for s in found])
            return 0
        if not found:
            print("Nothing to suggest: the gaps are closed, or nothing fits without a conflict or a crossed limit.")
            return 0
        for s in found:
            amount = f"{s.amount['grams']:g} g" if "grams" in s.amount else f"{s.amount['doses']:g} dose(s)"
            print(f"- {s.name} ({amount}): {s.why}")
        return 0


def cmd_plan(args: argparse.Namespace) -> int:
    with open_coach(args, write=False) as coach:
        week_of = parse_date(args.week, coach.now().date()) if args.week else None
        plan = coach.exercise_plan(week_of)
        if args.json:
            print_json(views.week_plan_json(plan))
            return 0
        print(f"Week of {plan.week_start:%d %B %Y}: {plan.risk.label} (impact up to {plan.risk.max_impact})")
        for reason in plan.risk.reasons:
            print(f"  - {reason}")
        for s in plan.sessions:
            print(
                f"{s.date:%a %d} {s.start:%H:%M}  {s.category:<10} {s.minutes:>3} min  "
                + ", ".join(e.name for e in s.exercises)
            )
        for problem in plan.unmet:
            print(f"not fitted: {problem}")
        print(f"{len(plan.excluded)} exercises excluded; 'plan --json' lists each with the reason.")
        return 0


def cmd_session(args: argparse.Namespace) -> int:
    with open_coach(args, write=True) as coach:
        record = coach.mark_session_done(args.date, args.category)
        print(f"Recorded {record['category']} on {record['date']} as done.")
        return 0


def cmd_exercise_setup(args: argparse.Namespace) -> int:
    from datetime import time as clock_time

    from bonecoach.domain.exercise import WEEKDAYS, Window

    windows = None
    if args.window:
        windows = []
        for text in args.window:
            day, _, rest = text.partition("=")
            start, _, minutes = rest.partition("/")
            if day.strip().lower()[:3] not in WEEKDAYS or not minutes.strip().isdigit():
                raise InputError(f"--window {text[:40]!r}: write it as mon=09:00/45.")
            try:
                hour, minute = (int(part) for part in start.split(":"))
                begin = clock_time(hour, minute)
            except ValueError:
                raise InputError(f"--window {text[:40]!r}: the time must be HH:MM.") from None
            if not 10 <= int(minutes) <= 240:
                raise InputError(f"--window {text[:40]!r}: minutes must be 10 to 240.")
            windows.append(Window(weekday=WEEKDAYS.index(day.strip().lower()[:3]), start=begin, minutes=int(minutes)))
    equipment = (
        None if args.equipment is None else {item.strip().lower() for item in args.equipment.split(",") if item.strip()}
    )
    if windows is None and equipment is None:
        raise InputError("Give --window and/or --equipment.")
    with open_coach(args, write=True) as coach:
        coach.set_exercise_setup(windows, equipment)
        saved_windows, saved_equipment = coach.exercise_setup()
        print(f"Saved {len(saved_windows)} windows; equipment: {', '.join(sorted(saved_equipment)) or 'none'}.")
        return 0


def cmd_week(args: argparse.Namespace) -> int:
    with open_coach(args, write=False) as coach:
        day = parse_date(args.date, coach.now().date()) if args.date else None
        week = coach.week(day)
        if args.json:
            print_json(views.week_json(week))
            return 0
        print(f"Week of {week.week_start:%d %B %Y}")
        header = "            " + " ".join(f"{d.date:%a}" for d in week.days)
        print(header)
        marks = {"met": " ✓ ", "close": " ~ ", "missed": " · ", "over": " ! ", "within": " ✓ ", "none": "   ",
                 "unknown": " ? "}  # fmt: skip
        for key in NUTRIENT_KEYS:
            row = "".join(f"{marks[d.nutrients[key].status]:<4}" for d in week.days)
            summary = week.nutrients[key]
            mean = (
                f"{summary.mean_percent_of_target:.0f}% of target on average"
                if summary.mean_percent_of_target is not None
                else ""
            )
            print(f"{NUTRIENT_INFO[key].label:<11} {row} {summary.met_phrase()} {mean}")
        if week.absorbed_calcium is not None:
            print(f"Calcium {week.absorbed_calcium.phrase()}")
        print(f"Exercise: {week.exercise_phrase()}; conflicts: {week.conflicts}; "
              f"doses taken {week.doses_taken} of {week.doses_due}")  # fmt: skip
        return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bonecoach.storage.transfer import export_csv, export_json

    with open_coach(args, write=False) as coach:
        text = export_json(coach.repo) if args.format == "json" else export_csv(coach.repo)
    _write_output(text, args.output, "Export")
    return 0


def _write_output(text: str, output: str | None, what: str) -> None:
    """To a file readable only by the user (written atomically), or to standard output."""
    from pathlib import Path

    from bonecoach.storage.atomic import write_user_file

    if output:
        target = write_user_file(Path(output), text)
        print(f"{what} written to {target} (readable only by you).")
    else:
        sys.stdout.write(text)


def cmd_report(args: argparse.Namespace) -> int:
    from bonecoach.services.reporting import clinician_report, render_report, report_period

    if args.start and args.period:
        raise InputError("Give either --from or --period, not both.")
    with open_coach(args, write=False) as coach:
        today = coach.now().date()
        end = parse_date(args.end, today) if args.end else today
        if args.start:
            start = parse_date(args.start, today)
        else:
            start, end = report_period(coach, args.period or "month", end)
        text = render_report(clinician_report(coach, start, end), args.format)
    _write_output(text, args.output, "Report")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bonecoach.storage.transfer import import_json

    path = Path(args.file).expanduser()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc}).") from exc
    if args.kind == "cronometer":
        return _import_cronometer(args, text, path)
    with open_coach(args, write=True) as coach:
        count = import_json(coach.repo, text, str(path), coach.now().date())
    print(f"Imported {count} entries and everything else from {path}.")
    return 0


def _import_cronometer(args: argparse.Namespace, text: str, path: object) -> int:
    from bonecoach.storage.cronometer import apply_import, preview_import

    with open_coach(args, write=not args.dry_run) as coach:
        preview = preview_import(coach.repo, text, str(path), coach.sure_catalog_match, coach.now().date())
        print("\n".join(preview.lines(str(path))))
        if not preview.new or args.dry_run:
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                print("Nothing added yet: run again with --yes to add these entries.")
                return 0
            if input(f"Add {len(preview.new)} entries? [y/N] ").strip().lower() not in ("y", "yes"):
                print("Nothing added.")
                return 0
        count = apply_import(coach.repo, preview)
    print(f"Added {count} entries from {path}.")
    return 0


def cmd_day(args: argparse.Namespace) -> int:
    with open_coach(args, write=False) as coach:
        day = parse_date(args.date, coach.now().date())
        summary = coach.day(day)
        if args.json:
            print_json(views.day_json(summary, coach.absorbable(summary)))
            return 0
        print(f"{day:%A %d %B %Y}")
        for key in NUTRIENT_KEYS:
            info, total, target = NUTRIENT_INFO[key], summary.totals[key], summary.targets.get(key)
            goal = f" / {target.target:g}" if target and target.target is not None else ""
            limit = f"  (limit {target.upper_limit:g})" if target and target.upper_limit is not None else ""
            unknown = f"  +{total.unknown_entries} unknown" if total.unknown_entries else ""
            shown = f"{total.amount:>8.1f}" if summary.measured(key) else f"{'?':>8}"
            print(f"  {info.label:<11} {shown}{goal} {info.unit}{limit}  {summary.status(key)}{unknown}")
            if key == "calcium_mg":
                print(f"              {views.absorption_line(coach.absorbable(summary))}")
        conflicted = summary.conflicted_entries()
        for entry in summary.entries:
            print(("! " if entry.id in conflicted else "  ") + _entry_line(entry))
        for conflict in summary.conflicts:
            print(f"! {conflict.severity}: {conflict.message}\n  fix: {conflict.suggestion}")
        return 0


def cmd_entry(args: argparse.Namespace) -> int:
    with open_coach(args, write=True) as coach:
        if args.action == "delete":
            entry = coach.delete_entry(args.id)
            print(f"Deleted {entry.name} at {entry.at:%Y-%m-%d %H:%M}. 'bonecoach undo' restores it.")
            return 0
        entry = coach.edit_entry(args.id, grams=args.grams, doses=args.doses, at=args.at, meal=args.meal)
        print("Changed " + _entry_line(entry))
        return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from bonecoach.storage import backup
    from bonecoach.storage.lock import DatabaseLock

    folder = resolve_db_dir(args.db)
    if args.action == "list":
        infos = backup.list_backups(folder)
        if args.json:
            print_json([{"name": i.name, "created": i.created, "entries": i.entries, "size": i.size, "valid": i.valid,
                         "problem": i.problem} for i in infos])  # fmt: skip
            return 0
        for info in infos:
            state = f"{info.entries} entries" if info.valid else f"UNUSABLE: {info.problem}"
            print(f"{info.name:<36} {info.created:<20} {info.size:>10,} bytes  {state}")
        if not infos:
            print("No backups yet: bonecoach makes a daily and a weekly one when you log.")
        return 0
    from bonecoach.storage.switch import recover

    lock = DatabaseLock(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock.acquire(WRITE_LOCK_WAIT)
    try:
        recovered = recover(folder)
        if recovered:
            print(f"bonecoach: {recovered}", file=sys.stderr)
        now = CLOCK()
        if args.action == "create":
            path = backup.write_backup(folder, f"manual-{now:%Y%m%d-%H%M%S}", now)
            print(f"Backed up to {path}.")
            return 0
        aside = backup.restore_backup(folder, args.name, now)
        kept = f" The previous files are kept in {aside}." if aside else ""
        print(f"Restored backup {args.name}.{kept}")
        return 0
    finally:
        lock.release()


def cmd_undo(args: argparse.Namespace) -> int:
    with open_coach(args, write=True) as coach:
        entry = coach.undo_delete()
        if entry is None:
            print("Nothing to undo.")
            return 1
        print(f"Restored {entry.name} at {entry.at:%Y-%m-%d %H:%M}.")
        return 0
