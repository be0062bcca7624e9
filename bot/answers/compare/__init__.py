"""/compare <topic>: what each text says about a topic, side by side, disagreements marked."""
