"""The nutrients bonecoach tracks, and arithmetic on amounts of them."""

from collections.abc import Iterable

from pydantic import ConfigDict, Field

from bonecoach.domain.base import Model
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS


class Nutrients(Model):
    """Amounts of each tracked nutrient. ``None`` means unknown, which is never the same as 0."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    calcium_mg: float | None = Field(default=None, ge=0)
    vitamin_d_mcg: float | None = Field(default=None, ge=0)
    magnesium_mg: float | None = Field(default=None, ge=0)
    vitamin_k1_mcg: float | None = Field(default=None, ge=0)
    vitamin_k2_mcg: float | None = Field(default=None, ge=0)
    caffeine_mg: float | None = Field(default=None, ge=0)
    sodium_mg: float | None = Field(default=None, ge=0)
    energy_kcal: float | None = Field(default=None, ge=0)
    protein_g: float | None = Field(default=None, ge=0)
    potassium_mg: float | None = Field(default=None, ge=0)

    def get(self, key: str) -> float | None:
        """The amount for ``key``, or ``None`` when unknown."""
        value: float | None = getattr(self, key)
        return value

    def scaled(self, factor: float) -> "Nutrients":
        """Every known amount multiplied by ``factor``; unknowns stay unknown."""
        return Nutrients(
            **{key: (None if value is None else round(value * factor, 4)) for key, value in self.as_dict().items()}
        )

    def as_dict(self) -> dict[str, float | None]:
        """The amounts keyed by nutrient key, in the standard order."""
        return {key: getattr(self, key) for key in NUTRIENT_KEYS}

    @classmethod
    def from_values(cls, values: dict[str, float | None]) -> "Nutrients":
        """Build from a mapping that may hold only some of the keys."""
        return cls(**{key: values.get(key) for key in NUTRIENT_KEYS})


class NutrientTotal(Model):
    """A day's total of one nutrient, and how many entries had no value for it."""

    model_config = ConfigDict(frozen=True)

    amount: float
    unknown_entries: int = 0


def sum_nutrients(items: Iterable[Nutrients]) -> dict[str, NutrientTotal]:
    """Add up amounts, counting the entries whose value was unknown rather than taking them as 0."""
    amounts = dict.fromkeys(NUTRIENT_KEYS, 0.0)
    unknown = dict.fromkeys(NUTRIENT_KEYS, 0)
    for item in items:
        for key in NUTRIENT_KEYS:
            value = getattr(item, key)
            if value is None:
                unknown[key] += 1
            else:
                amounts[key] += value
    # Built without validation: the values are floats and counts made just above, and a review
    # of a year builds thousands of these.
    return {
        key: NutrientTotal.model_construct(amount=round(amounts[key], 3), unknown_entries=unknown[key])
        for key in NUTRIENT_KEYS
    }
