"""search stage of lindra."""
