"""Pick the fastest available device: CUDA, then Apple's MPS, then the CPU."""

from __future__ import annotations

import torch

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "using": {"es": "Usando el dispositivo: {name}", "en": "Using device: {name}"},
        "cpu": {"es": "CPU (no hay GPU disponible)", "en": "CPU (no GPU available)"},
    }
)


def pick(verbose: bool = True) -> torch.device:
    """Return ``cuda`` if present, else ``mps``, else ``cpu``; print one line saying which."""
    if torch.cuda.is_available():
        device, name = torch.device("cuda"), f"CUDA ({torch.cuda.get_device_name(0)})"
    elif torch.backends.mps.is_available():
        device, name = torch.device("mps"), "MPS (Apple)"
    else:
        device, name = torch.device("cpu"), _("cpu")
    if verbose:
        print(_("using", name=name))
    return device
