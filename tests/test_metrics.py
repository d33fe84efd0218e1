"""course_utils.metrics against scikit-learn and hand counts, and its errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn import metrics as sk

from course_utils import i18n, metrics

# A small problem counted by hand (3 classes, 10 samples).
Y_TRUE = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
Y_PRED = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1]
HAND_CONFUSION = [[2, 1, 1], [1, 2, 0], [0, 1, 2]]
# precision: 2/3, 2/4, 2/3; recall: 2/4, 2/3, 2/3
HAND_PRECISION = [2 / 3, 1 / 2, 2 / 3]
HAND_RECALL = [1 / 2, 2 / 3, 2 / 3]


pytestmark = pytest.mark.usefixtures("spanish")


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r)


def test_accuracy_hand_count_and_inputs():
    assert metrics.accuracy(Y_TRUE, Y_PRED) == pytest.approx(6 / 10)
    assert metrics.accuracy(torch.tensor(Y_TRUE), torch.tensor(Y_PRED)) == pytest.approx(0.6)
    assert metrics.accuracy(np.array(Y_TRUE, dtype=np.int32), Y_PRED) == pytest.approx(0.6)
    assert isinstance(metrics.accuracy(Y_TRUE, Y_PRED), float)


def test_accuracy_of_argmax_logits():
    logits = torch.tensor([[2.0, 0.1], [0.3, 1.0], [5.0, -1.0]])
    assert metrics.accuracy(torch.tensor([0, 1, 1]), logits.argmax(dim=1)) == pytest.approx(2 / 3)


def test_precision_recall_f1_macro_by_hand():
    p, r, f = metrics.precision_recall_f1(Y_TRUE, Y_PRED)
    assert p == pytest.approx(np.mean(HAND_PRECISION))
    assert r == pytest.approx(np.mean(HAND_RECALL))
    f1s = [_f1(pi, ri) for pi, ri in zip(HAND_PRECISION, HAND_RECALL, strict=True)]
    assert f == pytest.approx(np.mean(f1s))


def test_precision_recall_f1_weighted_matches_sklearn():
    expected = sk.precision_recall_fscore_support(Y_TRUE, Y_PRED, average="weighted")[:3]
    assert metrics.precision_recall_f1(Y_TRUE, Y_PRED, average="weighted") == pytest.approx(
        expected
    )


def test_class_never_predicted_counts_as_zero_precision():
    p, _, _ = metrics.precision_recall_f1([0, 1, 2], [0, 1, 1])
    assert p == pytest.approx((1 + 0.5 + 0) / 3)


def test_per_class_by_hand_with_spanish_headers():
    table = metrics.per_class(Y_TRUE, Y_PRED, class_names=["a", "b", "c"])
    assert list(table.index) == ["a", "b", "c"]
    assert table.index.name == "clase"
    assert list(table.columns) == ["precisión", "exhaustividad", "F1", "muestras"]
    np.testing.assert_allclose(table["precisión"], HAND_PRECISION)
    np.testing.assert_allclose(table["exhaustividad"], HAND_RECALL)
    f1s = [_f1(pi, ri) for pi, ri in zip(HAND_PRECISION, HAND_RECALL, strict=True)]
    np.testing.assert_allclose(table["F1"], f1s)
    assert table["muestras"].tolist() == [4, 3, 3]


def test_per_class_without_names_and_in_english(english):
    table = metrics.per_class([3, 5, 5], [3, 5, 3])
    assert list(table.index) == [3, 5] and table.index.name == "class"
    assert list(table.columns) == ["precision", "recall", "F1", "support"]
    assert table["support"].tolist() == [1, 2]


def test_per_class_same_numbers_in_both_languages():
    spanish = metrics.per_class(Y_TRUE, Y_PRED).to_numpy()
    i18n.set_language("en")  # the spanish fixture sets Spanish back afterwards
    np.testing.assert_array_equal(metrics.per_class(Y_TRUE, Y_PRED).to_numpy(), spanish)


def test_per_class_keeps_absent_classes():
    table = metrics.per_class([0, 0], [0, 0], class_names=["x", "y", "z"])
    assert table[metrics._("support")].tolist() == [2, 0, 0]


def test_confusion_by_hand_and_against_sklearn():
    cm = metrics.confusion(torch.tensor(Y_TRUE), torch.tensor(Y_PRED))
    assert cm.tolist() == HAND_CONFUSION
    assert metrics.confusion(Y_TRUE, Y_PRED, num_classes=5).shape == (5, 5)
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    np.testing.assert_array_equal(metrics.confusion(a, b, 10), sk.confusion_matrix(a, b))


@pytest.mark.parametrize("bad", [[0, 3], [-1, 0]])
def test_labels_outside_the_classes_are_refused(bad):
    with pytest.raises(ValueError) as caught:
        metrics.confusion([0, 1], bad, num_classes=3)
    message = str(caught.value)
    assert "fuera de 0..2" in message and "outside" not in message
    with pytest.raises(ValueError, match="fuera de 0..1"):
        metrics.per_class(bad, [0, 1], class_names=["a", "b"])


def test_labels_outside_the_classes_in_english(english):
    with pytest.raises(ValueError, match=r"outside 0\.\.2 \(\[3\]\)") as caught:
        metrics.confusion([0, 1], [0, 3], num_classes=3)
    assert "fuera" not in str(caught.value)


def test_most_confused_by_hand():
    cm = np.array([[50, 3, 0], [7, 40, 1], [0, 3, 30]])
    assert metrics.most_confused(cm, k=3) == [(1, 0, 7), (0, 1, 3), (2, 1, 3)]
    assert metrics.most_confused(cm, k=10)[-1] == (1, 2, 1)  # zero cells are left out
    assert len(metrics.most_confused(cm, k=10)) == 4
    assert metrics.most_confused(np.eye(3, dtype=int)) == []


def test_most_confused_rejects_a_non_square_matrix():
    with pytest.raises(ValueError) as caught:
        metrics.most_confused(np.zeros((2, 3)))
    assert "recibí forma (2, 3)" in str(caught.value) and "got shape" not in str(caught.value)


def test_most_confused_rejects_a_non_square_matrix_in_english(english):
    with pytest.raises(ValueError, match=r"got shape \(2, 3\)"):
        metrics.most_confused(np.zeros((2, 3)))


# --- bad input: every public function goes through the same validation -----------------------

FUNCTIONS = [metrics.accuracy, metrics.precision_recall_f1, metrics.per_class, metrics.confusion]


@pytest.mark.parametrize("function", FUNCTIONS)
def test_logits_instead_of_classes(function):
    logits = torch.randn(4, 3)
    with pytest.raises(ValueError) as caught:
        function(torch.tensor([0, 1, 2, 0]), logits)
    message = str(caught.value)
    assert "y_pred" in message and "(4, 3)" in message
    assert ".argmax(dim=1)" in message and "usa primero" in message


@pytest.mark.parametrize("function", FUNCTIONS)
def test_logits_instead_of_classes_in_english(function, english):
    with pytest.raises(ValueError) as caught:
        function(torch.tensor([0, 1, 2, 0]), torch.randn(4, 3))
    message = str(caught.value)
    assert "apply .argmax(dim=1) first" in message and "usa primero" not in message


@pytest.mark.parametrize("function", FUNCTIONS)
def test_float_values_instead_of_classes(function):
    with pytest.raises(TypeError) as caught:
        function(torch.tensor([0.0, 1.0]), torch.tensor([0, 1]))
    message = str(caught.value)
    assert "y_true" in message and "float32" in message
    assert "clases enteras" in message and "integer classes" not in message


@pytest.mark.parametrize("function", FUNCTIONS)
def test_float_values_instead_of_classes_in_english(function, english):
    with pytest.raises(TypeError) as caught:
        function(torch.tensor([0.0, 1.0]), torch.tensor([0, 1]))
    message = str(caught.value)
    assert "y_true must hold integer classes" in message and "float32" in message


@pytest.mark.parametrize("function", FUNCTIONS)
def test_booleans_are_not_classes(function):
    with pytest.raises(TypeError, match="bool"):
        function([0, 1], [True, False])


@pytest.mark.parametrize("function", FUNCTIONS)
def test_length_mismatch(function):
    with pytest.raises(ValueError) as caught:
        function([0, 1, 2], [0, 1])
    message = str(caught.value)
    assert "y_true tiene 3 elementos e y_pred 2" in message
    assert "items" not in message


@pytest.mark.parametrize("function", FUNCTIONS)
def test_length_mismatch_in_english(function, english):
    with pytest.raises(ValueError, match="y_true has 3 items and y_pred 2: they must match"):
        function([0, 1, 2], [0, 1])


@pytest.mark.parametrize("function", FUNCTIONS)
def test_empty_input(function):
    with pytest.raises(ValueError) as caught:
        function([], torch.tensor([], dtype=torch.int64))
    message = str(caught.value)
    assert "No hay predicciones" in message and "no predictions" not in message


@pytest.mark.parametrize("function", FUNCTIONS)
def test_empty_input_in_english(function, english):
    with pytest.raises(ValueError, match="There are no predictions to evaluate"):
        function([], torch.tensor([], dtype=torch.int64))
