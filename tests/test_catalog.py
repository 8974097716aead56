"""The shipped catalog against the spot checks in ../shared/data/README.md."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonecoach.catalog.assets import assets_dir
from bonecoach.catalog.foods import FoodCatalog
from bonecoach.catalog.supplements import load_supplements, load_targets
from bonecoach.domain.errors import InputError


@pytest.mark.parametrize(
    ("food_id", "calcium", "vitamin_d", "magnesium", "k1", "caffeine", "sodium"),
    [
        ("01077", 113, 1.3, 10, 0.3, 0, 43),
        ("11457", 99, 0.0, 79, 482.9, 0, 79),
        ("11458", 136, 0.0, 87, 493.6, 0, 70),
        ("15088", 382, 4.8, 39, 2.6, 0, 307),
        ("16113", 217, 0.0, 115, 23.1, 0, 7),
        ("01022", 700, 0.5, 29, 2.3, 0, 819),
        ("16427", 350, 0.0, 30, 2.4, 0, 7),
        ("14209", 2, 0.0, 3, 0.1, 40, 2),
        ("14210", 2, 0.0, 80, 0.1, 212, 14),
        ("01009", 710, 0.6, 27, 2.4, 0, 653),
        ("20077", 73, 0.0, 611, 1.9, 0, 2),
    ],
)
def test_usda_spot_checks(
    catalog: FoodCatalog,
    food_id: str,
    calcium: float,
    vitamin_d: float,
    magnesium: float,
    k1: float,
    caffeine: float,
    sodium: float,
) -> None:
    food = catalog.get(food_id)
    assert food is not None
    values = food.per_100g
    assert (
        values.calcium_mg,
        values.vitamin_d_mcg,
        values.magnesium_mg,
        values.vitamin_k1_mcg,
        values.caffeine_mg,
        values.sodium_mg,
    ) == (calcium, vitamin_d, magnesium, k1, caffeine, sodium)


def test_every_food_with_calcium_is_there(catalog: FoodCatalog) -> None:
    assert len(catalog) == 8441  # SR28 foods with a calcium value (README: 8,441)


def test_missing_values_stay_missing(catalog: FoodCatalog) -> None:
    firm_tofu = catalog.get("16426")
    assert firm_tofu is not None
    assert firm_tofu.per_100g.vitamin_k1_mcg is None and firm_tofu.per_100g.caffeine_mg is None
    spinach = catalog.get("11457")
    assert spinach is not None and spinach.per_100g.vitamin_k2_mcg is None


def test_portions_from_usda(catalog: FoodCatalog) -> None:
    portions = {
        f.id: {p.label: p.grams for p in f.portions}
        for f in map(catalog.get, ["01077", "11457", "15088", "14209"])
        if f
    }
    assert portions["01077"]["1 cup"] == 244
    assert portions["11457"]["1 cup"] == 30
    assert portions["15088"]["1 can (3.75 oz)"] == 92
    assert portions["14209"]["1 cup (8 fl oz)"] == 237


def test_k2_comes_with_its_source(catalog: FoodCatalog) -> None:
    natto = catalog.get("16113")
    assert natto is not None and natto.per_100g.vitamin_k2_mcg == 939
    assert "Kamao" in natto.notes["vitamin_k2"] and "MK-7" in natto.notes["vitamin_k2"]
    gouda = catalog.get("01022")
    assert gouda is not None and gouda.per_100g.vitamin_k2_mcg == 75
    assert "low" in gouda.notes["vitamin_k2"]  # a secondary quotation, labelled as such
    cheddar = catalog.get("01009")
    assert cheddar is not None and cheddar.per_100g.vitamin_k2_mcg == 8.6
    assert "MK-4 only" in cheddar.notes["vitamin_k2"]


def test_vitamin_d_from_iu_is_converted_and_says_so() -> None:
    raw = json.loads((assets_dir() / "foods.json").read_text())
    converted = [row for row in raw["foods"] if "vitamin_d_mcg" in row[5]]
    assert converted, "SR28 has 51 foods with IU but no mcg value"
    for row in converted:
        assert "1 mcg = 40 IU" in row[5]["vitamin_d_mcg"]


def test_broken_asset_names_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "foods.json"
    raw = json.loads((assets_dir() / "foods.json").read_text())
    raw["foods"][3][3] = "lots"
    bad.write_text(json.dumps(raw))
    with pytest.raises(InputError) as caught:
        FoodCatalog.load(bad)
    assert str(bad) in str(caught.value) and "foods.3" in str(caught.value)
    bad.write_text("{not json")
    with pytest.raises(InputError, match="not valid JSON"):
        FoodCatalog.load(bad)


def test_supplements_and_targets_validate() -> None:
    products = {p.id: p for p in load_supplements()}
    assert products["calcium-carbonate-500"].nutrients.calcium_mg == 500
    assert products["calcium-citrate-315"].nutrients.calcium_mg == 315
    assert products["vitamin-d3-2000"].nutrients.vitamin_d_mcg == 50
    assert products["k2-mk7-180"].nutrients.vitamin_k2_mcg == 180
    assert all(p.source for p in products.values())
    assert products["vitamin-d3-400"].nutrients.calcium_mg == 0  # not listed on the label: none
    table = load_targets()
    assert all(rule.source for g in table.guidelines.values() for rule in g.nutrients.values())


def test_the_record_of_validated_assets_matches_the_shipped_files() -> None:
    # Run tools/record_validated.py after changing a recorded asset: the app trusts a shipped
    # file only when its text is the one recorded here, and this validates each one whole.
    from bonecoach.catalog.assets import assets_dir, content_digest, load_json_model, recorded_digests
    from tools.record_validated import RECORDED

    recorded = {k: v for k, v in recorded_digests().items() if not k.startswith("_")}
    assert set(recorded) == set(RECORDED)
    for name, model in RECORDED.items():
        path = assets_dir() / name
        assert recorded[name] == content_digest(path.read_text(encoding="utf-8")), (
            f"run tools/record_validated.py ({name})"
        )
        load_json_model(path, model)


def test_the_trusted_catalog_is_the_validated_one_and_a_changed_file_is_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bonecoach.catalog.assets as assets
    from bonecoach.catalog.foods import FoodsFile

    trusted = FoodCatalog.load()
    shipped = assets.assets_dir() / "foods.json"
    checked = FoodCatalog(assets.load_json_model(shipped, FoodsFile), trusted.tagged())
    assert len(trusted) == len(checked) and trusted.source == checked.source
    assert all(trusted.get(row[0]) == checked.get(row[0]) for row in checked._data.foods)
    # A shipped file that is not the recorded one is validated whole, and its fault named.
    text = shipped.read_text(encoding="utf-8").replace('"schema":1', '"schema":"one"', 1)
    (tmp_path / "foods.json").write_text(text, encoding="utf-8")
    (tmp_path / "food_tags.json").write_text((assets.assets_dir() / "food_tags.json").read_text(), encoding="utf-8")
    monkeypatch.setattr(assets, "assets_dir", lambda: tmp_path)
    with pytest.raises(InputError, match=r"foods\.json: schema"):
        assets.load_recorded(tmp_path / "foods.json", FoodsFile)


def test_the_shipped_catalog_is_not_validated_again_when_it_is_the_recorded_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bonecoach.catalog.foods import FoodsFile

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(FoodsFile, "model_validate", refuse)
    assert FoodCatalog.load().get("01077") is not None


def test_every_shipped_tag_is_a_valid_inhibitor_tag() -> None:
    # Tags are validated as rows of food_tags.json and built from them without a second pass.
    from bonecoach.catalog.rules import load_tags
    from bonecoach.domain.models import InhibitorTag

    tags = [tag for found in load_tags().values() for tag in found]
    assert tags and all(InhibitorTag.model_validate(tag.model_dump()) == tag for tag in tags)


def _tags_validated_whole(path: Path) -> dict[str, list[object]]:
    from bonecoach.catalog.assets import load_json_model
    from bonecoach.catalog.rules import TagsFile

    whole: dict[str, list[object]] = {}
    for row in load_json_model(path, TagsFile).tags:
        whole.setdefault(row.food_id, []).append(row.model_dump(exclude={"food_id", "note"}))
    return whole


_TAGS_WHOLE = _tags_validated_whole(assets_dir() / "food_tags.json")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(_TAGS_WHOLE)) | st.sampled_from(["01077", "99999", "", "11458 "]))
def test_a_food_s_tags_read_alone_are_its_tags_validated_with_the_whole_file(food_id: str) -> None:
    """Issue 35: the shipped tags are validated a food at a time, when asked for (every process
    that logged or reviewed a day validated all 376 rows). Read alone, in any order, a food's
    tags are the ones the whole file validated gives, its source texts cleaned the same way."""
    from bonecoach.catalog.rules import _read_tags, load_plain_water, load_tags

    _read_tags.cache_clear()
    tags = load_tags()
    assert [tag.model_dump() for tag in tags.get(food_id, ())] == _TAGS_WHOLE.get(food_id, [])
    assert set(tags) == set(_TAGS_WHOLE) and (food_id in tags) == (food_id in _TAGS_WHOLE)
    assert load_plain_water()


def test_the_shipped_tags_are_not_validated_whole_and_a_changed_file_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonecoach.catalog import rules

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("validated whole")

    rules._read_tags.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(rules.TagsFile, "model_validate", refuse)
        assert rules.load_tags()["11458"][0].level == "very_high"
    # A file that is not the recorded one is validated whole, and its fault named.
    shipped = (assets_dir() / "food_tags.json").read_text(encoding="utf-8")
    (tmp_path / "food_tags.json").write_text(shipped.replace('"very_high"', '"huge"', 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"food_tags\.json: tags\.0\.level"):
        rules.load_tags(tmp_path / "food_tags.json")
    # A row of the shipped file that fails (the record and the file then differ: only a bug or a
    # hand edit) is named with its place in the file when it is read.
    broken = rules.FoodTags(tmp_path / "food_tags.json", {"1": [(7, {"food_id": "1", "kind": "tannin"})]}, [])
    with pytest.raises(InputError, match=r"food_tags\.json: tags\.7: kind"):
        broken["1"]


_FULL = FoodCatalog.load()
_ALL_IDS = sorted(row[0] for row in _FULL._data.foods)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_ALL_IDS) | st.sampled_from(["99999", "0107", "01077 ", "", '"]']))
def test_a_food_looked_up_alone_is_the_food_of_the_whole_catalog(food_id: str) -> None:
    """``get`` before the catalog is parsed whole reads one row of the text: the same food, or
    the same absence, as the whole catalog gives (issue 35: ``log food`` no longer parses 8,441
    foods to find one)."""
    alone = FoodCatalog.load()
    found = alone.get(food_id)
    assert "_rows" not in alone.__dict__ or found is None  # a known id never needed the whole
    assert found == _FULL.get(food_id)
    assert alone.source == _FULL.source
