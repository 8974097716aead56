"""Plain-data views of domain objects: the JSON shapes of ``--json`` output and exports.

The key names here are an interface scripts rely on; the README documents them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bonecoach.domain.nutrient_info import JUDGED_KEYS, NUTRIENT_INFO

if TYPE_CHECKING:  # annotations only: a command imports the domain modules it computes with
    from bonecoach.domain.absorption import AbsorptionEstimate
    from bonecoach.domain.adherence import WeekAdherence
    from bonecoach.domain.bone import Crossing
    from bonecoach.domain.conflicts import Conflict
    from bonecoach.domain.day import DaySummary
    from bonecoach.domain.diagnosis import Fracture
    from bonecoach.domain.models import Entry, Food, Medication, Supplement
    from bonecoach.domain.nutrients import Nutrients
    from bonecoach.domain.planner import DayPlan
    from bonecoach.domain.targets import Target
    from bonecoach.services.bone import BoneStatus, LabRow, ScanRow
    from bonecoach.services.exercise import SessionStatus, WeekSessions


def nutrients_json(nutrients: Nutrients) -> dict[str, float | None]:
    """Nutrient key -> amount (``null`` when unknown)."""
    return nutrients.as_dict()


def entry_json(entry: Entry) -> dict[str, Any]:
    """An entry: its own nutrient values sit beside its fields and again under ``nutrients``."""
    data: dict[str, Any] = {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "kind": entry.kind,
        "ref": entry.ref,
        "name": entry.name,
        "meal": entry.meal.value,
    }
    if entry.kind == "food":
        data["grams"] = entry.grams
        data["portion"] = entry.portion
    else:
        data["doses"] = entry.doses
    if entry.kind == "medication":
        data["drug_class"] = entry.drug_class
    if entry.inhibitors:
        data["inhibitors"] = {kind: found.model_dump() for kind, found in entry.inhibitors.items()}
    values = nutrients_json(entry.nutrients)
    data.update(values)
    data["nutrients"] = values
    return data


def target_json(target: Target | None) -> dict[str, Any]:
    """A target with its limit and provenance; nulls where there is none."""
    if target is None:
        return {"target": None, "upper_limit": None, "official": None, "source": None}
    return {
        "target": target.target,
        "upper_limit": target.upper_limit,
        "upper_limit_applies_to": target.upper_limit_applies_to,
        "official": target.official,
        "overridden": target.overridden,
        "source": target.source,
        "note": target.note,
    }


def conflict_json(conflict: Conflict) -> dict[str, Any]:
    """A conflict: ``rule`` id, ``severity``, ``entries`` (ids), ``message``, ``suggestion``."""
    return {
        "rule": conflict.rule,
        "severity": conflict.severity,
        "entries": list(conflict.entries),
        "message": conflict.message,
        "suggestion": conflict.suggestion,
        "source": conflict.source,
        "move_entry": conflict.move_entry,
        "move_to": conflict.move_to.isoformat() if conflict.move_to else None,
        "move_with": list(conflict.move_with),
    }


def plan_json(plan: DayPlan) -> dict[str, Any]:
    """The ``plan-day --json`` document."""
    return {
        "date": plan.date.isoformat(),
        "items": [
            {"at": item.at.isoformat(), "time": f"{item.at:%H:%M}", "kind": item.kind, "id": item.ref, "name": item.name,
             "doses": item.doses, "note": item.note, "fast_minutes": item.fast_minutes, "skip": item.skip}
            for item in plan.items
        ],
        "unplaced": plan.unplaced,
        "warnings": plan.warnings,
        "assumptions": plan.assumptions,
    }  # fmt: skip


def status_json(status: BoneStatus) -> dict[str, Any]:
    """The ``status --json`` document."""
    reversal = status.reversal
    reading = status.vitamin_d
    return {
        "category": status.category,
        "latest_tscore": status.latest_tscore,
        "latest_site": status.latest_site,
        "latest_scan": status.latest_scan.isoformat() if status.latest_scan else None,
        "next_scan_due": status.next_scan.due.isoformat() if status.next_scan.due else None,
        "next_scan_why": status.next_scan.why,
        "next_scan_overdue": status.next_scan.overdue,
        "reversal": None if reversal is None else crossing_json(reversal),
        "crossings": [crossing_json(c) for c in status.crossings],
        "vitamin_d": None if reading is None else {
            "date": reading.date.isoformat(), "ng_per_ml": reading.ng_per_ml, "nmol_per_l": reading.nmol_per_l,
            "band": reading.band, "note": reading.note, "aim": status.vitamin_d_aim,
        },
        "advice_holds": list(status.advice_holds),
        "vitamin_d_recheck": status.vitamin_d_recheck.isoformat() if status.vitamin_d_recheck else None,
        "vitamin_d_recheck_overdue": status.vitamin_d_recheck is not None and status.vitamin_d_recheck < status.today,
        "z_reading": status.assessment.z_reading,
        "category_reasons": list(status.assessment.reasons),
        "diagnosed_osteoporosis": status.assessment.diagnosed_osteoporosis,
        "milestone": status.assessment.milestone,
        "ask_postmenopausal": status.assessment.ask_menopause,
        "fractures": [fracture_json(f) for f in status.fractures],
        "treat_to_target": [{"site": site, "tscore": round(distance - 2.5, 1), "distance": distance,
                             "met": distance > 0} for site, distance in status.treat_to_target.items()],
        "treatment_review": [{"medication": name, "discuss_review_from": when.isoformat()}
                             for name, when in status.treatment_review],
    }  # fmt: skip


def status_headline(status: BoneStatus) -> str:
    """ "Osteoporosis: lowest T-score -2.2 at the lumbar spine", a Z-score reading, or what is missing."""
    from bonecoach.domain.bone import SITE_LABELS

    where = f" at the {SITE_LABELS[status.latest_site]}" if status.latest_site else " (reported)"
    if status.category is not None and status.latest_tscore is not None:
        return f"{status.category.capitalize()}: lowest T-score {status.latest_tscore:+.1f}{where}"
    if status.category is not None:
        return f"{status.category.capitalize()}"
    if status.assessment.z_reading is not None:
        return f"Z-score: {status.assessment.z_reading}"
    if status.latest_tscore is not None:
        return f"Lowest T-score {status.latest_tscore:+.1f}{where} (no WHO category at your age: see below)"
    return "No T-score yet: add a scan (bonecoach scan add ...) or profile set --tscore T."


def status_lines(status: BoneStatus) -> list[str]:
    """Why the reading is what it is, the milestone, fractures, treat-to-target and treatment review,
    as the Bone pane, ``status`` and the report say them."""
    from bonecoach.domain.diagnosis import target_phrase

    lines = list(status.assessment.reasons)
    if status.assessment.milestone and not any(c.threshold == -2.5 for c in status.crossings):
        lines.append(f"★ {status.assessment.milestone}")  # else the crossing's own line says it
    if status.fractures:
        lines.append("Fractures: " + "; ".join(f.label() for f in status.fractures) + ".")
    if status.treat_to_target:
        lines.append("Treat-to-target, T above -2.5 at each site (ASBMR/BHOF 2024): "
                     + ", ".join(target_phrase(site, d) for site, d in status.treat_to_target.items()) + ".")  # fmt: skip
    if status.vitamin_d is not None and status.vitamin_d_aim is not None:
        lines.append(f"25(OH)D {status.vitamin_d.ng_per_ml:g} ng/mL: {status.vitamin_d.band} (IOM), "
                     f"{status.vitamin_d_aim}.")  # fmt: skip
    lines.extend(status.advice_holds)
    for name, when in status.treatment_review:
        lines.append(f"{name}: discuss a treatment review with your clinician from {when:%b %Y} "
                     "(ASBMR 2016); not advice to stop.")  # fmt: skip
    return lines


def fracture_json(fracture: Fracture) -> dict[str, Any]:
    """A fracture record: ``id``, ``site``, ``date``, ``low_trauma`` (null: not said), ``cleared``."""
    return fracture.model_dump(mode="json")


def crossing_json(crossing: Crossing) -> dict[str, Any]:
    """A crossing of a WHO threshold between two scans."""
    return {
        "threshold": crossing.threshold, "site": crossing.site, "real": crossing.real, "note": crossing.note,
        "from": {"date": crossing.from_date.isoformat(), "tscore": crossing.from_tscore},
        "to": {"date": crossing.to_date.isoformat(), "tscore": crossing.to_tscore},
    }  # fmt: skip


def scan_json(row: ScanRow) -> dict[str, Any]:
    """A scan with its WHO category and change since the previous scan of its site."""
    return {
        **row.scan.model_dump(mode="json"),
        "category": row.category,
        "change": None if row.change is None else row.change.model_dump(mode="json"),
    }


def lab_json(row: LabRow) -> dict[str, Any]:
    """A blood test; a 25(OH)D result also ``converted`` into both units, with its band."""
    data = row.result.model_dump(mode="json")
    if row.reading is not None:
        data["converted"] = row.reading.model_dump(mode="json")
    return data


def session_json(status: SessionStatus) -> dict[str, Any]:
    """A planned session, its ``status`` (done, paused, today, missed or "to come") and its exercises."""
    s = status.session
    return {
        "date": s.date.isoformat(), "start": f"{s.start:%H:%M}", "category": s.category, "minutes": s.minutes,
        "status": status.state,
        "exercises": [
            {"id": e.id, "name": e.name, "impact": e.impact, "spinal_flexion": e.spinal_flexion, "twisting": e.twisting,
             "dosage": e.dosage.model_dump(exclude_none=True)}
            for e in s.exercises
        ],
    }  # fmt: skip


def week_plan_json(week: WeekSessions) -> dict[str, Any]:
    """The ``plan --json`` document."""
    plan = week.plan
    return {
        "week_start": plan.week_start.isoformat(),
        "risk_level": plan.risk.level,
        "risk_label": plan.risk.label,
        "max_impact": plan.risk.max_impact,
        "reasons": list(plan.risk.reasons),
        "sessions": [session_json(status) for status in week.sessions],
        "excluded": [{"id": exercise_id, "reason": reason} for exercise_id, reason in plan.excluded],
        "unmet": plan.unmet,
    }


def week_json(week: WeekAdherence) -> dict[str, Any]:
    """The ``week --json`` document: nutrient keys sit in each day and again under ``nutrients``."""
    days = []
    for day in week.days:
        values = {
            key: {"total": n.total, "target": n.target, "upper_limit": n.upper_limit, "status": n.status}
            for key, n in day.nutrients.items()
        }
        days.append({
            "date": day.date.isoformat(), **values, "nutrients": values,
            "exercise": {"planned": sum(day.exercise_planned.values()), "done": sum(day.exercise_done.values()),
                         "planned_by_category": day.exercise_planned, "done_by_category": day.exercise_done},
            "conflicts": day.conflicts, "medication": {"due": day.doses_due, "taken": day.doses_taken},
        })  # fmt: skip
    per_nutrient = {key: {"days_met": n.days_met, "days_over": n.days_over, "days_logged": n.days_logged,
                          "mean_percent_of_target": n.mean_percent_of_target}
                    for key, n in week.nutrients.items()}  # fmt: skip
    return {
        "week_start": week.week_start.isoformat(),
        "days": days,
        "summary": {**per_nutrient, "nutrients": per_nutrient, "exercise_adherence": week.exercise_adherence,
                    "exercise": {"planned": week.sessions_planned, "kept": week.sessions_kept,
                                 "text": week.exercise_phrase()},
                    "absorbable_calcium": None if week.absorbed_calcium is None
                    else week.absorbed_calcium.model_dump(),
                    "conflicts": week.conflicts, "recurring_conflicts": week.recurring_conflicts,
                    "medication": {"due": week.doses_due, "taken": week.doses_taken}},
    }  # fmt: skip


def medication_json(medication: Medication) -> dict[str, Any]:
    """A medication with its timing advice."""
    return medication.model_dump(mode="json")


def absorption_json(estimate: AbsorptionEstimate) -> dict[str, Any]:
    """``absorbable_calcium`` of ``day --json``: the estimate, what it covers, per meal."""
    return {
        "mg": estimate.mg, "covered_mg": estimate.covered_mg, "calcium_mg": estimate.calcium_mg,
        "covered_percent": estimate.covered_percent,
        "per_meal": [{"start": m.start.isoformat(), "load_mg": m.load_mg, "fraction": m.fraction,
                      "absorbed_mg": m.absorbed_mg, "covered_mg": m.covered_mg} for m in estimate.per_meal],
        "notes": list(estimate.notes),
    }  # fmt: skip


def absorption_explanation(source: str, notes: Sequence[str] = ()) -> str:
    """What the estimate is, its method and source, and why anything of the day was not estimated."""
    text = (
        "An estimate of the calcium your body takes up: absorption falls as a meal holds more calcium, "
        "and foods absorb better or worse than milk at the same load (bok choy better, spinach far worse), "
        "by each food's measured figure at its serving; calcium citrate, and carbonate taken with a meal, "
        "absorb about as milk does. Foods and products without a measured figure are not estimated. "
        f"Source: {source}. It also depends on vitamin D, age and the person: use it to compare, not as "
        "a measurement."
    )
    return "\n".join([text, *notes])


def absorption_line(estimate: AbsorptionEstimate) -> str:
    """ "absorbed (estimate) ~96 mg, for 100% of today's calcium" (Today and ``day``)."""
    if not estimate.covered_mg:
        return "absorbed (estimate): not estimated for today's calcium sources"
    return f"absorbed (estimate) ~{estimate.mg:,.0f} mg, for {estimate.covered_percent:.0f}% of the day's calcium"


def day_json(summary: DaySummary, absorption: AbsorptionEstimate | None = None) -> dict[str, Any]:
    """The ``day --json`` document."""
    extra = {} if absorption is None else {"absorbable_calcium": absorption_json(absorption)}
    return {
        **extra,
        "date": summary.date.isoformat(),
        # null, not 0, when every entry lacked a value (the status says "unknown")
        "totals": {key: summary.amount(key) if summary.measured_any(key) else None for key in JUDGED_KEYS},
        "unknown_entries": {key: summary.unknown_entries(key) for key in JUDGED_KEYS},
        "supplement_totals": summary.supplement_totals,
        "targets": {key: target_json(summary.target_of(key)) for key in JUDGED_KEYS},
        "status": {key: summary.status(key) for key in JUDGED_KEYS},
        "entries": [entry_json(entry) for entry in summary.entries],
        "conflicts": [conflict_json(conflict) for conflict in summary.conflicts],
    }


def food_json(food: Food) -> dict[str, Any]:
    """A food with its per-100 g nutrients, portions and sources."""
    return {
        "id": food.id,
        "name": food.name,
        "group": food.group,
        "per_100g": nutrients_json(food.per_100g),
        "energy_kcal_per_100g": food.energy_kcal_per_100g,
        "portions": [{"label": p.label, "grams": p.grams} for p in food.portions],
        "source": food.source,
        "notes": food.notes,
        "custom": food.custom,
        "inhibitors": [tag.model_dump() for tag in food.inhibitors],
    }


def inhibitor_lines(food: Food) -> list[str]:
    """One line per inhibitor tag: level, value, how it was found, and the citation."""
    lines = []
    for tag in food.inhibitors:
        value = "" if tag.mg_per_100g is None else f", {tag.mg_per_100g:g} mg per 100 g"
        lines.append(
            f"{tag.kind}: {tag.level.replace('_', ' ')}{value} ({tag.origin}). {tag.basis.rstrip('.')}. Source: {tag.source}"
        )
    return lines


def supplement_json(product: Supplement) -> dict[str, Any]:
    """A supplement: nutrients per dose beside its fields and again under ``nutrients``."""
    values = nutrients_json(product.nutrients)
    return {
        "id": product.id,
        "name": product.name,
        "form": product.form,
        "dose_label": product.dose_label,
        **values,
        "nutrients": values,
        "advice": product.advice,
        "source": product.source,
        "custom": product.custom,
    }


def describe_food(food: Food) -> str:
    """A short line of what 100 g holds, unknowns shown as such."""
    parts = []
    for key in ("calcium_mg", "vitamin_d_mcg", "magnesium_mg", "vitamin_k2_mcg"):
        value = food.per_100g.get(key)
        info = NUTRIENT_INFO[key]
        parts.append(f"{info.short} {'?' if value is None else f'{value:g}'}")
    return "per 100 g: " + " · ".join(parts)
