"""A server's reading plan: where the group is, what comes next, spoiler control."""
