"""The wire: what travels between Kartra and its callers, with no dependencies on the rest."""
