"""The daily study prompt: commands, the pool, rotation, scheduling rules and jobs."""
