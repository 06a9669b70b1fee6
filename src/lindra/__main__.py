"""``python -m lindra`` runs the command-line interface."""

from lindra.interfaces.cli import main

if __name__ == "__main__":  # not when a worker process imports it (spawn)
    main()
