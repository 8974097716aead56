"""What the scans and fractures say about a person, read as ISCD and AACE read them (DOMAIN.md).

The WHO categories (normal, osteopenia, osteoporosis) are for postmenopausal women and men of 50
and older. For younger people the Z-score is read instead ("below / within the expected range for
age") and the WHO words are not used. A low-trauma fracture of the hip or spine diagnoses
osteoporosis whatever the T-score; one of the upper arm, pelvis or wrist does so with a T-score
of -1.0 to -2.5. A diagnosis of osteoporosis persists when treatment lifts the T-score above -2.5:
the crossing is a milestone, not a new category. The forearm (33% radius) decides only when the
hip and spine were not measured. Pure: the caller passes the scans, fractures and the person.
"""

import datetime as _dt
from datetime import date
from typing import Literal

from dateutil.relativedelta import relativedelta
from pydantic import ConfigDict, Field

from bonecoach.domain.base import Model
from bonecoach.domain.bone import CATEGORY_SITES, SITE_LABELS, Category, Scan, Session, classify

FractureSite = Literal["spine", "hip", "wrist", "upper_arm", "pelvis", "rib", "hand", "leg", "ankle", "foot", "other"]
FRACTURE_LABELS: dict[str, str] = {
    "spine": "spine (vertebra)", "hip": "hip", "wrist": "wrist / forearm", "upper_arm": "upper arm (humerus)",
    "pelvis": "pelvis", "rib": "rib", "hand": "hand", "leg": "leg", "ankle": "ankle", "foot": "foot", "other": "other",
}  # fmt: skip
# AACE 2020 / National Bone Health Alliance 2014, via DOMAIN.md.
DIAGNOSTIC_AT_ANY_TSCORE = ("spine", "hip")
DIAGNOSTIC_WITH_LOW_MASS = ("upper_arm", "pelvis", "wrist")
# Which limb a fracture is in, for the exercise plan (a limb is not loaded until cleared).
LIMB_OF: dict[str, str] = {"wrist": "arm", "upper_arm": "arm", "hand": "arm",
                           "hip": "leg", "pelvis": "leg", "leg": "leg", "ankle": "leg", "foot": "leg"}  # fmt: skip
# bonecoach's own choice (no source gives one): a fracture counts as recent for a year.
RECENT_FRACTURE_MONTHS = 12
Z_BELOW = -2.0  # ISCD: Z <= -2.0 is "below the expected range for age"
DIAGNOSIS_SOURCE = "ISCD Official Positions (adult, 2019/2023); AACE/ACE 2020 (Camacho et al.)"


class Fracture(Model):
    """A broken bone as a record: where, when, whether from a fall from standing height or less
    (low trauma), and whether a clinician has cleared loading that limb again."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    site: FractureSite
    date: date
    low_trauma: bool | None = None  # None: not said (a spine or hip fracture then counts as low trauma)
    cleared: bool = False

    def label(self) -> str:
        """ "spine (vertebra), Mar 2024, low trauma"."""
        trauma = {True: "low trauma", False: "high trauma", None: "trauma not said"}[self.low_trauma]
        cleared = ", cleared for loading" if self.cleared else ""
        return f"{FRACTURE_LABELS[self.site]}, {self.date:%b %Y}, {trauma}{cleared}"

    def fragility(self) -> bool:
        """A low-trauma fracture; one of the spine or hip whose trauma was not said counts as one
        (most are), and the person is told so."""
        return self.low_trauma is True or (self.low_trauma is None and self.site in DIAGNOSTIC_AT_ANY_TSCORE)

    def recent(self, today: _dt.date) -> bool:
        """Within ``RECENT_FRACTURE_MONTHS`` of ``today`` and not yet cleared for loading."""
        return not self.cleared and self.date + relativedelta(months=RECENT_FRACTURE_MONTHS) > today


def who_categories_apply(sex: str, age: int, postmenopausal: bool | None) -> bool:
    """Men of 50 and older; women after menopause (a woman of 50 or older is taken as
    postmenopausal unless she has said otherwise)."""
    if sex == "male":
        return age >= 50
    if postmenopausal is not None:
        return postmenopausal
    return age >= 50


class Assessment(Model):
    """The reading of a person's bone status, and why."""

    model_config = ConfigDict(frozen=True)

    category: Category | None  # a WHO category, only where the WHO categories apply
    z_reading: Literal["below the expected range for age", "within the expected range for age"] | None = None
    lowest: Scan | None = None  # the result the reading rests on
    reasons: list[str] = Field(default=[])
    diagnosed_osteoporosis: bool = False  # by a T-score at or below -2.5 once, or by a fracture
    ask_menopause: bool = False  # a woman under 50 who has not said: ask once
    milestone: str | None = None  # a T-score lifted above -2.5 while the diagnosis persists


def _deciding(session: Session) -> Scan | None:
    """The result a visit's reading rests on: the lowest of hip and spine, else the forearm."""
    if session.lowest is not None:
        return session.lowest
    return session.standing.get("forearm")


