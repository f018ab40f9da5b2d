"""``python -m tthc_analysis`` runs the ``tthc`` command line."""

from tthc_analysis.cli import main

if __name__ == "__main__":
    main()
