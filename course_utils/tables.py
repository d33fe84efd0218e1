"""Lessons 03-04's results table: mean ± std per variant and mode over the seeds, on the
validation images, the source's published test figures beside them; each row compared with
the baseline seed by seed (paired), the model those comparisons choose, and their figures."""

from __future__ import annotations

import math
from typing import NamedTuple

import pandas as pd

from course_utils.experiments_text import _

# The source's published test accuracies (%), one run each, all measured without eval():
# for models without dropout or BatchNorm the mode makes no difference.
SOURCE = {
    ("baseline", "eval"): 97.69,
    ("l2", "eval"): 97.73,
    ("dropout", "train"): 96.96,
    ("bn_shared", "train"): 97.19,
}
REFERENCE = ("baseline", "eval")
# Student's t: the 0.975 quantile for 1 to 10 degrees of freedom (a 95 % two-sided interval).
T_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
         9: 2.262, 10: 2.228}  # fmt: skip


def t_975(dof: int) -> float:
    """The 0.975 quantile of Student's t with ``dof`` degrees of freedom (beyond the table,
    the Cornish-Fisher expansion around the normal's 1.96, within 0.0002)."""
    if dof in T_975:
        return T_975[dof]
    z = 1.959964
    terms = [
        (z**3 + z) / 4,
        (5 * z**5 + 16 * z**3 + 3 * z) / 96,
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
    ]
    return z + sum(term / dof**k for k, term in enumerate(terms, start=1))


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation (in %) per (variant, mode), next to the source's number."""
    table = df.groupby(["variant", "mode"], sort=False)["accuracy"].agg(["mean", "std", "count"])
    table[["mean", "std"]] *= 100
    table["source"] = [SOURCE.get(key, float("nan")) for key in table.index]
    return table


def show(table: pd.DataFrame) -> pd.DataFrame:
    """``summary`` ready to read: translated labels, ``mean ± std`` with two decimals."""
    spread = table["std"].map(lambda s: "" if pd.isna(s) else f" ± {s:.2f}")
    columns = [
        [_(v) for v, _m in table.index],
        [_(m) for _v, m in table.index],
        (table["mean"].map("{:.2f}".format) + spread).tolist(),
        table["count"].tolist(),
        table["source"].map(lambda s: "" if pd.isna(s) else f"{s:.2f}").tolist(),
    ]
    return pd.DataFrame(dict(zip(_("columns").split("|"), columns, strict=True)))


def label(key: tuple[str, str]) -> str:
    """A row's name as the table shows it: ``variant · mode``, translated."""
    name, mode = key
    return f"{_(name)} · {_(mode)}"


class Paired(NamedTuple):
    """A row minus a reference row, seed by seed, in points (%): the mean difference, its
    standard error, the 95 % t interval (NaN with a single seed) and the number of seeds."""

    diff: float
    se: float
    low: float
    high: float
    seeds: int


def paired(df: pd.DataFrame, row: tuple[str, str], reference: tuple[str, str] = REFERENCE):
    """Compare ``row`` with ``reference`` on the seeds both have: the difference in each seed,
    its mean, the standard error s/√n of that mean and mean ± t(n-1, 0.975)·s/√n."""
    by_seed = df.set_index(["variant", "mode", "seed"])["accuracy"].sort_index() * 100
    differences = (by_seed.loc[row] - by_seed.loc[reference]).dropna()
    n, diff = len(differences), float(differences.mean())
    if n < 2:
        return Paired(diff, math.nan, math.nan, math.nan, n)
    se = float(differences.std()) / math.sqrt(n)
    half = t_975(n - 1) * se
    return Paired(diff, se, diff - half, diff + half, n)


def verdicts(df: pd.DataFrame, reference: tuple[str, str] = REFERENCE) -> list[str]:
    """One sentence per row: its paired difference from ``reference`` and its 95 % interval."""
    lines = []
    for name, mode in summary(df).index:
        if (name, mode) == reference:
            continue
        found = paired(df, (name, mode), reference)
        if found.seeds < 2:
            lines.append(_("one_seed", row=label((name, mode)), diff=found.diff))
            continue
        judgement = _("within" if found.low <= 0 <= found.high else "larger")
        lines.append(_("verdict", row=label((name, mode)), **found._asdict(), judgement=judgement))
    return lines


def choose(df: pd.DataFrame, reference: tuple[str, str] = REFERENCE) -> tuple[str, str]:
    """The model to keep, by validation only: among the rows measured with ``eval()``, the one
    with the best mean whose whole 95 % paired interval is above ``reference``; if none is,
    ``reference`` (the simplest)."""
    table = summary(df)
    better = [
        key
        for key in table.index
        if key != reference and key[1] == "eval" and paired(df, key, reference).low > 0
    ]
    return max(better, key=lambda key: table.loc[key, "mean"]) if better else reference


def metrics(df: pd.DataFrame, reference: tuple[str, str] = REFERENCE) -> dict:
    """The table's figures as fractions: ``{variant}_{mode}_mean`` and ``_std``, and for every
    other row ``_gap`` (the paired mean difference from ``reference``), ``_se``, ``_low`` and
    ``_high`` (its standard error and 95 % interval, NaN with one seed)."""
    table = summary(df)
    found = {}
    for (name, mode), row in table.iterrows():
        found[f"{name}_{mode}_mean"] = row["mean"] / 100
        found[f"{name}_{mode}_std"] = 0.0 if pd.isna(row["std"]) else row["std"] / 100
        if reference in table.index and (name, mode) != reference:
            pair = paired(df, (name, mode), reference)
            for key in ("gap", "se", "low", "high"):
                value = pair.diff if key == "gap" else getattr(pair, key)
                found[f"{name}_{mode}_{key}"] = value / 100
    return found
