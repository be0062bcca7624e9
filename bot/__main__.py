"""`python -m bot ...` is the same as the `readbot` console script."""

from bot.cli.main import main

raise SystemExit(main())
