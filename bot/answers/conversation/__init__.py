"""Messages in plain words: intents that route to a command, the router the CLI uses,
conversation memory, /help and the /config switches."""
