"""``python -m leitstern.coach`` runs the coach's command line (no Django needed)."""

from __future__ import annotations

import sys

from leitstern.coach.cli import main

sys.exit(main())
