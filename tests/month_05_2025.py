"""Hand-made month 05/2025 (15/04/2025 – 14/05/2025, cut-off 14/05/2025): 18 dossiers.

Shared by ``tests/test_legal_rules.py`` (issue 12). Working days in the window (checked
against ``default_calendar()``): 15–18/04, 21–26/04 (Sat 26/04 is a swapped working day),
28–29/04, 05–09/05, 12–14/05. Days off: 30/04, 01/05, 02/05 (swapped for 26/04), the
weekends. Default rules: due date rolled forward (BLDS 2015 Art 148), outcomes compared
by date, original due date, more than one supplement request = overdue, withdrawn and
returned dossiers judged by their end date, "Dừng xử lý" = ended without a result.

Form 06 columns: (4) received online, (5) received in person/by post, (6) carried over;
(8) early, (9) on time, (10) overdue, (12) pending in time, (13) pending overdue.

====  ======  =========  ==============================================================
id    field   column     why
====  ======  =========  ==============================================================
M01   VB      none       refused at the counter (status refused_intake, DVCQG 3; TT
                         01/2018 form 03): not received (rule 1), counted apart
M02   VB      none       only registered online (DVCQG 1), no receipt/due date (rule 1)
M03   THI     (4) (12)   awaiting supplement since 23/04, due 28/04: the request came
                         before the due date, pending in time (ND 61/2018 Art 19(4))
M04   THI     (5) (13)   awaiting a financial obligation requested 05/05, after the due
                         date 29/04: the clock ran out before the request (rule 2)
M05   THI     (5) (12)   paused ("Tạm dừng") since 08/05, due 13/05 < cut-off 14/05: in
                         time (rule 2; today it would read overdue)
M06   VB      (4) (10)   paused 29/04 → resumed 05/05 = 1 working day (30/04–02/05 off,
                         not given back), finished 09/05 → effective 08/05 > due 06/05:
                         overdue. The calendar "6 days" would give 03/05, early (rule 2)
M07   VB      (5) (9)    received 25/04, due 30/04 (holiday) → 05/05; finished 05/05:
                         on time (rule 3, BLDS 2015 Art 148)
M08   THI     (4) (9)    due 12/05 17:00, finished 12/05 18:30: on time by date (default);
                         overdue with compare_by=timestamp (rule 7)
M09   VB      (4) (10)   withdrawn 25/04, due 23/04: judged by its end date, overdue
                         (rule 6, default by_date; on_time → (9); exclude → none)
M10   THI     (5) (8)    refused after assessment (rejected) 09/05, due 12/05: early
                         (returned without a result, by date)
M11   THI     (5) (9)    "Dừng xử lý" (stopped) on 24/04 = due 24/04: ended without a
                         result, on time by date
M12   VB      (6) (8)    received 10/04 (carried over), finished 16/04 < due 17/04
M13   THI     (6) (10)   received 08/04 (carried over), finished 18/04 > due 15/04
M14   VB      (4) (8)    online, finished 07/05 < due 08/05, result by public post:
                         full-online (ND 42/2022 Art 11, rule 8)
M15   THI     (4) (12)   processing, due 15/05 ≥ cut-off 14/05
M16   VB      (6) (13)   received 07/04, processing, due 10/04 < cut-off
M17   THI     (4) (10)   finished 24/04 < due 25/04 but two supplement requests (DVCQG)
M18   VB      (5) (9)    received 15/04 10:00 (first day), finished 22/04 15:00 = due
====  ======  =========  ==============================================================

Expected form 06 (rows in Vietnamese order, then the total)::

    field                 3   4   5   6   7   8   9  10  11  12  13
    Thi, tuyển sinh       9   4   4   1   5   1   2   2   4   3   1
    Văn bằng, chứng chỉ   7   3   2   2   6   2   2   2   1   0   1
    Tổng cộng            16   7   6   3  11   3   4   4   5   3   2
"""

from __future__ import annotations

from dossier_cases import P_THI, P_VB, THI, UNIT_GDPT, UNIT_QLCL, VB, canonical, ts

from tthc_analysis.periods import parse_period

MAY = parse_period("05", 2025)
"""Month 05/2025, official window 15/04/2025 – 14/05/2025."""

EXPECTED_FORM06 = {
    # field: (3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)
    THI: (9, 4, 4, 1, 5, 1, 2, 2, 4, 3, 1),
    VB: (7, 3, 2, 2, 6, 2, 2, 2, 1, 0, 1),
    "Tổng cộng": (16, 7, 6, 3, 11, 3, 4, 4, 5, 3, 2),
}

