from . import comments, contests, plans, reading, sessions  # noqa: F401
