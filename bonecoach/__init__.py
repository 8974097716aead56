"""bonecoach: a keyboard-first terminal coach for rebuilding bone density."""

__version__ = "0.1.0"
