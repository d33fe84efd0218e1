"""Lesson 05's data checks: the Dataset and the standardization, correct in many styles,
each usual mistake named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.preprocessing import StandardScaler
from torch.utils.data import Dataset, TensorDataset

from course_utils import checks, i18n
from course_utils.checks import penguins as check
from course_utils.probes import penguins_data as probe
from tests.student import diagnosis, judged

pytestmark = pytest.mark.usefixtures("english")
SEEDS = [0, 1, 2, 7, 12345]

# Correct Datasets.


def penguin_dataset(frame, features, class_names):
    X = torch.tensor(frame[features].to_numpy(), dtype=torch.float32)
    y = torch.tensor([class_names.index(name) for name in frame["species"]])
    return TensorDataset(X, y)


def with_a_mapping(frame, features, class_names):
    number = {name: i for i, name in enumerate(class_names)}
    X = torch.from_numpy(frame[features].to_numpy(copy=True)).float()
    y = torch.from_numpy(frame["species"].map(number).to_numpy(copy=True))
    return TensorDataset(X, y)


def with_numpy_first(frame, features, class_names):
    X = np.asarray(frame[features], dtype=np.float32)
    y = np.array([list(class_names).index(s) for s in frame.species], dtype=np.int64)
    return TensorDataset(torch.as_tensor(X), torch.as_tensor(y))


def with_a_categorical(frame, features, class_names):
    codes = pd.Categorical(frame["species"], categories=class_names).codes
    features_tensor = torch.tensor(frame.loc[:, features].astype("float32").values)
    return TensorDataset(features_tensor, torch.tensor(codes, dtype=torch.long))


def row_by_row(frame, features, class_names):
    table = frame[features].itertuples(index=False)
    rows = [torch.tensor(list(row), dtype=torch.float32) for row in table]
    labels = [torch.tensor(class_names.index(s), dtype=torch.int64) for s in frame["species"]]
    return TensorDataset(torch.stack(rows), torch.stack(labels))


DATASETS = [penguin_dataset, with_a_mapping, with_numpy_first, with_a_categorical, row_by_row]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("student", DATASETS, ids=lambda f: f.__name__)
def test_every_correct_dataset_passes(student, seed):
    assert judged(check.dataset, seed, student).passed, student.__name__


# Dataset mistakes, as a student would write them.


def labels_as_names(frame, features, class_names):
    class Penguins(Dataset):
        def __init__(self):
            self.X = torch.tensor(frame[features].to_numpy(), dtype=torch.float32)
            self.names = list(frame["species"])

        def __len__(self):
            return len(self.names)

        def __getitem__(self, i):
            return self.X[i], self.names[i]

    return Penguins()


def labels_as_floats(frame, features, class_names):
    X = torch.tensor(frame[features].to_numpy(), dtype=torch.float32)
    y = torch.tensor(frame["species"].map(class_names.index).to_numpy(), dtype=torch.float32)
    return TensorDataset(X, y)


def features_from_pandas(frame, features, class_names):
    X = torch.tensor(frame[features].to_numpy())  # float64, as pandas keeps them
    y = torch.tensor([class_names.index(s) for s in frame["species"]])
    return TensorDataset(X, y)


def alphabetical_codes(frame, features, class_names):
    X = torch.tensor(frame[features].to_numpy(), dtype=torch.float32)
    y = torch.tensor(frame["species"].astype("category").cat.codes.to_numpy(), dtype=torch.long)
    return TensorDataset(X, y)


def factorized(frame, features, class_names):
    X = torch.tensor(frame[features].to_numpy(), dtype=torch.float32)
    codes, _names = pd.factorize(frame["species"])
    return TensorDataset(X, torch.tensor(codes))


def by_index_label(frame, features, class_names):
    class Penguins(Dataset):
        def __len__(self):
            return len(frame)

        def __getitem__(self, i):
            row = frame.loc[i]
            x = torch.tensor(row[features].to_numpy(dtype=np.float32))
            return x, class_names.index(row["species"])

    return Penguins()


def table_column_order(frame, features, class_names):
    X = torch.tensor(frame.iloc[:, 2:6].to_numpy(), dtype=torch.float32)
    y = torch.tensor([class_names.index(s) for s in frame["species"]])
    return TensorDataset(X, y)


def every_number_column(frame, features, class_names):
    X = torch.tensor(frame.select_dtypes("number").to_numpy(), dtype=torch.float32)
    y = torch.tensor([class_names.index(s) for s in frame["species"]])
    return TensorDataset(X, y)


def labels_in_a_column(frame, features, class_names):
    X = torch.tensor(frame[features].to_numpy(), dtype=torch.float32)
    y = torch.tensor([[class_names.index(s)] for s in frame["species"]])
    return TensorDataset(X, y)


def int32_labels(frame, features, class_names):
    X = torch.tensor(frame[features].to_numpy(), dtype=torch.float32)
    y = torch.tensor([class_names.index(s) for s in frame["species"]], dtype=torch.int32)
    return TensorDataset(X, y)


def numpy_features(frame, features, class_names):
    X = frame[features].to_numpy(dtype=np.float32)
    y = [class_names.index(s) for s in frame["species"]]
    return list(zip(X, y, strict=True))


def own_dataset_class(frame, features, class_names):
    class Penguins(Dataset):
        def __init__(self):
            self.X = torch.tensor(frame[features].to_numpy(), dtype=torch.float32)
            self.y = torch.tensor([class_names.index(s) for s in frame["species"]])

        def __len__(self):
            return len(self.y)

        def __getitem__(self, i):
            return self.X[i], self.y[i]

    return Penguins()


DATASET_MISTAKES = [
    (labels_as_names, "label_str"),
    (labels_as_floats, "label_float"),
    (features_from_pandas, "features_float64"),
    (alphabetical_codes, "class_order"),
    (factorized, "class_order"),
    (by_index_label, "loc"),
    (table_column_order, "columns"),
    (every_number_column, "features_shape"),
    (labels_in_a_column, "label_shape"),
    (int32_labels, "label_dtype"),
    (numpy_features, "features_type"),
    (own_dataset_class, "not_tensor_dataset"),
]


@pytest.mark.parametrize(
    ("student", "expected"), DATASET_MISTAKES, ids=[f.__name__ for f, _ in DATASET_MISTAKES]
)
def test_each_dataset_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.dataset, student) == expected
    assert judged(check.dataset, 3, student).diagnosis == expected


def test_the_notebook_table_tells_the_orders_apart():
    frame, class_names = probe.table(0)
    assert class_names != sorted(class_names)
    assert class_names != list(dict.fromkeys(frame["species"]))
    assert list(frame.index) != sorted(frame.index)


def test_a_dataset_that_only_keeps_its_own_tensors_is_named_but_its_items_pass():
    result = check.dataset(own_dataset_class)
    assert result.diagnoses == ("not_tensor_dataset",)


# Correct standardizations.


def standardize(X, X_train):
    mean, std = X_train.mean(dim=0), X_train.std(dim=0)
    std[std == 0] = 1
    return (X - mean) / std


def population_std_with_where(X, X_train):
    mean = X_train.mean(0, keepdim=True)
    std = X_train.std(0, unbiased=False, keepdim=True)
    return (X - mean) / torch.where(std > 0, std, torch.ones_like(std))


def with_an_epsilon(X, X_train):
    return (X - X_train.mean(axis=0)) / (X_train.std(axis=0) + 1e-8)


def with_sklearn(X, X_train):
    scaler = StandardScaler().fit(X_train.numpy())
    return torch.tensor(scaler.transform(X.numpy()), dtype=torch.float32)


def with_var_mean_and_clamp(X, X_train):
    var, mean = torch.var_mean(X_train, dim=0)
    return (X - mean) / var.sqrt().clamp(min=1e-6)


STANDARDIZERS = [
    standardize,
    population_std_with_where,
    with_an_epsilon,
    with_sklearn,
    with_var_mean_and_clamp,
]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("student", STANDARDIZERS, ids=lambda f: f.__name__)
def test_every_correct_standardization_passes(student, seed):
    assert judged(check.standardize, seed, student).passed, student.__name__


# Standardization mistakes.


def fits_on_the_split_itself(X, X_train):
    std = X.std(dim=0)
    return (X - X.mean(dim=0)) / torch.where(std == 0, 1.0, std)


def fits_on_everything(X, X_train):
    everything = torch.cat([X_train, X])
    return (X - everything.mean(0)) / everything.std(0)


def no_guard(X, X_train):
    return (X - X_train.mean(dim=0)) / X_train.std(dim=0)


def one_number_for_all(X, X_train):
    return (X - X_train.mean()) / X_train.std()


def per_row(X, X_train):
    return (X - X.mean(dim=1, keepdim=True)) / X.std(dim=1, keepdim=True)


def by_the_variance(X, X_train):
    var = X_train.var(dim=0)
    return (X - X_train.mean(dim=0)) / torch.where(var == 0, 1.0, var)


def only_centres(X, X_train):
    return X - X_train.mean(dim=0)


def sklearn_float64(X, X_train):
    scaler = StandardScaler().fit(np.asarray(X_train, dtype=float))
    return torch.from_numpy(scaler.transform(np.asarray(X, dtype=float)))


def returns_numpy(X, X_train):
    return StandardScaler().fit(X_train.numpy()).transform(X.numpy())


def in_place(X, X_train):
    std = X_train.std(dim=0)
    X -= X_train.mean(dim=0)
    X /= torch.where(std == 0, 1.0, std)
    return X


STANDARDIZE_MISTAKES = [
    (fits_on_the_split_itself, "own_stats"),
    (fits_on_everything, "all_data"),
    (no_guard, "zero_std"),
    (one_number_for_all, "dims"),
    (per_row, "dims"),
    (by_the_variance, "variance"),
    (only_centres, "no_scale"),
    (sklearn_float64, "float64"),
    (returns_numpy, "not_tensor"),
    (in_place, "in_place"),
]


@pytest.mark.parametrize(
    ("student", "expected"),
    STANDARDIZE_MISTAKES,
    ids=[f.__name__ for f, _ in STANDARDIZE_MISTAKES],
)
def test_each_standardization_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.standardize, student) == expected
    assert judged(check.standardize, 4, student).diagnosis == expected


def test_an_answer_copied_from_the_notebook_fails_on_another_problem():
    answer = check.standardize.probe(standardize, seed=0)["other"]["value"]
    assert judged(check.standardize, 1, lambda X, X_train: answer).status == checks.FAILED


def test_stubs_and_crashes():
    def stub(frame, features, class_names):
        raise NotImplementedError

    def crashes(X, X_train):
        return X / X_train.std(dim=2)

    assert check.dataset(stub).status == checks.TODO
    assert diagnosis(check.standardize, crashes) == "crashed"


def test_messages_follow_the_language():
    i18n.set_language("es")
    assert "desviación 0" in check.standardize(no_guard).message
    assert "class_names" in check.dataset(alphabetical_codes).message
