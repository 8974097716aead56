"""The nutrients bonecoach tracks: their keys, names and units (no pydantic, so the app's first
frame can be drawn before the models are imported)."""

from __future__ import annotations

from dataclasses import dataclass

#: The keys used everywhere: in entries, totals, targets and the ``--json`` output.
NUTRIENT_KEYS: tuple[str, ...] = (
    "calcium_mg",
    "vitamin_d_mcg",
    "magnesium_mg",
    "vitamin_k1_mcg",
    "vitamin_k2_mcg",
    "caffeine_mg",
    "sodium_mg",
    "energy_kcal",
    "protein_g",
    "potassium_mg",
)

#: Beside the bone nutrients, as trackers show them (one line on Today, not a bar each).
MORE_KEYS: tuple[str, ...] = ("energy_kcal", "protein_g", "potassium_mg")

#: The bone nutrients: a bar each on Today.
BAR_KEYS: tuple[str, ...] = tuple(key for key in NUTRIENT_KEYS if key not in MORE_KEYS)

#: Total vitamin K (K1 + K2): the sum the Adequate Intake applies to, judged under its own key.
VITAMIN_K_TOTAL = "vitamin_k_total_mcg"

#: What the week and the report judge: every nutrient on its own total, and total vitamin K.
#: K1 has no target of its own (the AI is for the sum), so it is reported but not judged.
JUDGED_KEYS: tuple[str, ...] = (*NUTRIENT_KEYS, VITAMIN_K_TOTAL)

#: The week grid's rows: what has a target or a limit of its own.
GRID_KEYS: tuple[str, ...] = tuple(VITAMIN_K_TOTAL if key == "vitamin_k1_mcg" else key for key in NUTRIENT_KEYS)

IU_PER_MCG_VITAMIN_D = 40.0  # DOMAIN.md: vitamin D 1 mcg = 40 IU.


@dataclass(frozen=True)
class NutrientInfo:
    """How a nutrient is named and shown."""

    key: str
    label: str
    short: str
    unit: str


NUTRIENT_INFO: dict[str, NutrientInfo] = {
    "calcium_mg": NutrientInfo("calcium_mg", "Calcium", "Ca", "mg"),
    "vitamin_d_mcg": NutrientInfo("vitamin_d_mcg", "Vitamin D", "D", "mcg"),
    "magnesium_mg": NutrientInfo("magnesium_mg", "Magnesium", "Mg", "mg"),
    "vitamin_k1_mcg": NutrientInfo("vitamin_k1_mcg", "Vitamin K1", "K1", "mcg"),
    "vitamin_k2_mcg": NutrientInfo("vitamin_k2_mcg", "Vitamin K2", "K2", "mcg"),
    VITAMIN_K_TOTAL: NutrientInfo(VITAMIN_K_TOTAL, "Vitamin K1+K2", "K", "mcg"),
    "caffeine_mg": NutrientInfo("caffeine_mg", "Caffeine", "Caf", "mg"),
    "sodium_mg": NutrientInfo("sodium_mg", "Sodium", "Na", "mg"),
    "energy_kcal": NutrientInfo("energy_kcal", "Energy", "kcal", "kcal"),
    "protein_g": NutrientInfo("protein_g", "Protein", "Prot", "g"),
    "potassium_mg": NutrientInfo("potassium_mg", "Potassium", "K+", "mg"),
}


def mcg_to_iu(mcg: float) -> float:
    """Vitamin D micrograms to international units."""
    return mcg * IU_PER_MCG_VITAMIN_D


def iu_to_mcg(iu: float) -> float:
    """Vitamin D international units to micrograms."""
    return iu / IU_PER_MCG_VITAMIN_D
