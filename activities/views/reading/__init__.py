"""Views of the reading family (书香法院), one module per part."""
