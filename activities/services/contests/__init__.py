"""Writes for the contests family: contests and votes, judging, awards, the question bank,
quizzes and assessments. One module per part; views import from the module they need."""

from __future__ import annotations


class ActionRefused(Exception):
    """A write the rules do not allow now. The message says why, in words for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
