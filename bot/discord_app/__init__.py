"""The Discord surface: app commands, rendering answers into embeds, views and error replies.

This package (and the tests) is the only place that imports discord.py. Nothing here decides
anything about the texts: a command parses its options, calls one function of ``bot.answers``,
renders the answer and sends it. Importing the package does no work; ``main.run_bot`` builds
everything.
"""
