"""`python3 cli.py …` from a checkout: the command line is engine/cli.py, which an installed tool
runs as `jinxiang-policy`."""
from engine.cli import main

if __name__ == "__main__":
    main()
