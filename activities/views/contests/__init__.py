"""Views of the contests family, one module per part."""
