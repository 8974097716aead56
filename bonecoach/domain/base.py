"""The base of every bonecoach model."""

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A pydantic model whose validator is built on first use, not at import.

    About 50 models exist; only some are needed before the first frame, and building all of them
    at import cost tens of milliseconds of start-up. Subclasses' ``model_config`` merges with this.

    An empty list or dict default is written ``Field(default=[])``: pydantic copies a mutable
    default for each instance, and a ``default_factory=list`` made it read ``list``'s signature
    from its text at each validator built (~0.3 ms a field, 5 ms of ``day``).
    """

    # Not a number and infinity are never a measurement: refused everywhere, so a damaged file
    # or an import cannot put them into figures (or into JSON output, where they are invalid).
    model_config = ConfigDict(defer_build=True, allow_inf_nan=False)
