"""Helpers for the bilingual hands-on PyTorch course.

Import modules, not names: ``from course_utils import data, plots``. Nothing
happens on import (no seeding, no global plot settings).
"""

__version__ = "0.1.0"
