"""The one error the pure vocabulary raises for something a person typed."""

from __future__ import annotations


class InputError(ValueError):
    """Text that cannot be read as what was asked for. The message says what is wrong and how to
    write it, in words a person can act on; forms turn it into a field error unchanged."""
