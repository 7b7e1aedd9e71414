"""contests family: see the issue that builds it."""
