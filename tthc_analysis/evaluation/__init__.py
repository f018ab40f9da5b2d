"""Evaluation of the plan: evidence, task judgments, section roll-up, one ``evaluate()``.

- :mod:`~tthc_analysis.evaluation.params`: :class:`EvaluationParams`, the one parser of
  year, as-of date, period, window and units;
- :mod:`~tthc_analysis.evaluation.domains`: ``evaluate_<domain>`` and its typed result
  for dossiers, procedures, PAKN, 766, reports and the plan's tasks;
- :mod:`~tthc_analysis.evaluation.attribution`: the month or quarter of each evidence item;
- :mod:`~tthc_analysis.evaluation.evidence_rules`: evidence judged against its cadence;
- :mod:`~tthc_analysis.evaluation.indicators`: indicator values, targets and projections;
- :mod:`~tthc_analysis.evaluation.tasks`: the status of each of the plan's tasks;
- :mod:`~tthc_analysis.evaluation.evidence`: evidence per period against each cadence;
- :mod:`~tthc_analysis.evaluation.sections`: the roll-up of tasks into sections;
- :mod:`~tthc_analysis.evaluation.evaluate`: :func:`evaluate`, which orchestrates them.
"""
