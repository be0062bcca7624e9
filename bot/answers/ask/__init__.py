"""Plain questions answered from the sentences of the texts (see engine.py for the flow)."""
