"""Record the digests of shipped assets that validate, so the app need not validate them again.

    python tools/record_validated.py

Validates each listed asset whole (as the app would) and writes ``assets/validated.json``. Run it
after changing one of them; ``tests/test_catalog.py`` fails while the record and the files differ.
"""

from __future__ import annotations

import json
import sys

from bonecoach.catalog.assets import VALIDATED_NAME, assets_dir, content_digest, load_json_model
from bonecoach.catalog.foods import FoodsFile
from bonecoach.catalog.rules import TagsFile

# Assets trusted when their text is the recorded one. foods.json is built without validating it
# again (load_recorded: validation leaves it as it is); food_tags.json is not (validation rewrites
# its source texts), so each of its rows is validated when first used (catalog.rules.FoodTags).
RECORDED = {"foods.json": FoodsFile, "food_tags.json": TagsFile}


def main() -> int:
    """Validate each recorded asset and write the record; 1 if one does not validate."""
    folder = assets_dir()
    record = {
        "_note": "SHA-256 of each shipped asset's text, recorded after it validated whole (tools/record_validated.py)."
    }
    for name, model in RECORDED.items():
        path = folder / name
        load_json_model(path, model)  # raises with the file and field if it does not validate
        record[name] = content_digest(path.read_text(encoding="utf-8"))
    (folder / VALIDATED_NAME).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {', '.join(RECORDED)} in {folder / VALIDATED_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
