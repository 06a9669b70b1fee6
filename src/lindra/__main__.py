"""``python -m lindra`` runs the command-line interface."""

from lindra.interfaces.cli import main

main()
