"""Views of the sessions family, split by feature."""

from . import attendance, calendars, core, exports, planning, rotas, series, shares  # noqa: F401
