"""Lessons 03-04's results table: mean ± std per variant and mode, the source's numbers beside
them, one verdict per row, and the figures the lessons record."""

from __future__ import annotations

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


def verdicts(table: pd.DataFrame, reference: tuple[str, str] = ("baseline", "eval")) -> list[str]:
    """One sentence per row: its gap to ``reference`` against the sum of both rows' std."""
    base = table.loc[reference]
    lines = []
    for (name, mode), row in table.drop(index=reference).iterrows():
        diff, spread = row["mean"] - base["mean"], row["std"] + base["std"]
        label = f"{_(name)} · {_(mode)}"
        if pd.isna(spread):
            lines.append(_("one_seed", row=label, diff=diff))
            continue
        judgement = _("larger" if abs(diff) > spread else "within")
        lines.append(_("verdict", row=label, diff=diff, spread=spread, judgement=judgement))
    return lines


def metrics(table: pd.DataFrame, reference: tuple[str, str] = ("baseline", "eval")) -> dict:
    """For ``report.record``, as fractions: ``{variant}_{mode}_mean`` and ``_std``, and for
    every other row ``_gap`` (its mean minus the reference's) and ``_spread`` (the sum of
    both standard deviations), the two numbers ``verdicts`` compares."""
    std = table["std"].fillna(0.0) / 100
    found = {}
    for (name, mode), row in table.iterrows():
        found[f"{name}_{mode}_mean"] = row["mean"] / 100
        found[f"{name}_{mode}_std"] = std[name, mode]
        if reference in table.index and (name, mode) != reference:
            found[f"{name}_{mode}_gap"] = (row["mean"] - table.loc[reference, "mean"]) / 100
            found[f"{name}_{mode}_spread"] = std[name, mode] + std[reference]
    return found
