"""/quote: finding, ranking, attributing and showing quotations."""
