#!/usr/bin/env python
"""Same as the ``lindung`` console command, for habit's sake."""

from lindung.cli import main

if __name__ == "__main__":
    main()
