"""The benchmarks in bench/ still run: each on a tiny setting, in one subprocess.

``bench/run_all.py --smoke`` runs each script with a few batches, one seed and
lesson 00's quick profile in Spanish; the JSON each writes must have the expected
fields and sane values. Plus the hand-counted compute floor and bad options.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from course_utils.data import REPO_ROOT

BENCH = REPO_ROOT / "bench"
FORWARD_MACS = 784 * 256 + 256 * 256 + 256 * 10  # 268,800 per sample


@pytest.fixture(scope="module")
def smoke(tmp_path_factory, mnist_available) -> tuple:
    """Run every benchmark on its smoke setting once; return the output folder and stdout."""
    out = tmp_path_factory.mktemp("bench")
    command = [sys.executable, str(BENCH / "run_all.py"), "--smoke", "--out-dir", str(out)]
    done = subprocess.run(
        [*command, "--", "--threads", "1"], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out, done.stdout


def _json(smoke, name: str) -> dict:
    out, _stdout = smoke
    return json.loads((out / f"{name}.json").read_text())


@pytest.fixture
def bench(monkeypatch):
    """Make the bench/ scripts importable (they import each other by file name)."""
    monkeypatch.syspath_prepend(str(BENCH))


def test_epoch_time_writes_medians_ratios_floor_and_profile(smoke):
    result = _json(smoke, "epoch_time")
    assert {"source", "course", "before", "source_data", "course_data"} <= set(result["recipes"])
    macs = result["floor"]["macs_per_epoch"]
    assert macs == FORWARD_MACS * (3 * 256 + 64)
    assert 0 < result["floor"]["exact_macs_per_epoch"] < macs
    for clock in ("wall", "cpu"):
        timing = result[clock]
        assert set(timing["recipes"]) == set(result["recipes"])
        for recipe in timing["recipes"].values():
            assert len(recipe["seconds"]) == 1 and recipe["median_s"] > 0
            assert recipe["x_best_floor"] == pytest.approx(recipe["median_s"] / timing["floor_s"])
            own = timing["macs_per_s_medians"][f"same_shapes_{recipe['threads']}_threads"]
            assert recipe["x_floor"] == pytest.approx(recipe["median_s"] * own / macs)
        assert timing["recipes"]["source"]["speedup_vs_source"] == 1.0
        assert timing["floor_s"] == pytest.approx(macs / timing["macs_per_s_used"])
        assert set(timing["macs_per_s_medians"]) == {"same_shapes_1_threads", "big_gemm"}
    assert 0 < result["issue_2"]["pil_decode_transform_share"] < 2
    assert result["targets"]["speedup"] == result["wall"]["recipes"]["course"]["speedup_vs_source"]
    shares = result["profile"]["shares"]
    assert min(shares.values()) >= 0 and sum(shares.values()) == pytest.approx(1)
    assert result["machine"]["torch_threads"] == 1
    assert "| recipe | wall s | CPU s |" in smoke[1]


def test_accuracy_writes_mean_std_next_to_the_source(smoke):
    result = _json(smoke, "accuracy")
    rows = {(r["variant"], r["mode"]): r for r in result["summary"]}
    assert rows["baseline", "eval"]["source_pct"] == 97.69
    assert rows["bn_shared", "train"]["source_pct"] == 97.19
    assert rows["bn_shared", "eval"]["source_pct"] is None
    for row in rows.values():
        assert 0 <= row["mean_pct"] <= 100 and row["std_pct"] == 0 and row["seeds"] == 1
    assert result["setting"]["n_train"] == 256 and result["setting"]["n_test"] == 200
    assert set(result["seconds"]) == {"baseline", "bn_shared"}
    assert "test accuracy % (mean ± std)" in smoke[1]


def test_course_time_writes_seconds_per_notebook_and_totals(smoke):
    result = _json(smoke, "course_time")
    (run,) = result["runs"]
    assert (run["lesson"], run["lang"], run["profile"]) == ("00_welcome", "es", "quick")
    assert run["ok"] and run["seconds"] > 0
    assert result["totals"]["quick"] == {"all": run["seconds"], "es": run["seconds"]}
    assert result["targets"]["lesson_full_met"] is None  # the full profile did not run
    assert "total quick:" in smoke[1]
    assert "slowest - (not told by this run)" in smoke[1]


def test_grade_time_grades_solutions_to_full_marks_and_times_them(smoke):
    result = _json(smoke, "grade_time")
    assert result["results"]["full_marks"] is True
    assert result["results"]["seconds_per_notebook"] == pytest.approx(
        result["results"]["seconds"] / result["settings"]["notebooks"]
    )
    assert "target: <= 6.4 s per notebook" in smoke[1]


def test_course_time_prints_each_target_with_its_figure(bench):
    import course_time

    line = course_time.targets_line(
        {
            **course_time.TARGETS,
            "slowest_full_s": 61.2,
            "lesson_full_met": False,
            "course_full_s": 300.04,
            "course_full_met": True,
        }
    )
    assert "<= 60 s: slowest 61.2 s (NOT met)" in line
    assert "<= 480 s: 300.0 s (met)" in line


def test_floor_counts_multiply_adds_by_hand(bench):
    import floor

    assert floor.forward_macs() == FORWARD_MACS
    assert floor.epoch_macs(48_000, 12_000) == FORWARD_MACS * 156_000
    no_fc1_input_grad = 48_000 * 784 * 256
    assert floor.exact_epoch_macs(48_000, 12_000) == FORWARD_MACS * 156_000 - no_fc1_input_grad


@pytest.mark.parametrize(
    ("script", "argv", "message"),
    [
        ("epoch_time", ["--recipes", "course"], "--recipes must include 'source'"),
        ("epoch_time", ["--repeats", "0"], "must be 1 or more"),
        ("epoch_time", ["--n-train", "50000"], "must be at most 60000"),
        ("accuracy", ["--epochs", "0"], "--epochs must be 1 or more"),
        ("course_time", ["--lessons", "99"], "lesson '99' matches 0 sources"),
    ],
)
def test_bad_options_say_what_is_wrong(bench, capsys, script, argv, message):
    module = __import__(script)
    with pytest.raises(SystemExit) as exit_info:
        module.options(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_course_time_watchdog_stops_a_hung_kernel(bench):
    import course_time

    pretend_kernel = [sys.executable, "-c", "import time; time.sleep(60)", "ipykernel_launcher"]
    child = subprocess.Popen(pretend_kernel)
    course_time.watchdog(0.1)
    assert child.wait(timeout=30) != 0  # killed, not finished
