"""knowledge stage of lindra."""
