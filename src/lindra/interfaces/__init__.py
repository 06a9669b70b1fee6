"""interfaces stage of lindra."""
