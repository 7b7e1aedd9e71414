from . import Case, everyone  # noqa: F401

CASES: list[Case] = []
