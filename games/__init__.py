"""Piiri's activities, one package each. Each registers in the ``piiri.games`` entry-point group."""
