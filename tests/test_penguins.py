"""course_utils.penguins: the raw table and the processed, split, standardized tensors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from course_utils import i18n, penguins

# Hand counts of the palmerpenguins table: 344 rows; 2 lack every measurement (1 Adelie,
# 1 Gentoo), so 342 remain: 151 Adelie, 68 Chinstrap, 123 Gentoo.
KEPT = {"Adelie": 151, "Chinstrap": 68, "Gentoo": 123}


@pytest.fixture(scope="module")
def split():
    return penguins.processed(seed=0)


def test_raw_table():
    table = penguins.raw()
    assert table.shape == (344, 8)
    assert set(penguins.FEATURES + ["species", "island", "sex", "year"]) == set(table.columns)
    assert table[penguins.FEATURES].isna().any(axis=1).sum() == 2


def test_processed_shapes_and_types(split):
    assert split.X_train.shape == (273, 4) and split.X_test.shape == (69, 4)  # 80:20 of 342
    assert split.X_train.dtype == torch.float32 and split.y_train.dtype == torch.int64
    assert split.y_train.shape == (273,) and split.y_test.shape == (69,)
    assert split.feature_names == tuple(penguins.FEATURES)
    assert split.class_names == ("Adelie", "Chinstrap", "Gentoo")
    assert not torch.isnan(torch.cat([split.X_train, split.X_test])).any()


def test_rows_with_missing_values_are_dropped(split):
    counts = torch.bincount(torch.cat([split.y_train, split.y_test]), minlength=3).tolist()
    assert counts == list(KEPT.values())


def test_labels_follow_the_species(split):
    """Undo the scaling, find each row in the raw table and compare its species."""
    table = penguins.raw().dropna(subset=penguins.FEATURES)
    species = {
        tuple(np.float32(row[penguins.FEATURES])): row["species"] for _, row in table.iterrows()
    }
    for X, y in ((split.X_train, split.y_train), (split.X_test, split.y_test)):
        measured = split.scaler.inverse_transform(X.numpy()).round(1).astype(np.float32)
        names = [species[tuple(row)] for row in measured]
        assert [penguins.CLASS_NAMES[i] for i in y.tolist()] == names


def test_split_is_seeded_and_stratified(split):
    again, other = penguins.processed(seed=0), penguins.processed(seed=1)
    assert torch.equal(split.X_train, again.X_train) and torch.equal(split.y_test, again.y_test)
    assert not torch.equal(split.y_test, other.y_test)
    shares = torch.bincount(split.y_test, minlength=3) / len(split.y_test)
    expected = torch.tensor(list(KEPT.values())) / 342
    assert torch.allclose(shares, expected, atol=0.02)


def test_scaler_fitted_on_the_training_part_only(split):
    torch.testing.assert_close(split.X_train.mean(0), torch.zeros(4), atol=1e-5, rtol=0)
    torch.testing.assert_close(
        split.X_train.std(0, unbiased=False), torch.ones(4), atol=1e-4, rtol=0
    )
    assert not torch.allclose(split.X_test.mean(0), torch.zeros(4), atol=1e-3)
    raw_train = split.scaler.inverse_transform(split.X_train.numpy())
    np.testing.assert_allclose(split.scaler.mean_, raw_train.mean(0), rtol=1e-5)


def test_scale_uses_the_training_scaling(split):
    first = penguins.raw().dropna(subset=penguins.FEATURES)[penguins.FEATURES].iloc[:3]
    expected = (first.to_numpy() - split.scaler.mean_) / split.scaler.scale_
    scaled = split.scale(first.to_numpy())
    assert scaled.dtype == torch.float32 and scaled.shape == (3, 4)
    np.testing.assert_allclose(scaled.numpy(), expected, rtol=1e-5)


@pytest.mark.parametrize("shape", [(4,), (2, 3), (1, 2, 4)])
@pytest.mark.parametrize(("lang", "got"), [("es", "recibí"), ("en", "got")])
def test_scale_rejects_bad_shapes(split, shape, lang, got):
    i18n.set_language(lang)
    try:
        with pytest.raises(ValueError) as caught:
            split.scale(np.zeros(shape))
    finally:
        i18n.set_language("es")
    message = str(caught.value)
    assert f"{got} {shape}" in message and "bill_length_mm" in message
    assert ("recibí" in message) == (lang == "es")  # one language only


def test_processed_accepts_a_filtered_table():
    table = penguins.raw()
    result = penguins.processed(table[table["island"] == "Biscoe"], seed=0)
    assert len(result.y_train) + len(result.y_test) == 167  # 44 Adelie + 123 Gentoo
    assert set(torch.cat([result.y_train, result.y_test]).tolist()) == {0, 2}


@pytest.mark.usefixtures("spanish")
@pytest.mark.parametrize("rows", [0, 2], ids=["empty", "two-rows"])
def test_too_small_a_subset_is_explained(rows):
    table = penguins.raw().dropna(subset=penguins.FEATURES).head(rows)
    with pytest.raises(ValueError) as caught:
        penguins.processed(table)
    message = str(caught.value)
    assert "al menos 5" in message and "at least 5" not in message
    assert f"'Adelie': {rows}" in message


@pytest.mark.usefixtures("english")
def test_rows_that_are_all_missing_count_as_empty():
    table = penguins.raw()
    with pytest.raises(ValueError, match="Check how the table was filtered"):
        penguins.processed(table[table[penguins.FEATURES[0]].isna()])


@pytest.mark.usefixtures("spanish")
def test_missing_columns_are_named():
    table = penguins.raw().drop(columns=["body_mass_g", "species"])
    with pytest.raises(ValueError) as caught:
        penguins.processed(table)
    message = str(caught.value)
    assert message == (
        "A la tabla le faltan las columnas ['body_mass_g', 'species']; necesita "
        "['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'species']."
    )


@pytest.mark.usefixtures("english")
def test_missing_columns_are_named_in_english():
    table = penguins.raw().drop(columns=["body_mass_g"])
    with pytest.raises(ValueError, match=r"The table lacks the columns \['body_mass_g'\]"):
        penguins.processed(table)


@pytest.mark.usefixtures("english")
def test_unknown_species_are_named():
    table = penguins.raw().replace({"species": {"Gentoo": "gentoo"}})
    with pytest.raises(ValueError, match=r"Unknown species \['gentoo'\]"):
        penguins.processed(table)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("test_size", [0, 1, 1.5, -0.2])
def test_bad_test_size(test_size):
    with pytest.raises(ValueError, match=f"got {test_size}"):
        penguins.processed(test_size=test_size)


def test_processed_does_not_change_the_callers_table():
    table = penguins.raw()
    copy = table.copy()
    penguins.processed(table)
    pd.testing.assert_frame_equal(table, copy)


@pytest.mark.parametrize(
    ("lang", "species", "bill"),
    [
        ("es", ["Adelia", "barbijo", "papúa"], "longitud del pico (mm)"),
        ("en", ["Adelie", "Chinstrap", "Gentoo"], "bill length (mm)"),
    ],
)
def test_names_for_the_reader_follow_the_language(lang, species, bill):
    i18n.set_language(lang)
    try:
        assert penguins.species_names() == species
        assert penguins.feature_labels()[0] == bill and len(penguins.feature_labels()) == 4
    finally:
        i18n.set_language("es")
    assert penguins.species_names("en") == penguins.CLASS_NAMES  # the data's own labels
    assert penguins.processed(seed=0).class_names == tuple(penguins.CLASS_NAMES)


def test_split_keeps_the_processed_test_part_and_sets_a_validation_part_aside():
    train, val, test = penguins.split(seed=0)
    assert (len(train), len(val), len(test)) == (218, 55, 69)
    assert not set(train.index) & set(val.index) and not set(val.index) & set(test.index)
    X_test = torch.tensor(test[penguins.FEATURES].to_numpy(dtype=np.float32))
    reference = penguins.processed(seed=0)
    back = torch.from_numpy(reference.scaler.inverse_transform(reference.X_test.numpy()))
    assert torch.allclose(back.float(), X_test, atol=1e-3)
    for part in (train, val, test):
        assert set(part["species"]) == set(penguins.CLASS_NAMES)


def test_feature_labels_without_units_and_rounded_means():
    i18n.set_language("en")
    assert penguins.feature_labels(units=False)[0] == "bill length"
    table = penguins.means({"a": torch.tensor([[-0.001, 1.0, 2.0, 3.0]]), "b": torch.ones(2, 4)})
    assert table.shape == (2, 4) and list(table.index) == ["a", "b"]
    assert str(table.iloc[0, 0]) == "0.0"  # not -0.0
    i18n.set_language("es")
