"""language stage of lindra."""
