"""Kernels for headless runs: local sockets (IPC) where the system has them.

Nothing then listens on a TCP port, and the kernel has no reason to print its
"running over TCP without encryption" warning once per notebook. Windows has no
IPC transport and keeps TCP.
"""

from __future__ import annotations

import os

from jupyter_client.manager import AsyncKernelManager
from traitlets import default


class LocalKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernel talks over IPC on POSIX systems."""

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc" if os.name == "posix" else "tcp"
