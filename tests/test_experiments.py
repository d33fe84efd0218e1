"""Lessons 03-04's models, training recipe and results table, against hand counts and PyTorch."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import experiments, models, seed, tables, train

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def tiny() -> TensorDataset:
    torch.manual_seed(0)
    return TensorDataset(torch.rand(200, 1, 28, 28), torch.randint(0, 10, (200,)))


def _count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def test_parameter_counts_match_a_hand_count():
    mlp = 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10
    assert mlp == 269_322 == _count(models.MLP()) == _count(models.MLPDropout())
    bn = mlp + 2 * (256 + 256)  # gamma and beta of two BatchNorm1d(256)
    assert bn == 270_346 == _count(models.MLPBatchNorm()) == _count(models.MLPSharedBN())


def _one_step(model: nn.Module) -> nn.Module:
    model(torch.rand(8, 1, 28, 28)).sum().backward()
    return model


def test_the_sources_bn_model_never_uses_bn2():
    shared = _one_step(models.MLPSharedBN())
    assert shared.bn2.weight.grad is None
    assert (shared.bn1.num_batches_tracked.item(), shared.bn2.num_batches_tracked.item()) == (2, 0)
    assert torch.equal(shared.bn2.running_mean, torch.zeros(256))
    fixed = _one_step(models.MLPBatchNorm())
    assert fixed.bn2.weight.grad is not None
    assert fixed.bn1.num_batches_tracked.item() == fixed.bn2.num_batches_tracked.item() == 1


def test_dropout_is_random_in_train_mode_only():
    model, X = models.MLPDropout(0.5), torch.rand(4, 1, 28, 28)
    assert not torch.equal(model.train()(X), model(X))
    assert torch.equal(model.eval()(X), model(X))


def _state(model: nn.Module) -> list[torch.Tensor]:
    return list(model.state_dict().values())


def test_train_model_is_the_lessons_loop_and_repeatable(tiny):
    generator = seed.seed_everything(3)  # lesson 03's training cell, written out
    by_hand = models.MLP()
    loader = DataLoader(tiny, batch_size=64, shuffle=True, generator=generator)
    optimizer = torch.optim.Adam(by_hand.parameters(), lr=0.001, fused=True)
    train.train_epoch(by_hand, loader, nn.CrossEntropyLoss(), optimizer)
    model, history = experiments.train_model(models.MLP, tiny, tiny, seed=3, num_epochs=1)
    assert all(map(torch.equal, _state(model), _state(by_hand)))
    assert list(history) == ["train_loss", "val_loss", "val_acc"]
    again, _h = experiments.train_model(models.MLP, tiny, seed=3, num_epochs=1)
    other, _h = experiments.train_model(models.MLP, tiny, seed=4, num_epochs=1)
    assert all(map(torch.equal, _state(model), _state(again)))
    assert not torch.equal(_state(model)[0], _state(other)[0])


def test_validating_does_not_change_the_dropout_masks(tiny):
    with_val, _h = experiments.train_model(models.MLPDropout, tiny, tiny, seed=0, num_epochs=2)
    without, _h = experiments.train_model(models.MLPDropout, tiny, seed=0, num_epochs=2)
    assert all(map(torch.equal, _state(with_val), _state(without)))


def test_train_model_trains_on_the_given_device_and_returns_the_model_on_the_cpu(tiny, monkeypatch):
    seen = []
    for name in ("train_epoch", "evaluate"):
        loop = getattr(train, name)
        monkeypatch.setattr(
            train, name, lambda *args, loop=loop: seen.append(args[-1]) or loop(*args)
        )
    where = torch.device("cpu")
    model, _h = experiments.train_model(models.MLP, tiny, tiny, seed=0, num_epochs=1, device=where)
    assert seen == [where, where]
    assert {p.device.type for p in model.parameters()} == {"cpu"}


def test_train_model_applies_weight_decay_and_reports_epochs(tiny, capsys):
    seen = []
    experiments.train_model(
        models.MLP, tiny, tiny, seed=0, num_epochs=2, weight_decay=0.5, verbose=True,
        on_epoch=lambda h: seen.append(len(h["train_loss"])),
    )  # fmt: skip
    assert seen == [1, 2]
    assert capsys.readouterr().out.startswith("epoch 1 · training loss ")
    plain, _h = experiments.train_model(models.MLP, tiny, seed=0, num_epochs=2)
    decayed, _h = experiments.train_model(models.MLP, tiny, seed=0, num_epochs=2, weight_decay=0.5)
    assert decayed.fc1.weight.norm() < plain.fc1.weight.norm()


def test_accuracy_in_both_modes_leaves_the_model_alone(tiny):
    model = _one_step(models.MLPBatchNorm())
    before = model.bn1.running_mean.clone()
    expected = train.evaluate(model, DataLoader(tiny, 64), nn.CrossEntropyLoss())[1]
    assert experiments.accuracy(model, tiny, "eval") == expected
    experiments.accuracy(model, tiny, "train")
    assert torch.equal(model.bn1.running_mean, before)
    mlp = models.MLP()
    assert experiments.accuracy(mlp, tiny, "train") == experiments.accuracy(mlp, tiny, "eval")
    with pytest.raises(ValueError, match="unknown evaluation mode 'test'"):
        experiments.accuracy(mlp, tiny, "test")


def test_results_reuse_trained_models(tiny, monkeypatch):
    calls = []
    real = experiments.train_model
    monkeypatch.setattr(
        experiments, "train_model", lambda *a, **k: calls.append(k["seed"]) or real(*a, **k)
    )
    done = models.MLPDropout()
    trained = {("dropout", 0): done}
    runs = experiments.results(
        ["baseline", "dropout"], [0, 1], tiny, tiny, 1, trained=trained, workers=0
    )
    assert calls == [0, 1, 1]  # baseline 0 and 1, dropout 1
    assert trained["dropout", 0] is done  # and the models it trained are added, to test one
    assert sorted(trained) == [("baseline", 0), ("baseline", 1), ("dropout", 0), ("dropout", 1)]
    assert len(runs) == 2 + 2 * 2  # dropout is scored in train and eval mode
    assert set(runs["mode"]) == {"train", "eval"}


def test_results_train_a_variant_with_the_class_given(tiny):
    built = []

    class Own(models.MLPBatchNorm):
        def __init__(self) -> None:
            super().__init__()
            built.append(type(self))

    runs = experiments.results(["baseline", "bn"], [0], tiny, tiny, 1, classes={"bn": Own})
    assert built and set(built) == {Own}  # the baseline keeps the course's MLP
    assert len(runs) == 1 + 2


def test_results_are_the_same_on_every_core_as_one_after_another(tiny):
    """Workers take the course's models and, by value, the class defined here (as a
    notebook's would be); every number equals the serial run's."""

    class Own(models.MLPBatchNorm):
        pass

    args = (["baseline", "l2", "bn"], [0, 1], tiny, tiny, 1)
    serial = experiments.results(*args, classes={"bn": Own}, workers=0)
    trained = {}
    parallel = experiments.results(*args, classes={"bn": Own}, workers=1, trained=trained)
    pd.testing.assert_frame_equal(serial, parallel)
    assert type(trained["bn", 1]) is Own  # sent by value, trained, handed back as the class
    assert len(serial) == 2 + 2 + 2 * 2


def test_runs_started_early_give_the_same_table(tiny, monkeypatch):
    """What experiments.start hands to the workers is collected, not trained again."""
    monkeypatch.setattr(experiments.runs, "workers", lambda device="cpu": 1)
    args = (["baseline", "l2"], [0, 1], tiny, tiny, 1)
    started = experiments.start(*args, skip={("baseline", 0)})
    assert sorted(started) == [("baseline", 1), ("l2", 0), ("l2", 1)]
    calls = []  # what trains in this process (a worker has its own, unpatched module)
    real = experiments.train_model
    monkeypatch.setattr(
        experiments, "train_model", lambda *a, **k: calls.append(k["seed"]) or real(*a, **k)
    )
    early = experiments.results(*args, started=started, workers=0)
    assert calls == [0]  # only the baseline's seed 0, which nothing started
    pd.testing.assert_frame_equal(early, experiments.results(*args, workers=0))


def test_nothing_starts_without_a_worker(tiny, monkeypatch):
    monkeypatch.setattr(experiments.runs, "workers", lambda device="cpu": 0)
    assert experiments.start(["baseline"], [0], tiny, tiny, 1) == {}


def test_train_model_tracks_the_training_images_in_evaluation_mode(tiny):
    model, history = experiments.train_model(
        models.MLPDropout, tiny, tiny, seed=0, num_epochs=2, track_train=True
    )
    assert list(history) == [
        "train_loss", "val_loss", "val_acc", "train_eval_loss", "train_eval_acc"
    ]  # fmt: skip
    assert history["train_eval_loss"] == history["val_loss"]  # same images, dropout off
    loss, acc = train.evaluate(model, DataLoader(tiny, 64), nn.CrossEntropyLoss())
    assert math.isclose(history["train_eval_loss"][-1], loss, rel_tol=1e-6)
    assert history["train_eval_acc"][-1] == acc


def test_train_model_takes_the_optimizer_class(tiny):
    args = dict(seed=0, num_epochs=1, weight_decay=1.0)
    coupled, _h = experiments.train_model(models.MLP, tiny, **args)
    decoupled, _h = experiments.train_model(
        models.MLP, tiny, optimizer_class=torch.optim.AdamW, **args
    )
    assert not torch.equal(coupled.fc1.weight, decoupled.fc1.weight)


@pytest.fixture
def runs() -> pd.DataFrame:
    """Three seeds; dropout's eval rows beat the baseline by 0.3, 0.2 and 0.4 points (paired,
    a real difference though the two rows' standard deviations overlap), l2's by +0.1, +0.2
    and -0.1 (not told apart from chance), and the train rows lose a full point in each."""
    rows = [("baseline", "eval", 0.970), ("baseline", "eval", 0.972), ("baseline", "eval", 0.974)]
    rows += [("l2", "eval", 0.971), ("l2", "eval", 0.974), ("l2", "eval", 0.973)]
    rows += [("dropout", "eval", 0.973), ("dropout", "eval", 0.974), ("dropout", "eval", 0.978)]
    rows += [("dropout", "train", 0.960), ("dropout", "train", 0.962), ("dropout", "train", 0.964)]
    frame = pd.DataFrame(rows, columns=["variant", "mode", "accuracy"])
    frame.insert(2, "seed", [0, 1, 2] * 4)
    return frame


def test_summary_is_mean_and_sample_std_in_percent(runs):
    table = tables.summary(runs)
    assert table.loc[("baseline", "eval"), "mean"] == pytest.approx(97.2)
    assert table.loc[("baseline", "eval"), "std"] == pytest.approx(0.2)  # n - 1 in the divisor
    assert table.loc[("dropout", "train"), "source"] == 96.96
    assert math.isnan(table.loc[("dropout", "eval"), "source"])
    shown = tables.show(table)
    assert list(shown.columns) == [
        "variant",
        "evaluated with",
        "validation accuracy (%)",
        "seeds",
        "source: test, one run (%)",
    ]
    assert shown.iloc[0].tolist() == ["baseline (mlp)", "eval()", "97.20 ± 0.20", 3, "97.69"]


def test_paired_is_the_mean_difference_per_seed_with_its_t_interval(runs):
    found = tables.paired(runs, ("dropout", "eval"))
    assert found.diff == pytest.approx(0.3)
    assert found.se == pytest.approx(0.1 / math.sqrt(3))  # the differences' std is 0.1
    assert found.low == pytest.approx(0.3 - 4.303 * 0.1 / math.sqrt(3))
    assert found.high == pytest.approx(0.3 + 4.303 * 0.1 / math.sqrt(3))
    assert found.seeds == 3
    shuffled = runs.sample(frac=1, random_state=0)  # pairs by seed, not by row order
    assert tables.paired(shuffled, ("dropout", "eval")) == pytest.approx(found)
    assert math.isnan(tables.paired(runs.iloc[::3], ("dropout", "eval")).se)


def test_t_quantiles_are_students():
    assert tables.t_975(2) == 4.303
    assert tables.t_975(11) == pytest.approx(2.201, abs=0.002)
    assert tables.t_975(30) == pytest.approx(2.042, abs=0.002)
    assert tables.t_975(1000) == pytest.approx(1.962, abs=0.002)


def test_verdicts_compare_the_paired_interval_with_zero(runs):
    lines = tables.verdicts(runs)
    assert lines == [
        "L2 (weight_decay=1e-5) · eval(): +0.07 points from the baseline, seed by seed "
        "(standard error 0.09; 95% interval: -0.31 to +0.45) → the interval contains 0: "
        "not told apart from chance",
        "dropout p=0.2 · eval(): +0.30 points from the baseline, seed by seed (standard error "
        "0.06; 95% interval: +0.05 to +0.55) → the interval excludes 0: the difference is real",
        "dropout p=0.2 · train() (as the source): -1.00 points from the baseline, seed by seed "
        "(standard error 0.00; 95% interval: -1.00 to -1.00) → the interval excludes 0: the "
        "difference is real",
    ]


def test_a_single_seed_has_no_interval(runs):
    lines = tables.verdicts(runs.iloc[::3])
    assert lines[1] == (
        "dropout p=0.2 · eval(): +0.30 points from the baseline; with a single seed "
        "there is no interval to compute"
    )
    assert tables.metrics(runs.iloc[::3])["baseline_eval_std"] == 0.0
    assert tables.choose(runs.iloc[::3]) == ("baseline", "eval")


def test_choose_keeps_the_baseline_unless_an_eval_row_is_clearly_better(runs):
    assert tables.choose(runs) == ("dropout", "eval")
    without_dropout = runs[runs["variant"] != "dropout"]
    assert tables.choose(without_dropout) == ("baseline", "eval")  # l2's interval contains 0
    train_only = runs.copy()
    train_only.loc[train_only["mode"] == "train", "accuracy"] += 0.05  # far above, in train()
    train_only = train_only[
        ~((train_only["variant"] == "dropout") & (train_only["mode"] == "eval"))
    ]
    assert tables.choose(train_only) == ("baseline", "eval")
    assert tables.label(("dropout", "train")) == "dropout p=0.2 · train() (as the source)"


def test_metrics_are_fractions_named_by_variant_and_mode(runs):
    found = tables.metrics(runs)
    assert found["dropout_train_mean"] == pytest.approx(0.962)
    assert found["baseline_eval_std"] == pytest.approx(0.002)
    assert found["dropout_train_gap"] == pytest.approx(-0.010)
    assert found["dropout_eval_se"] == pytest.approx(0.001 / math.sqrt(3))
    assert found["l2_eval_low"] < 0 < found["l2_eval_high"]
    assert found["dropout_eval_low"] > 0
    assert "baseline_eval_gap" not in found
    assert len(found) == 4 * 2 + 3 * 4


def _lesson_class(lesson: str, name: str) -> type:
    """Execute the cell of a lesson (solution version) that defines class ``name``."""
    from course_tools import build

    cells = build.solution(build.read(build.find_source(lesson))).cells
    namespace = {"torch": torch, "nn": nn, "F": torch.nn.functional}
    for needed in ("MyDropout", name):  # lesson 03's MLPDropout is built on the student's dropout
        code = [c.source for c in cells if c.cell_type == "code"]
        for source in (s for s in code if f"class {needed}(" in s):
            exec(source, namespace)
    return namespace[name]


@pytest.mark.parametrize(
    ("lesson", "name", "reference"),
    [
        ("03", "MLP", models.MLP),
        ("03", "MLPDropout", models.MLPDropout),
        ("04", "SourceMLPBN", models.MLPSharedBN),
        ("04", "MLPBatchNorm", models.MLPBatchNorm),
    ],
)
def test_the_lessons_models_are_the_tables_models(lesson, name, reference):
    """The table reuses models the lesson trained: same seed, same weights, same outputs (in
    training mode too, but for a dropout the student wrote, which draws its own masks)."""
    models = []
    for model_class in (_lesson_class(lesson, name), reference):
        torch.manual_seed(0)
        models.append(model_class())
    X = torch.rand(8, 1, 28, 28)
    for mode in (False,) if name == "MLPDropout" else (True, False):
        outputs = []
        for model in models:
            torch.manual_seed(1)
            outputs.append(model.train(mode)(X))
        assert torch.equal(*outputs)
    ours, theirs = (model.state_dict() for model in models)
    assert sorted(ours) == sorted(theirs)
    assert all(torch.equal(ours[key], theirs[key]) for key in ours)
