"""answer stage of lindra."""
