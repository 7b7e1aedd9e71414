from . import comments, contests, originality, plans, reading, sessions  # noqa: F401
