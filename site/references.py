"""Where a lesson's words lead: the PyTorch documentation of its APIs and the papers it cites.

``API`` maps the name a lesson writes in code formatting (``nn.Dropout``, ``torch.load``)
to its page in the PyTorch documentation; ``PAPERS`` maps a cited author to the paper.
``further_reading`` writes the list that closes each lesson page: the documented APIs its
code uses and the papers its prose cites.
"""

from __future__ import annotations

import re

DOCS = "https://docs.pytorch.org/docs/stable/"
GEN = DOCS + "generated/"
MODULE = GEN + "torch.nn.Module.html#torch.nn.Module."
OPTIMIZER = GEN + "torch.optim.Optimizer."
API = {
    "torch.optim.SGD": GEN + "torch.optim.SGD.html",
    "torch.optim.Adam": GEN + "torch.optim.Adam.html",
    "torch.optim.AdamW": GEN + "torch.optim.AdamW.html",
    "nn.Linear": GEN + "torch.nn.Linear.html",
    "nn.Sequential": GEN + "torch.nn.Sequential.html",
    "nn.ReLU": GEN + "torch.nn.ReLU.html",
    "nn.Flatten": GEN + "torch.nn.Flatten.html",
    "nn.CrossEntropyLoss": GEN + "torch.nn.CrossEntropyLoss.html",
    "nn.Dropout": GEN + "torch.nn.Dropout.html",
    "F.dropout": GEN + "torch.nn.functional.dropout.html",
    "nn.BatchNorm1d": GEN + "torch.nn.BatchNorm1d.html",
    "nn.Parameter": GEN + "torch.nn.parameter.Parameter.html",
    "torch.no_grad": GEN + "torch.no_grad.html",
    "torch.manual_seed": GEN + "torch.manual_seed.html",
    "torch.save": GEN + "torch.save.html",
    "torch.load": GEN + "torch.load.html",
    "torch.get_rng_state": GEN + "torch.get_rng_state.html",
    "DataLoader": DOCS + "data.html#torch.utils.data.DataLoader",
    "Dataset": DOCS + "data.html#torch.utils.data.Dataset",
    "TensorDataset": DOCS + "data.html#torch.utils.data.TensorDataset",
    "random_split": DOCS + "data.html#torch.utils.data.random_split",
    "state_dict": MODULE + "state_dict",
    "load_state_dict": MODULE + "load_state_dict",
    "eval": MODULE + "eval",
    "train": MODULE + "train",
    "parameters": MODULE + "parameters",
    "zero_grad": OPTIMIZER + "zero_grad.html",
    "step": OPTIMIZER + "step.html",
    "backward": GEN + "torch.Tensor.backward.html",
}
# How a name is spelled in the code that uses it (the API is listed when this matches).
IN_CODE = {name: r"(?<!\w)" + re.escape(name.rsplit(".", 1)[-1]) + r"\(" for name in API}
IN_CODE["Dataset"] = r"\bDataset\)"  # a class of the lesson's own: class X(Dataset)
PAPERS = {
    "Ioffe": ("Ioffe & Szegedy (2015), Batch Normalization", "https://arxiv.org/abs/1502.03167"),
    "Santurkar": (
        "Santurkar et al. (2018), How Does Batch Normalization Help Optimization?",
        "https://arxiv.org/abs/1805.11604",
    ),
    "Gorman": (
        "Gorman, Williams & Fraser (2014), Ecological Sexual Dimorphism… (Pygoscelis)",
        "https://doi.org/10.1371/journal.pone.0090081",
    ),
    "Horst": (
        "Horst, Hill & Gorman (2020), palmerpenguins",
        "https://doi.org/10.5281/zenodo.3960218",
    ),
}
OWNER = {"Module": ("state_dict", "load_state_dict", "eval", "train", "parameters")}
OWNER |= {"Optimizer": ("zero_grad", "step"), "Tensor": ("backward",)}
TEXT = {
    "es": {"title": "Para saber más", "docs": "Documentación de PyTorch", "papers": "Artículos"},
    "en": {"title": "Further reading", "docs": "PyTorch documentation", "papers": "Papers"},
}


def api_url(literal: str) -> str | None:
    """The documentation page of a name written in code formatting, or None."""
    name = literal.strip().removesuffix("()")
    if name in API:
        return API[name]
    method = name.rsplit(".", 1)[-1]  # model.eval, optimizer.zero_grad, loss.backward
    return API.get(method) if "." in name and method in API and method.islower() else None


def label(name: str) -> str:
    """How the list names an API: a method with its class (``Module.eval()``)."""
    owner = next((cls for cls, methods in OWNER.items() if name in methods), None)
    return f"{owner}.{name}()" if owner else name


def apis_in(code: str) -> list[str]:
    """The documented APIs a lesson's code calls, in the order of ``API``."""
    return [name for name, pattern in IN_CODE.items() if re.search(pattern, code)]


def papers_in(prose: str) -> list[str]:
    """The cited authors (keys of ``PAPERS``) that a lesson's prose names."""
    return [author for author in PAPERS if re.search(rf"\b{author}\b", prose)]


def further_reading(lang: str, code: str, prose: str) -> str:
    """The Markdown section that closes a lesson: its APIs' documentation, its papers."""
    text = TEXT[lang]
    lines = [f"## {text['title']}", "", f"**{text['docs']}**:", ""]
    lines += [f"- [`{label(name)}`]({API[name]})" for name in apis_in(code)]
    papers = papers_in(prose)
    if papers:
        lines += ["", f"**{text['papers']}**:", ""]
        lines += [f"- [{PAPERS[key][0]}]({PAPERS[key][1]})" for key in papers]
    return "\n".join(lines) + "\n"
