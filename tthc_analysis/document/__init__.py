"""Administrative documents written from the evaluation (Word drafts of the reports)."""

from tthc_analysis.document.report import REPORT_KINDS, build_report, write_report

__all__ = ["REPORT_KINDS", "build_report", "write_report"]
