pytest_plugins = ["tests.discord_standin.fixtures", "tests.postgres"]
