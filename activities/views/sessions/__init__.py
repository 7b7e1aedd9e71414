"""Views of the sessions family, split by feature."""

from . import attendance, calendars, core, exports, holidays, leave, planning, rotas, series, shares  # noqa: F401
