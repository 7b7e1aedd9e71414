"""README.md documents every environment variable that courtlearn/settings.py reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_from_the_environment_is_in_the_readme():
    settings_source = (ROOT / "courtlearn" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', settings_source))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert names and not missing, f"Document these in README.md's configuration table: {missing}"
    assert readme.index("make run") < readme.index("## Configuration")
