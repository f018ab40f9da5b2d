"""tthc-analysis: evaluate a Sở GD&ĐT's plan for TTHC control and the one-stop mechanism.

The public API re-exported here is what notebooks use; everything else is reachable
through its module.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
