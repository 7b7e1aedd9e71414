"""The activity metrics: which activities function computes each one.

Filled in as the activity families land; each entry names a function in activities.metrics.
"""

from __future__ import annotations

from .metrics import register

register()
