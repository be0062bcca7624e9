"""`python -m bot ...` is the same as the `readbot` console script."""

from bot.cli.entry import main

raise SystemExit(main())
