"""``python -m root_access.simulator``: the same as ``root-access simulate``."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
