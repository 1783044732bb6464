"""``python -m root_access.cli``."""

import sys

from root_access.cli import main

sys.exit(main())
