"""sqlite-utils, imported the one way the store uses it.

sqlite-utils imports pandas and numpy whenever they are installed, only to
map their column types, which claimdesk never inserts: 300 ms and 100 MB at
every start. They are hidden while it loads and importable again after.
Every store module imports sqlite-utils from here.
"""

from __future__ import annotations

import sys

_hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
for _name in _hidden:
    sys.modules[_name] = None  # type: ignore[assignment]  # makes their import fail
try:
    import sqlite_utils
finally:
    for _name in _hidden:
        del sys.modules[_name]

__all__ = ["sqlite_utils"]
