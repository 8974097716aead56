"""bonecoach: a keyboard-first terminal coach for rebuilding bone density."""

from bonecoach.pydantic_plugins import switch_off as _switch_off_pydantic_plugins

__version__ = "0.1.0"

# Before any model is validated, in every process that imports bonecoach (pydantic_plugins: why).
_switch_off_pydantic_plugins()
