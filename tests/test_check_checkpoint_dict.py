"""Lesson 06's ``save_checkpoint``/``load_checkpoint`` check: correct pairs written in
several styles pass, and each usual mistake, written as a student would, gets its own
diagnosis id."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import torch

from course_utils import checkpoint, checks, i18n
from course_utils.checks import checkpoint_dict as check
from course_utils.probes import checkpoint_dict as probe
from course_utils.probes import record
from tests.student import judged

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path, monkeypatch):
    """A save that ignores its path writes into a throwaway folder, not the repository."""
    monkeypatch.chdir(tmp_path)


def _check(save, load) -> checks.Result:
    return check.checkpoint_dict(save, load)


# Correct answers.


def textbook_save(path, model, optimizer, epoch, generator):
    checkpoint = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "epoch": epoch,
        "generator": generator.get_state(),
    }
    torch.save(checkpoint, path)


def textbook_load(path, model, optimizer, generator):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    generator.set_state(checkpoint["generator"])
    return checkpoint["epoch"]


def tutorial_save(path, model, optimizer, epoch, generator):
    torch.save(
        {
            "epoch": epoch,
            "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(),
            "rng_state": generator.get_state(),
        },
        path,
    )


def tutorial_load(path, model, optimizer, generator):
    ckpt = torch.load(path, map_location="cpu")  # weights_only=True is the default
    model.load_state_dict(ckpt["model_state_dict"], strict=True)
    optimizer.load_state_dict(ckpt["optimizer_state_dict"])
    generator.set_state(ckpt["rng_state"])
    epoch = ckpt["epoch"]
    return epoch


def tuple_save(path, model, optimizer, epoch, generator):
    torch.save((model.state_dict(), optimizer.state_dict(), epoch, generator.get_state()), path)


def tuple_load(path, model, optimizer, generator):
    weights, optim_state, epoch, rng = torch.load(path, weights_only=True)
    model.load_state_dict(weights)
    optimizer.load_state_dict(optim_state)
    generator.set_state(rng)
    return epoch


def nested_save(path, model, optimizer, epoch, generator):
    run = {"states": {"net": model.state_dict(), "adam": optimizer.state_dict()}}
    run["progress"] = {"epochs_done": torch.tensor(epoch), "shuffle": generator.get_state()}
    with open(path, "wb") as file:
        torch.save(run, file)


def nested_load(path, model, optimizer, generator):
    with open(path, "rb") as file:
        run = torch.load(file, weights_only=True)
    model.load_state_dict(run["states"]["net"])
    optimizer.load_state_dict(run["states"]["adam"])
    generator.set_state(run["progress"]["shuffle"])
    return int(run["progress"]["epochs_done"])


def bytes_save(path, model, optimizer, epoch, generator):
    buffer = io.BytesIO()
    torch.save(dict(weights=model.state_dict(), opt=optimizer.state_dict(), epoch=epoch,
                    gen=generator.get_state()), buffer)  # fmt: skip
    Path(path).write_bytes(buffer.getvalue())


def bytes_load(path, model, optimizer, generator):
    state = torch.load(io.BytesIO(Path(path).read_bytes()), weights_only=True)
    for target, key in ((model, "weights"), (optimizer, "opt")):
        target.load_state_dict(state[key])
    generator.set_state(state["gen"])
    return state["epoch"]


VARIANTS = [
    (textbook_save, textbook_load),
    (tutorial_save, tutorial_load),
    (tuple_save, tuple_load),
    (nested_save, nested_load),
    (bytes_save, bytes_load),
]


@pytest.mark.parametrize(("save", "load"), VARIANTS, ids=lambda f: f.__name__)
def test_every_correct_pair_passes(save, load):
    result = _check(save, load)
    assert result.passed, result.message


# Mistakes, each as a student would write it.


def writes_beside(path, model, optimizer, epoch, generator):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": epoch, "generator": generator.get_state()}, "checkpoint.pt")  # fmt: skip


def with_the_course_helper(path, model, optimizer, epoch, generator):
    checkpoint.save(path, model, optimizer, epoch=epoch, generator=generator)


def whole_objects(path, model, optimizer, epoch, generator):
    torch.save({"model": model, "optimizer": optimizer, "epoch": epoch, "generator": generator},
               path)  # fmt: skip


def whole_objects_load(path, model, optimizer, generator):
    state = torch.load(path, weights_only=False)
    model.load_state_dict(state["model"].state_dict())
    optimizer.load_state_dict(state["optimizer"].state_dict())
    generator.set_state(state["generator"].get_state())
    return state["epoch"]


def no_parentheses(path, model, optimizer, epoch, generator):
    torch.save({"model": model.state_dict, "optimizer": optimizer.state_dict, "epoch": epoch,
                "generator": generator.get_state}, path)  # fmt: skip


def the_generator_itself(path, model, optimizer, epoch, generator):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": epoch, "generator": generator}, path)  # fmt: skip


def everything_into_the_model(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state)
    optimizer.load_state_dict(state)
    generator.set_state(state["generator"])
    return state["epoch"]


def trusts_the_file(path, model, optimizer, generator):
    state = torch.load(path, weights_only=False)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    generator.set_state(state["generator"])
    return state["epoch"]


def only_the_optimizer_save(path, model, optimizer, epoch, generator):
    torch.save({"optimizer": optimizer.state_dict(), "epoch": epoch,
                "generator": generator.get_state()}, path)  # fmt: skip


def only_the_optimizer_load(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    optimizer.load_state_dict(state["optimizer"])  # its state_dict holds the parameters?
    generator.set_state(state["generator"])
    return state["epoch"]


def forgets_the_model(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    optimizer.load_state_dict(state["optimizer"])
    generator.set_state(state["generator"])
    return state["epoch"]


def weights_and_epoch_save(path, model, optimizer, epoch, generator):
    torch.save({"model": model.state_dict(), "epoch": epoch,
                "generator": generator.get_state()}, path)  # fmt: skip


def weights_and_epoch_load(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    generator.set_state(state["generator"])
    return state["epoch"]


def fresh_optimizer_kept(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    optimizer.load_state_dict(state["optimizer"])
    generator.set_state(state["generator"])
    return state["epoch"]


def no_generator_save(path, model, optimizer, epoch, generator):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": epoch}, path)  # fmt: skip


def no_generator_load(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    return state["epoch"]


def global_rng(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    torch.set_rng_state(state["generator"])
    return state["epoch"]


def returns_the_dict(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    generator.set_state(state["generator"])
    return state


def next_epoch(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    generator.set_state(state["generator"])
    return state["epoch"] + 1


def states_only_save(path, model, optimizer, epoch, generator):
    torch.save([model.state_dict(), optimizer.state_dict(), generator.get_state()], path)


def states_only_load(path, model, optimizer, generator):
    weights, optim_state, rng = torch.load(path, weights_only=True)
    model.load_state_dict(weights)
    optimizer.load_state_dict(optim_state)
    generator.set_state(rng)
    return 0


def misspelt_key(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optim"])
    generator.set_state(state["generator"])
    return state["epoch"]


MISTAKES = [
    (writes_beside, textbook_load, "no_file"),
    (with_the_course_helper, textbook_load, "uses_helper"),
    (whole_objects, whole_objects_load, "objects"),
    (no_parentheses, textbook_load, "method"),
    (the_generator_itself, textbook_load, "objects"),
    (textbook_save, everything_into_the_model, "whole_dict"),
    (textbook_save, trusts_the_file, "unsafe_load"),
    (only_the_optimizer_save, only_the_optimizer_load, "model_not_saved"),
    (textbook_save, forgets_the_model, "model_not_restored"),
    (weights_and_epoch_save, weights_and_epoch_load, "optimizer_not_saved"),
    (textbook_save, fresh_optimizer_kept, "optimizer_not_restored"),
    (no_generator_save, no_generator_load, "generator_not_saved"),
    (textbook_save, global_rng, "generator_not_restored"),
    (textbook_save, returns_the_dict, "epoch_not_number"),
    (textbook_save, next_epoch, "wrong_epoch"),
    (states_only_save, states_only_load, "epoch_not_saved"),
    (textbook_save, misspelt_key, checks.CRASHED),
]


@pytest.mark.parametrize(
    ("save", "load", "expected"), MISTAKES, ids=[f"{s.__name__}-{x}" for s, _l, x in MISTAKES]
)
def test_each_mistake_gets_its_diagnosis(save, load, expected):
    result = _check(save, load)
    assert result.status == checks.FAILED, f"{save.__name__}/{load.__name__} passed"
    assert result.diagnosis == expected, result.message


def weights_only_save(path, model, optimizer, epoch, generator):
    torch.save({"model": model.state_dict(), "epoch": epoch}, path)


def weights_only_load(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    return state["epoch"]


def test_every_missing_piece_is_listed():
    result = _check(weights_only_save, weights_only_load)
    assert result.diagnoses == ("optimizer_not_saved", "generator_not_saved")


def test_the_file_content_is_named():
    assert "Generator" in _check(the_generator_itself, textbook_load).message
    epoch = probe.problem(checks.NOTEBOOK_SEED).epoch
    assert f"returns {epoch + 1}" in _check(textbook_save, next_epoch).message


def next_epoch_save(path, model, optimizer, epoch, generator):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": epoch + 1, "generator": generator.get_state()}, path)  # fmt: skip


def zero_based_save(path, model, optimizer, epoch, generator):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "last_epoch": torch.tensor(epoch - 1), "generator": generator.get_state()},
               path)  # fmt: skip


def zero_based_load(path, model, optimizer, generator):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    generator.set_state(state["generator"])
    return int(state["last_epoch"])


def next_epoch_both_ways_load(path, model, optimizer, generator):
    return textbook_load(path, model, optimizer, generator) - 1


def test_an_epoch_stored_one_off_has_its_own_diagnosis():
    epoch = probe.problem(checks.NOTEBOOK_SEED).epoch
    result = _check(next_epoch_save, textbook_load)
    assert result.diagnoses == ("epoch_off_by_one",)
    assert f"the file stores {epoch + 1} as the epochs done, one off" in result.message
    assert _check(zero_based_save, zero_based_load).diagnosis == "epoch_off_by_one"
    assert _check(next_epoch_save, next_epoch_both_ways_load).passed  # consistent both ways
    i18n.set_language("es")
    assert "una de más o de menos" in _check(next_epoch_save, textbook_load).message


@pytest.mark.parametrize("seed", [1, 2, 3, 12345])
def test_correct_pairs_pass_on_other_seeds(seed):
    for save, load in VARIANTS:
        result = judged(check.checkpoint_dict, seed, save, load)
        assert result.passed, f"seed {seed}, {save.__name__}: {result.message}"


@pytest.mark.parametrize(
    ("save", "load", "expected"), MISTAKES[:-1], ids=lambda v: getattr(v, "__name__", v)
)
def test_mistakes_are_named_the_same_on_another_seed(save, load, expected):
    assert judged(check.checkpoint_dict, 3, save, load).diagnosis == expected


def test_the_problem_is_drawn_from_the_seed_so_a_copied_answer_fails():
    """A load that hands back the notebook's run, whatever the file says."""
    model, optimizer, generator = probe.trained(0)
    copied = (model.state_dict(), optimizer.state_dict(), generator.get_state())

    def load_copied(path, model, optimizer, generator):
        model.load_state_dict(copied[0])
        optimizer.load_state_dict(copied[1])
        generator.set_state(copied[2])
        return probe.problem(0).epoch

    assert judged(check.checkpoint_dict, 0, textbook_save, load_copied).passed
    assert judged(check.checkpoint_dict, 1, textbook_save, load_copied).status == checks.FAILED


def test_the_record_is_plain_data_read_from_the_file():
    data = check.checkpoint_dict.probe(tutorial_save, tutorial_load, seed=0)
    assert record.decode(record.encode(data)).keys() == data.keys()
    assert set(data["file"]) == {"epoch", "model_state_dict", "optimizer_state_dict", "rng_state"}
    assert data["returned"] == {"kind": "int", "tensor": False, "value": probe.problem(0).epoch}
    assert data["hidden_code_ran"] is False


def test_a_stub_is_todo():
    def load_checkpoint(path, model, optimizer, generator):
        raise NotImplementedError()

    assert _check(textbook_save, load_checkpoint).status == checks.TODO


def test_the_check_leaves_the_global_random_state_alone():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    _check(textbook_save, global_rng)
    assert torch.equal(torch.rand(3), expected)


def test_messages_follow_the_language():
    i18n.set_language("es")
    assert "generador" in _check(no_generator_save, no_generator_load).message
