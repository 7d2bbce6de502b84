"""``python -m paystar``: the ``paystar`` command (see :mod:`paystar.cli`)."""

from paystar.cli import main

if __name__ == "__main__":
    main()
