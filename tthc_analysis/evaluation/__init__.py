"""Evaluation of the plan: evidence, task judgments, section roll-up, one ``evaluate()``.

- :mod:`~tthc_analysis.evaluation.evidence`: evidence per period against each cadence;
- :mod:`~tthc_analysis.evaluation.tasks`: the status of each of the plan's tasks;
- :mod:`~tthc_analysis.evaluation.sections`: the roll-up of tasks into sections;
- :mod:`~tthc_analysis.evaluation.evaluate`: :func:`evaluate`, which orchestrates them.
"""
