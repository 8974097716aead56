"""Allow ``python -m bonecoach``."""

from bonecoach.cli.main import run

if __name__ == "__main__":
    run()
