"""/when and /timeline: dates as the texts state them."""
