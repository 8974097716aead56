"""``bonecoach completion bash|zsh``: a tab-completion script for the shell, made from the parser.

shtab writes a static script from the argument parser: pressing tab runs no Python (argcomplete
would start bonecoach, its parser and its imports, on every press).
"""

from __future__ import annotations

import argparse
from typing import Any

SHELLS = ("bash", "zsh")


def add_parsers(sub: Any) -> None:
    """Add the ``completion`` command."""
    completion = sub.add_parser(
        "completion",
        help="print a tab-completion script for bash or zsh",
        description='Print a tab-completion script. bash: eval "$(bonecoach completion bash)" in ~/.bashrc; '
        'zsh: bonecoach completion zsh > "${fpath[1]}/_bonecoach".',
    )
    completion.add_argument("shell", choices=SHELLS)


def cmd_completion(args: argparse.Namespace) -> int:
    """Print the completion script for every command, subcommand and option."""
    import shtab

    from bonecoach.cli.main import build_parser

    print(shtab.complete(build_parser(), shell=args.shell), end="")
    return 0
