"""``python -m engine.screen URL ROOM``: run the shared screen as a process of its own."""

import sys

from engine.screen.client import main

sys.exit(main())
