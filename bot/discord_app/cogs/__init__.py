"""One cog per command family. A command parses its options, calls one answer function
through :class:`~bot.discord_app.replying.Replier`, and that is all."""
