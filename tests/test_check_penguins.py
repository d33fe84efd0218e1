"""Lesson 05's checks: correct answers in many styles pass, each usual mistake gets its id."""

from __future__ import annotations

import copy
import statistics

import pytest
import torch
import torch.nn.functional as F

from course_utils import checks, i18n, probes
from course_utils.checks import penguins as check
from course_utils.checks import spies
from course_utils.probes import penguins as probe
from course_utils.probes import record
from course_utils.probes.spies import SpyModel
from tests.student import diagnosis, judged, passes

pytestmark = pytest.mark.usefixtures("english")


# Correct epoch statistics (the four steps are given; the bookkeeping is the exercise).


def solution(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def lists_then_zip(model, loader, criterion, optimizer):
    model.train()
    losses, sizes, hits = [], [], []
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        sizes.append(len(y))
        hits.append((logits.argmax(1) == y).sum().item())
    n = sum(sizes)
    return sum(v * s for v, s in zip(losses, sizes, strict=True)) / n, sum(hits) / n


def tensor_counters(model, loader, criterion, optimizer):
    model.train()
    total, right = torch.tensor(0.0), torch.tensor(0)
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.detach() * X.shape[0]
        right += (logits.max(dim=1).indices == y).sum()
    n = len(loader.dataset)
    return total.item() / n, right.item() / n


def sum_reduction(model, loader, criterion, optimizer):
    model.train()
    summed, right, seen = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        summed += F.cross_entropy(logits.detach(), y, reduction="sum").item()
        right += int((logits.argmax(-1) == y).sum())
        seen += y.numel()
    return summed / seen, right / seen


def peeks_in_eval_mode(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            _after = model(X).argmax(1)  # a look at the updated model
        model.train()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


EPOCHS = [solution, lists_then_zip, tensor_counters, sum_reduction, peeks_in_eval_mode]


@pytest.mark.parametrize("student", EPOCHS, ids=lambda f: f.__name__)
def test_every_correct_epoch_passes(student):
    passes(check.train_epoch, student)


# Epoch mistakes, written as a student would make them.


def softmax_before_the_loss(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        probs = torch.softmax(logits, dim=1)  # the loss wants probabilities
        loss = criterion(probs, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (probs.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def never_zeroes_the_gradients(model, loader, criterion, optimizer):
    model.train()
    loss_sum, hits = 0.0, 0
    for X, y in loader:
        out = model(X)
        loss = criterion(out, y)
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * y.size(0)
        hits += (out.argmax(1) == y).sum().item()
    n = len(loader.dataset)
    return loss_sum / n, hits / n


def leaves_out_train_mode(model, loader, criterion, optimizer):
    stats = {"loss": 0.0, "right": 0, "seen": 0}
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        stats["loss"] += loss.item() * len(y)
        stats["right"] += (logits.argmax(dim=1) == y).sum().item()
        stats["seen"] += len(y)
    return stats["loss"] / stats["seen"], stats["right"] / stats["seen"]


def steps_once_after_the_loop(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    optimizer.step()  # one update per epoch
    return total_loss / n_samples, correct / n_samples


def mean_of_the_batch_losses(model, loader, criterion, optimizer):
    model.train()
    batch_losses, correct, seen = [], 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        batch_losses.append(loss.item())
        correct += (logits.argmax(dim=1) == y).sum().item()
        seen += len(y)
    return statistics.mean(batch_losses), correct / seen


def returns_the_last_loss(model, loader, criterion, optimizer):
    model.train()
    correct = 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        correct += (logits.argmax(dim=1) == y).sum().item()
    return loss.item(), correct / len(loader.dataset)


def forgets_to_divide_the_loss(model, loader, criterion, optimizer):
    model.train()
    running_loss, hits, count = 0.0, 0, 0
    for inputs, labels in loader:
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running_loss += loss.item() * inputs.shape[0]
        hits += (outputs.argmax(dim=1) == labels).sum().item()
        count += inputs.shape[0]
    return running_loss, hits / count


def adds_up_the_batch_means(model, loader, criterion, optimizer):
    model.train()
    loss_total, right, samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_total += loss.item()  # the batch's mean, not its sum
        right += (logits.argmax(dim=1) == y).sum().item()
        samples += y.numel()
    return loss_total / samples, right / samples


def keeps_the_loss_tensor(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct = 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
    return total_loss / len(loader.dataset), correct / len(loader.dataset)


def reports_the_accuracy_in_percent(model, loader, criterion, optimizer):
    model.train()
    epoch_loss, epoch_hits = 0.0, 0
    for features, species in loader:
        scores = model(features)
        loss = criterion(scores, species)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item() * len(species)
        epoch_hits += int((scores.argmax(1) == species).sum())
    n = len(loader.dataset)
    return epoch_loss / n, 100 * epoch_hits / n  # easier to read as a percentage


def mean_of_the_batch_accuracies(model, loader, criterion, optimizer):
    model.train()
    losses, sizes, accuracies = [], [], []
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item() * len(y))
        sizes.append(len(y))
        accuracies.append((logits.argmax(1) == y).float().mean().item())
    return sum(losses) / sum(sizes), sum(accuracies) / len(accuracies)


def divides_the_hits_by_the_batches(model, loader, criterion, optimizer):
    model.train()
    total_loss, hits = 0.0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        hits += (logits.argmax(dim=1) == y).sum().item()
    return total_loss / len(loader.dataset), hits / len(loader)


def counts_full_batches(model, loader, criterion, optimizer):
    model.train()
    total, correct, seen = 0.0, 0, 0
    for batch_X, batch_y in loader:
        logits = model(batch_X)
        loss = criterion(logits, batch_y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch_y)
        correct += (logits.argmax(dim=1) == batch_y).sum().item()
        seen += loader.batch_size  # every batch has batch_size samples
    return total / len(loader.dataset), correct / seen


def returns_the_hits(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct = 0.0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            total_loss += loss.item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
    return total_loss / len(loader.dataset), correct


def formats_the_accuracy(model, loader, criterion, optimizer):
    model.train()
    weighted, predictions, labels = [], [], []
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        weighted.append(loss.item() * len(y))
        predictions.append(logits.argmax(dim=1))
        labels.append(y)
    accuracy = (torch.cat(predictions) == torch.cat(labels)).float().mean().item()
    return sum(weighted) / len(loader.dataset), f"{accuracy:.1%}"


def compares_the_max_values(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.max(dim=1)[0] == y).sum().item()  # [0] is the values, not indices
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


EPOCH_MISTAKES = [
    (softmax_before_the_loss, "softmax"),
    (never_zeroes_the_gradients, "no_zero_grad"),
    (leaves_out_train_mode, "train_mode"),
    (steps_once_after_the_loop, "steps"),
    (mean_of_the_batch_losses, "per_batch_loss"),
    (returns_the_last_loss, "last_batch"),
    (forgets_to_divide_the_loss, "sum"),
    (adds_up_the_batch_means, "not_weighted"),
    (keeps_the_loss_tensor, "loss_tensor"),
    (reports_the_accuracy_in_percent, "percent"),
    (mean_of_the_batch_accuracies, "per_batch_acc"),
    (divides_the_hits_by_the_batches, "by_batches"),
    (counts_full_batches, "full_batches"),
    (returns_the_hits, "count"),
    (formats_the_accuracy, "accuracy_not_number"),
    (compares_the_max_values, "wrong_accuracy"),
]


@pytest.mark.parametrize(
    ("student", "expected"), EPOCH_MISTAKES, ids=lambda v: getattr(v, "__name__", v)
)
def test_each_epoch_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.train_epoch, student) == expected


def test_softmax_and_no_zero_grad_get_different_messages():
    softmax = check.train_epoch(softmax_before_the_loss).message
    no_zero_grad = check.train_epoch(never_zeroes_the_gradients).message
    assert "raw logits" in softmax and "pile up" in no_zero_grad


def test_several_mistakes_come_out_most_consequential_first():
    def no_zero_grad_batch_means_in_percent(model, loader, criterion, optimizer):
        model.train()
        losses, accuracies = [], []
        for X, y in loader:
            logits = model(X)
            loss = criterion(logits, y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            accuracies.append((logits.argmax(1) == y).sum().item())
        return sum(losses) / len(losses), 100 * sum(accuracies) / len(loader.dataset)

    result = check.train_epoch(no_zero_grad_batch_means_in_percent)
    assert result.diagnoses == ("no_zero_grad", "per_batch_loss", "percent")


def test_a_single_number_a_stub_and_a_crash():
    def one(model, loader, criterion, optimizer):
        return 0.5

    def stub(model, loader, criterion, optimizer):
        raise NotImplementedError()

    def crashes(model, loader, criterion, optimizer):
        return 1 / 0

    assert diagnosis(check.train_epoch, one) == "pair"
    assert check.train_epoch(stub).status == checks.TODO
    assert diagnosis(check.train_epoch, crashes) == "crashed"


# Correct evaluations.


def evaluate(model, loader):
    model.eval()
    correct, n_samples = 0, 0
    with torch.no_grad():
        for X, y in loader:
            correct += (model(X).argmax(dim=1) == y).sum().item()
            n_samples += len(y)
    return correct / n_samples


def inference_mode(model, loader):
    model.eval()
    with torch.inference_mode():
        preds = torch.cat([model(X).argmax(1) for X, _y in loader])
        labels = torch.cat([y for _X, y in loader])
    return (preds == labels).float().mean().item()


def train_false_and_dataset_length(model, loader):
    model.train(False)
    hits = 0
    with torch.no_grad():
        for features, species in loader:
            hits += (model(features).max(1)[1] == species).sum().item()
    return hits / len(loader.dataset)


def one_pass_over_all_the_data(model, loader):
    model.eval()
    X, y = loader.dataset.tensors
    with torch.no_grad():
        return (model(X).argmax(1) == y).float().mean().item()


@torch.no_grad()
def decorated(model, loader):
    model.eval()
    right = [(model(X).argmax(1) == y).sum().item() for X, y in loader]
    return sum(right) / len(loader.dataset)


EVALUATIONS = [evaluate, inference_mode, train_false_and_dataset_length,
               one_pass_over_all_the_data, decorated]  # fmt: skip


@pytest.mark.parametrize("student", EVALUATIONS, ids=lambda f: f.__name__)
def test_every_correct_evaluation_passes(student):
    passes(check.evaluate, student)


# Evaluation mistakes, written as a student would make them.


def never_switches_to_eval_mode(model, loader):
    correct, n_samples = 0, 0
    with torch.no_grad():
        for X, y in loader:
            correct += (model(X).argmax(dim=1) == y).sum().item()
            n_samples += len(y)
    return correct / n_samples


def switches_to_eval_mode_too_late(model, loader):
    with torch.no_grad():
        hits = sum((model(X).argmax(1) == y).sum().item() for X, y in loader)
    model.eval()
    return hits / len(loader.dataset)


def forgets_no_grad(model, loader):
    model.eval()
    right, seen = 0, 0
    for inputs, labels in loader:
        right += (model(inputs).argmax(dim=1) == labels).sum().item()
        seen += inputs.size(0)
    return right / seen


def scales_the_weights_as_with_dropout(model, loader):
    model.eval()
    with torch.no_grad():
        for weight in model.parameters():
            weight.mul_(1 - 0.2)  # at test time, weights times the keep probability
        hits = [(model(X).argmax(1) == y).sum().item() for X, y in loader]
    return sum(hits) / len(loader.dataset)


def evaluates_in_percent(model, loader):
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for X, y in loader:
            correct += (model(X).argmax(dim=1) == y).sum().item()
            total += len(y)
    return 100 * correct / total


def averages_the_batch_accuracies(model, loader):
    model.eval()
    accuracies = []
    with torch.no_grad():
        for X, y in loader:
            accuracies.append((model(X).argmax(1) == y).float().mean().item())
    return sum(accuracies) / len(accuracies)


def returns_the_last_batch_accuracy(model, loader):
    model.eval()
    with torch.no_grad():
        for X, y in loader:
            predictions = model(X).argmax(dim=1)
            accuracy = (predictions == y).float().mean().item()
    return accuracy


def returns_the_correct_count(model, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for X, y in loader:
            correct += (model(X).argmax(dim=1) == y).sum().item()
    return correct


def divides_by_the_number_of_batches(model, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for X, y in loader:
            correct += (model(X).argmax(dim=1) == y).sum().item()
    return correct / len(loader)


def returns_a_tensor(model, loader):
    model.eval()
    with torch.inference_mode():
        predictions = torch.cat([model(X).argmax(1) for X, _y in loader])
        labels = torch.cat([y for _X, y in loader])
    return (predictions == labels).float().mean()


EVALUATE_MISTAKES = [
    (never_switches_to_eval_mode, "eval_mode"),
    (switches_to_eval_mode_too_late, "eval_mode"),
    (forgets_no_grad, "no_grad"),
    (scales_the_weights_as_with_dropout, "changed"),
    (evaluates_in_percent, "percent"),
    (averages_the_batch_accuracies, "per_batch_acc"),
    (returns_the_last_batch_accuracy, "last_batch"),
    (returns_the_correct_count, "count"),
    (divides_by_the_number_of_batches, "by_batches"),
    (returns_a_tensor, "accuracy_tensor"),
]


@pytest.mark.parametrize(
    ("student", "expected"), EVALUATE_MISTAKES, ids=lambda v: getattr(v, "__name__", v)
)
def test_each_evaluation_mistake_gets_its_diagnosis(student, expected):
    assert diagnosis(check.evaluate, student) == expected


def test_an_evaluation_that_never_runs_the_model():
    assert diagnosis(check.evaluate, lambda model, loader: 0.5) == "no_forward"


def test_messages_follow_the_language_and_carry_no_english():
    i18n.set_language("es")
    message = check.evaluate(never_switches_to_eval_mode).message
    assert "llama a «model.eval()» antes de evaluar" in message
    message = check.train_epoch(keeps_the_loss_tensor).message
    assert message.startswith("❌ train_epoch: la pérdida es un tensor")


def test_the_problems_tell_the_mistakes_apart():
    """Every mistake gives a different number, far from the right one, on every problem
    the seeds draw (their batch sizes and right answers repeat, so a few seeds see all)."""
    shapes = set()
    for seed in range(100):
        p = probe.problem(seed)
        with torch.no_grad():
            calls = [{"x": X, "out": p.net(X)} for X, _y in p.loader()]
        sizes, right = zip(
            *[(n, r) for _loss, n, r in spies.per_batch(calls, p.loader())], strict=True
        )
        n, hits, count = sum(sizes), sum(right), len(sizes)
        assert sizes[0] == sizes[1] == p.batch_size > sizes[2]
        assert sorted(right[:2]) == [0, p.batch_size] and 0 < right[2] < sizes[2]
        shapes.add((sizes, right))
        per_batch = sum(r / s for r, s in zip(right, sizes, strict=True)) / count
        candidates = [hits / n, 100 * hits / n, per_batch, right[-1] / sizes[-1], hits / count,
                      hits / (p.batch_size * count), hits]  # fmt: skip
        assert min(abs(a - b) for i, a in enumerate(candidates) for b in candidates[i + 1 :]) > 0.01
    assert len(shapes) == 4 * len(probe.SIZES)


def test_a_correct_epoch_sees_the_predictions_of_the_problem():
    """Training for an epoch flips no prediction: the numbers above are what a loop sees."""
    for seed in range(40):
        p = probe.problem(seed)
        model = SpyModel(copy.deepcopy(p.net))
        solution(
            model,
            p.loader(),
            torch.nn.CrossEntropyLoss(),
            torch.optim.SGD(model.parameters(), p.lr),
        )
        with torch.no_grad():
            calls = [{"x": X, "out": p.net(X)} for X, _y in p.loader()]
        seen = spies.per_batch(model.record(), p.loader())
        assert [b[1:] for b in seen] == [b[1:] for b in spies.per_batch(calls, p.loader())]


# The problem comes from the seed.


@pytest.mark.parametrize("seed", [1, 2, 7, 12345])
def test_correct_answers_pass_on_other_problems(seed):
    for student in EPOCHS:
        assert judged(check.train_epoch, seed, student).passed, student.__name__
    for student in EVALUATIONS:
        assert judged(check.evaluate, seed, student).passed, student.__name__


def test_an_answer_copied_from_the_notebook_fails_on_another_problem():
    loss, accuracy = [v["value"] for v in check.train_epoch.probe(solution, seed=0)["result"]]

    def copied_epoch(model, loader, criterion, optimizer):
        solution(model, loader, criterion, optimizer)
        return loss, accuracy

    assert judged(check.train_epoch, 0, copied_epoch).passed
    assert judged(check.train_epoch, 1, copied_epoch).diagnosis == "wrong_loss"
    answer = check.evaluate.probe(evaluate, seed=0)["accuracy"]["value"]

    def copied_evaluation(model, loader):
        evaluate(model, loader)
        return answer

    assert judged(check.evaluate, 0, copied_evaluation).passed
    assert judged(check.evaluate, 1, copied_evaluation).diagnosis == "wrong_accuracy"


def test_a_record_no_probe_writes_is_refused():
    observed = probes.observe(check.evaluate.probe, (evaluate,), 0)
    observed["data"]["calls"][0]["x"] = "a tensor"
    with pytest.raises(record.Malformed):
        check.evaluate.verdict(0, observed)


def test_the_course_loops_cannot_stand_in():
    for exercise in (check.train_epoch, check.evaluate):
        assert {"course_utils.train", "course_utils.experiments"} <= set(exercise.forbidden)


# The evaluation's result is titled after the student's function.


def test_the_evaluation_is_titled_evaluate():
    result = check.evaluate(evaluate)
    assert result.exercise == "evaluate" and result.message.startswith("✅ evaluate:")
    assert diagnosis(check.evaluate, forgets_no_grad) == "no_grad"
    assert check.evaluate(forgets_no_grad).message.startswith("❌ evaluate:")


# The loss must come from the criterion the epoch is given.


def calls_cross_entropy_itself(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = F.cross_entropy(logits, y)  # the same thing, isn't it?
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def makes_its_own_criterion(model, loader, criterion, optimizer):
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()
    total, right = 0.0, 0
    for X, y in loader:
        out = model(X)
        loss = loss_fn(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += criterion(out, y).item() * len(y)  # the given one only for the statistics
        right += (out.argmax(1) == y).sum().item()
    return total / len(loader.dataset), right / len(loader.dataset)


@pytest.mark.parametrize("student", [calls_cross_entropy_itself, makes_its_own_criterion])
def test_a_loss_that_ignores_the_criterion_is_named(student):
    assert diagnosis(check.train_epoch, student) == "ignores_criterion"
    assert "criterion(logits, y)" in check.train_epoch(student).message


# A function that takes a device gets the CPU: a batch that never goes there is seen.


def moves_each_batch(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def moves_with_keywords(model, loader, criterion, optimizer, device):
    model.train()
    losses, hits, seen = 0.0, 0, 0
    for batch in loader:
        X, y = (t.to(device=device, non_blocking=True) for t in batch)
        out = model(X.float())
        loss = criterion(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses += loss.item() * len(y)
        hits += (out.argmax(1) == y).sum().item()
        seen += len(y)
    return losses / seen, hits / seen


def moves_where_the_model_is(model, loader, criterion, optimizer, device=None):
    device = next(model.parameters()).device if device is None else torch.device(device)
    model.to(device).train()
    total, right = torch.zeros((), device=device), 0
    for X, y in loader:
        X, y = torch.as_tensor(X, device=device), torch.as_tensor(y, device=device)
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.detach() * len(y)
        right += int((logits.argmax(-1) == y).sum())
    return total.item() / len(loader.dataset), right / len(loader.dataset)


def never_moves_the_batches(model, loader, criterion, optimizer, device="cpu"):
    model = model.to(device)  # the model goes, the batches stay
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def moves_only_the_inputs(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X.to(device))
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y.to(device)).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def moves_to_the_cpu(model, loader, criterion, optimizer, device="cpu"):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        X, y = X.cpu(), y.cpu()  # the device it was meant to be
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def evaluates_on_the_device(model, loader, device="cpu"):
    model.eval()
    correct = 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            correct += (model(X).argmax(dim=1) == y).sum().item()
    return correct / len(loader.dataset)


def evaluates_where_the_data_is(model, loader, device="cpu"):
    model.to(device).eval()
    correct = 0
    with torch.no_grad():
        for X, y in loader:
            correct += (model(X).argmax(dim=1) == y).sum().item()
    return correct / len(loader.dataset)


@pytest.mark.parametrize(
    "student", [moves_each_batch, moves_with_keywords, moves_where_the_model_is],
    ids=lambda f: f.__name__,
)  # fmt: skip
def test_every_way_of_moving_the_batches_passes(student):
    passes(check.train_epoch, student)
    assert judged(check.train_epoch, 3, student).passed


@pytest.mark.parametrize(
    "student", [never_moves_the_batches, moves_only_the_inputs, moves_to_the_cpu],
    ids=lambda f: f.__name__,
)  # fmt: skip
def test_batches_that_never_reach_the_device_are_named(student):
    assert check.train_epoch(student).diagnoses == ("device",)
    assert "move X and y with .to(device)" in check.train_epoch(student).message


def test_an_evaluation_that_takes_a_device_moves_the_batches():
    passes(check.evaluate, evaluates_on_the_device)
    assert check.evaluate(evaluates_where_the_data_is).diagnoses == ("device",)


def test_a_check_leaves_the_notebook_alone():
    """No random number drawn from the notebook's generator, no watching left behind."""
    x, state = torch.ones(3), torch.get_rng_state()
    check.train_epoch(moves_each_batch)
    check.evaluate(evaluates_on_the_device)
    assert torch.equal(torch.get_rng_state(), state)
    assert x.to("cpu") is x and not torch.overrides.has_torch_function_unary(x)


# The notebook's problem shows every other diagnosis too.


def skips_the_last_batch(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        if len(y) < loader.batch_size:
            break  # an incomplete batch would skew the statistics
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def swaps_the_loss_arguments(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(y, logits)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


def formats_the_loss(model, loader, criterion, optimizer):
    total_loss, correct = solution(model, loader, criterion, optimizer)
    return f"{total_loss:.3f}", correct


def weights_by_the_features(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * X.shape[1]  # the batch's size... or its width
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
    return total_loss / n_samples, correct / n_samples


@pytest.mark.parametrize(
    ("student", "expected"),
    [(skips_the_last_batch, "not_every_batch"), (swaps_the_loss_arguments, "wrong_tensors"),
     (formats_the_loss, "loss_not_number"), (weights_by_the_features, "wrong_loss")],
    ids=lambda v: getattr(v, "__name__", v),
)  # fmt: skip
def test_the_other_epoch_mistakes_are_named_on_the_notebook_problem(student, expected):
    assert diagnosis(check.train_epoch, student) == expected


# The whole loop is the student's: other orders and styles that are still correct.


def zero_grad_first(model, loader, criterion, optimizer):
    model.train()
    seen = hits = 0
    loss_sum = 0.0
    for inputs, targets in loader:
        optimizer.zero_grad(set_to_none=True)
        outputs = model(inputs)
        batch_loss = criterion(outputs, targets)
        batch_loss.backward()
        optimizer.step()
        loss_sum += batch_loss.item() * targets.shape[0]
        hits += (outputs.argmax(dim=1) == targets).sum().item()
        seen += targets.shape[0]
    return loss_sum / seen, hits / seen


def zero_grad_last_with_enumerate(model, loader, criterion, optimizer):
    model.train(True)
    totals = [0.0, 0, 0]
    for _i, (X, y) in enumerate(loader):
        logits = model(X)
        loss = criterion(logits, y)
        loss.backward()
        optimizer.step()
        model.zero_grad()
        totals[0] += float(loss) * len(y)
        totals[1] += int((logits.argmax(1) == y).sum())
        totals[2] += len(y)
    return totals[0] / totals[2], totals[1] / totals[2]


LOOPS = [zero_grad_first, zero_grad_last_with_enumerate]


@pytest.mark.parametrize("seed", [0, 1, 5])
@pytest.mark.parametrize("student", LOOPS, ids=lambda f: f.__name__)
def test_other_correct_loops_pass(student, seed):
    assert judged(check.train_epoch, seed, student).passed, student.__name__


def forgets_backward(model, loader, criterion, optimizer):
    model.train()
    total, right, n = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        optimizer.step()
        total += loss.item() * len(y)
        right += (logits.argmax(dim=1) == y).sum().item()
        n += len(y)
    return total / n, right / n


def forgets_step(model, loader, criterion, optimizer):
    model.train()
    total, right, n = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        total += loss.item() * len(y)
        right += (logits.argmax(dim=1) == y).sum().item()
        n += len(y)
    return total / n, right / n


def steps_before_backward(model, loader, criterion, optimizer):
    model.train()
    total, right, n = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.step()
        optimizer.zero_grad()
        loss.backward()
        total += loss.item() * len(y)
        right += (logits.argmax(dim=1) == y).sum().item()
        n += len(y)
    return total / n, right / n


@pytest.mark.parametrize(
    ("student", "expected"),
    [
        (forgets_backward, "no_update"),
        (forgets_step, "no_update"),
        (steps_before_backward, "steps"),
    ],  # fmt: skip
)
def test_a_loop_missing_or_misordering_a_step_is_named(student, expected):
    assert diagnosis(check.train_epoch, student) == expected
    assert judged(check.train_epoch, 2, student).diagnosis == expected
