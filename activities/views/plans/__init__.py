"""Views of the plans family, one module per area."""

from . import compilations, monthly, outputs, qualifications, recruitment

__all__ = ["compilations", "monthly", "outputs", "qualifications", "recruitment"]
