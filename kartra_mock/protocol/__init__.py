"""The wire: what a Kartra client sends and what it reads back, with no dependency on the rest."""
