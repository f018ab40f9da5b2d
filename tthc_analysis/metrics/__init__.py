"""Metrics: pure DataFrame-in, DataFrame-out computations on the loaded tables.

- :mod:`~tthc_analysis.metrics.dossiers`: each dossier's outcome at a cut-off;
- :mod:`~tthc_analysis.metrics.rates`: rates by month, unit, field and procedure;
- :mod:`~tthc_analysis.metrics.form06`: form 06/VPCP/KSTT;
- :mod:`~tthc_analysis.metrics.procedures`: publication and online coverage of the catalogue;
- :mod:`~tthc_analysis.metrics.feedback`: citizens' feedback (PAKN) and its time limits;
- :mod:`~tthc_analysis.metrics.index766`: Decision 766 scores and the estimate;
- :mod:`~tthc_analysis.metrics.submissions`: report submissions against their deadlines.

No module here opens a file: reference tables and settings are passed in.
"""