EXPECTED_OUTCOME = {
    "M03": "pending_in_time",
    "M04": "pending_overdue",
    "M05": "pending_in_time",
    "M06": "overdue",
    "M07": "on_time",
    "M08": "on_time",
    "M09": "overdue",
    "M10": "early",
    "M11": "on_time",
    "M12": "early",
    "M13": "overdue",
    "M14": "early",
    "M15": "pending_in_time",
    "M16": "pending_overdue",
    "M17": "overdue",
    "M18": "on_time",
}
"""Outcome of every received dossier at the cut-off (M01, M02 are not received)."""


def _row(dossier_id, code, field, unit, channel, status, received, due, completed, **extra):
    row = {
        "dossier_id": dossier_id,
        "procedure_code": code,
        "field": field,
        "unit": unit,
        "channel": channel,
        "status": status,
        "submitted_at": ts(received),
        "received_at": ts(received),
        "due_at": ts(due),
        "completed_at": ts(completed),
        "supplement_requests": 0,
        "is_digitized": True,
        "has_e_result": True,
        "reused_data": False,
        "synced_dvcqg": True,
        "has_apology": False,
    }
    for key, value in extra.items():
        row[key] = ts(value) if key.endswith("_at") else value
    return row


def may_rows() -> list[dict]:
    """The 18 dossiers of the module docstring, as canonical-row dicts."""
    return [
        _row("M01", P_VB, VB, UNIT_QLCL, "in_person", "refused_intake", "22/04/2025 09:00",
             "25/04/2025 17:00", "22/04/2025 09:30"),
        _row("M02", P_VB, VB, UNIT_QLCL, "online", "registered", None, None, None,
             submitted_at="12/05/2025 20:00"),
        _row("M03", P_THI, THI, UNIT_GDPT, "online", "awaiting_supplement", "21/04/2025 08:00",
             "28/04/2025 17:00", None, paused_at="23/04/2025 10:00", supplement_requests=1),
        _row("M04", P_THI, THI, UNIT_GDPT, "in_person", "awaiting_obligation",
             "22/04/2025 08:00", "29/04/2025 17:00", None, paused_at="05/05/2025 09:00"),
        _row("M05", P_THI, THI, UNIT_GDPT, "post", "paused", "06/05/2025 08:00",
             "13/05/2025 17:00", None, paused_at="08/05/2025 14:00"),
        _row("M06", P_VB, VB, UNIT_QLCL, "online", "returned", "22/04/2025 09:00",
             "06/05/2025 17:00", "09/05/2025 10:00", paused_at="29/04/2025 10:00",
             resumed_at="05/05/2025 08:00", supplement_requests=1, supplement_days=6.0,
             result_channel="online"),
        _row("M07", P_VB, VB, UNIT_QLCL, "in_person", "completed", "25/04/2025 09:00",
             "30/04/2025", "05/05/2025 10:00"),
        _row("M08", P_THI, THI, UNIT_GDPT, "online", "completed", "08/05/2025 09:00",
             "12/05/2025 17:00", "12/05/2025 18:30"),
        _row("M09", P_VB, VB, UNIT_QLCL, "online", "withdrawn", "16/04/2025 09:00",
             "23/04/2025 17:00", "25/04/2025 11:00", has_e_result=None),
        _row("M10", P_THI, THI, UNIT_GDPT, "in_person", "rejected", "05/05/2025 09:00",
             "12/05/2025 17:00", "09/05/2025 10:00"),
        _row("M11", P_THI, THI, UNIT_GDPT, "post", "stopped", "17/04/2025 09:00",
             "24/04/2025 17:00", "24/04/2025 16:00"),
        _row("M12", P_VB, VB, UNIT_QLCL, "online", "returned", "10/04/2025 09:00",
             "17/04/2025 17:00", "16/04/2025 10:00", result_channel="online"),
        _row("M13", P_THI, THI, UNIT_GDPT, "in_person", "completed", "08/04/2025 09:00",
             "15/04/2025 17:00", "18/04/2025 10:00"),
        _row("M14", P_VB, VB, UNIT_QLCL, "online", "returned", "05/05/2025 09:00",
             "08/05/2025 17:00", "07/05/2025 10:00", result_channel="post"),
        _row("M15", P_THI, THI, UNIT_GDPT, "online", "processing", "12/05/2025 09:00",
             "15/05/2025 17:00", None),
        _row("M16", P_VB, VB, UNIT_QLCL, "in_person", "processing", "07/04/2025 09:00",
             "10/04/2025 17:00", None),
        _row("M17", P_THI, THI, UNIT_GDPT, "online", "completed", "21/04/2025 09:00",
             "25/04/2025 17:00", "24/04/2025 10:00", supplement_requests=2,
             supplement_days=1.0),
        _row("M18", P_VB, VB, UNIT_QLCL, "in_person", "returned", "15/04/2025 10:00",
             "22/04/2025 17:00", "22/04/2025 15:00", result_channel="in_person"),
    ]  # fmt: skip


def may_dossiers():
    """The 18 dossiers as a canonical frame."""
    return canonical("dossiers", may_rows())
