"""Allow ``python -m bonecoach``."""

from bonecoach.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