def assess(
    history: list[Session], fractures: list[Fracture], sex: str, age: int, postmenopausal: bool | None
) -> Assessment:
    """The reading of the scans (visits, oldest first) and fractures for this person."""
    latest = history[-1] if history else None
    deciding = _deciding(latest) if latest else None
    fragile = [f for f in fractures if f.fragility()]
    ask = sex == "female" and age < 50 and postmenopausal is None
    if not who_categories_apply(sex, age, postmenopausal):
        return _by_zscore(latest, deciding, fragile, ask)
    reasons: list[str] = []
    category: Category | None = None
    if deciding is not None:
        category = classify(deciding.tscore)
        if deciding.site not in CATEGORY_SITES:
            reasons.append(
                "Read from the forearm (33% radius), as ISCD allows when the hip and spine were not measured."
            )
    by_fracture = [f for f in fragile if f.site in DIAGNOSTIC_AT_ANY_TSCORE] + [
        f for f in fragile if f.site in DIAGNOSTIC_WITH_LOW_MASS and category == "osteopenia"
    ]
    diagnosed_before = [
        s for s in history[:-1] if (scan := _deciding(s)) is not None and classify(scan.tscore) == "osteoporosis"
    ]
    milestone = None
    if by_fracture:
        category = "osteoporosis"
        fracture = by_fracture[0]
        assumed = " (trauma not said: counted as low trauma)" if fracture.low_trauma is None else ""
        reasons.append(f"A low-trauma fracture ({fracture.label()}){assumed} diagnoses osteoporosis "
                       "whatever the T-score (AACE 2020).")  # fmt: skip
    elif diagnosed_before and deciding is not None and category != "osteoporosis":
        # (a latest visit always has a deciding result: every visit holds at least one scan)
        first = diagnosed_before[0]
        scan = _deciding(first)
        assert scan is not None
        milestone = (f"T {deciding.tscore:+.1f}, above -2.5 after {scan.tscore:+.1f} in {first.date:%b %Y}: "
                     "a milestone of treatment, not a new category.")  # fmt: skip
        category = "osteoporosis"
        reasons.append(f"Diagnosed {first.date:%b %Y} (T {scan.tscore:+.1f}): a diagnosis of osteoporosis persists "
                       "when treatment lifts the T-score (AACE 2020).")  # fmt: skip
    diagnosed = category == "osteoporosis"
    return Assessment(category=category, lowest=deciding, reasons=reasons, diagnosed_osteoporosis=diagnosed,
                      ask_menopause=ask, milestone=milestone)  # fmt: skip


def _by_zscore(latest: Session | None, deciding: Scan | None, fragile: list[Fracture], ask: bool) -> Assessment:
    """Premenopausal women and men under 50: the Z-score, without the WHO words."""
    reasons = ["The WHO categories are for postmenopausal women and men of 50 and older: the Z-score is read (ISCD)."]
    zscores = [s for s in (latest.standing.values() if latest else []) if s.zscore is not None]
    lowest = min(zscores, key=lambda s: s.zscore or 0.0, default=None)
    reading: Literal["below the expected range for age", "within the expected range for age"] | None = None
    if lowest is not None and lowest.zscore is not None:
        reading = (
            "below the expected range for age" if lowest.zscore <= Z_BELOW else "within the expected range for age"
        )
        reasons.append(f"Lowest Z-score {lowest.zscore:+.1f} at the {SITE_LABELS[lowest.site]}: {reading}.")
        unread = [SITE_LABELS[s.site] for s in (latest.standing.values() if latest else []) if s.zscore is None]
        if unread:  # a site without its Z-score may be the low one: the reading does not cover it
            reasons.append(f"No Z-score recorded for the {' or the '.join(sorted(unread))}: this reading leaves "
                           "it out; add its Z-score from your report (scan edit).")  # fmt: skip
    elif deciding is not None:
        reasons.append("No Z-score recorded: add the Z-score from your report (scan edit) to read the result.")
    if ask:
        reasons.append("If you are postmenopausal, say so in your profile: the WHO categories then apply.")
    if fragile:
        reasons.append("A low-trauma fracture at your age is for your clinician to assess.")
    # ``lowest`` stays the lowest T-score of hip and spine: what exercise safety reads, whatever
    # the reading (a hip at T -2.9 without a Z-score must not hide behind a spine at -1.2).
    return Assessment(category=None, z_reading=reading, lowest=deciding or lowest, reasons=reasons,
                      diagnosed_osteoporosis=False, ask_menopause=ask)  # fmt: skip


def treat_to_target(latest: Session | None) -> dict[str, float]:
    """Per measured hip and spine site, how far its T-score is from the treat-to-target goal of
    T above -2.5 (ASBMR/BHOF task force, Cosman et al., JBMR 2024): T + 2.5, so negative is below
    the goal and positive above it."""
    if latest is None:
        return {}
    return {site: round(scan.tscore + 2.5, 1) for site, scan in latest.standing.items() if site in CATEGORY_SITES}


def target_phrase(site: str, distance: float) -> str:
    """ "total hip -2.8 (0.3 below -2.5)", "total hip -2.5 (on the line)" or "lumbar spine -2.1 (met)"."""
    tscore = round(distance - 2.5, 1)
    if distance > 0:
        return f"{SITE_LABELS[site]} {tscore:+.1f} (met)"
    if distance == 0:
        return f"{SITE_LABELS[site]} -2.5 (on the line)"
    return f"{SITE_LABELS[site]} {tscore:+.1f} ({-distance:.1f} below -2.5)"
