"""Hand-checked dossiers shared by the dossier, form 06, rates and ``tthc form06`` tests.

Period of reference: Quý I/2025, official window 15/12/2024 – 14/03/2025 (cut-off
14/03/2025). Days off used below: 01/01/2025; Tết 25/01–02/02/2025 (weekdays 27–31/01);
ordinary weekends. Working days are counted Art 147-style: (start, end].

Expected outcome of each dossier in Q1 (default rules: original due date, pause in
calendar days, more than one supplement request = overdue, rejected/withdrawn judged by
date):

=====  ==================  ========  ==========================================================
id     field               channel   outcome in Q1 (why)
=====  ==================  ========  ==========================================================
D01    Văn bằng, chứng chỉ online    on_time: finished 10/01 = due 10/01; 4 WD (7,8,9,10/01)
D02    Văn bằng, chứng chỉ in_person overdue: finished 16/01, due 15/01 (one day late); 3 WD
D03    Thi, tuyển sinh     online    early: finished 05/02 < due 07/02; 2 WD
D04    Thi, tuyển sinh     post      pending_in_time: finishes 18/03 after the cut-off;
                                     14/03 <= due 17/03
D05    Văn bằng, chứng chỉ in_person pending_overdue: no end; 14/03 > due 07/03 (5 WD late)
D06    Thi, tuyển sinh     online    carried over (received 10/12/2024), early: finished
                                     18/12/2024 < due 19/12/2024; 6 WD
D07    Văn bằng, chứng chỉ online    out of scope: received and finished before 15/12/2024
D08    Văn bằng, chứng chỉ online    out of scope: received 20/03/2025, after the period
D09    Văn bằng, chứng chỉ online    on_time: received Fri 24/01, 3-WD limit -> due 05/02
                                     (Tết), finished 05/02; 3 WD (3,4,5/02)
D10    Thi, tuyển sinh     in_person on_time: finished 17/01 (4 days after due 13/01) but
                                     waited 4 days for supplements -> 13/01; 5 WD
D11    Văn bằng, chứng chỉ online    overdue: due 22/01, rescheduled to 05/02 with an apology,
                                     finished 04/02 (early under the "rescheduled" policy);
                                     9 WD; 4 WD late (23, 24/01, 03, 04/02)
D12    Thi, tuyển sinh     post      overdue: two supplement requests (finished 21/02 - 1 day
                                     pause = 20/02 < due 24/02, early without that rule); 3 WD
D13    Văn bằng, chứng chỉ in_person overdue: withdrawn 10/03, due 07/03 (1 WD late); 5 WD
D14    (empty)             online    pending_in_time: no end; cut-off 14/03 = due 14/03;
                                     procedure 9.999999 is not in the catalogue
=====  ==================  ========  ==========================================================
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from hypothesis import strategies as st

from tthc_analysis.config import DossierRules, NoResultPolicy
from tthc_analysis.fields import DOSSIER_STATUS_CODES, dataset_fields
from tthc_analysis.periods import parse_period

VB = "Văn bằng, chứng chỉ"
THI = "Thi, tuyển sinh"
UNIT_QLCL = "Phòng Quản lý chất lượng"
UNIT_GDPT = "Phòng Giáo dục phổ thông"
P_VB = "1.000001"
P_THI = "1.000002"
P_UNKNOWN = "9.999999"


def ts(text: str | None) -> datetime | None:
    """``dd/mm/yyyy[ HH:MM]`` -> datetime (``None`` stays ``None``)."""
    if text is None:
        return None
    fmt = "%d/%m/%Y %H:%M" if " " in text else "%d/%m/%Y"
    return datetime.strptime(text, fmt)


def canonical(dataset: str, rows: list[dict]) -> pd.DataFrame:
    """A frame with exactly the canonical columns and dtypes of ``dataset``."""
    fields = dataset_fields(dataset)
    columns = {}
    for name, field in fields.items():
        values = [row.get(name) for row in rows]
        if field.kind in ("datetime", "date"):
            columns[name] = pd.Series(pd.to_datetime(values), dtype="datetime64[us]")
        else:
            columns[name] = pd.Series(values, dtype=field.dtype)
    return pd.DataFrame(columns)


def _dossier(dossier_id, code, field, unit, channel, received, due, completed, **extra) -> dict:
    row = {
        "dossier_id": dossier_id,
        "procedure_code": code,
        "field": field,
        "unit": unit,
        "channel": channel,
        "received_at": ts(received),
        "submitted_at": ts(received),
        "due_at": ts(due),
        "completed_at": ts(completed),
        "status": "completed" if completed else "processing",
        "supplement_requests": 0,
        "supplement_days": 0.0,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "079123456789",
        "applicant_phone": "0912345678",
    }
    for key, value in extra.items():
        row[key] = ts(value) if key.endswith("_at") else value
    return row


def dossier_rows() -> list[dict]:
    """The 14 dossiers of the module docstring, as canonical-row dicts."""
    on = {"is_digitized": True, "has_e_result": True, "reused_data": True, "synced_dvcqg": True}
    return [
        _dossier("D01", P_VB, VB, UNIT_QLCL, "online", "06/01/2025 09:00", "10/01/2025 17:00",
                 "10/01/2025 15:30", result_channel="online", has_e_result=True,
                 is_digitized=True, reused_data=True, synced_dvcqg=True, paid_online="yes"),
        _dossier("D02", P_VB, VB, UNIT_QLCL, "in_person", "13/01/2025 08:00", "15/01/2025 17:00",
                 "16/01/2025 09:00", is_digitized=True, has_e_result=False, synced_dvcqg=True,
                 paid_online="no", has_apology=False, overdue_reason="Hồ sơ phức tạp"),
        _dossier("D03", P_THI, THI, UNIT_GDPT, "online", "03/02/2025 10:00", "07/02/2025 17:00",
                 "05/02/2025 11:00", has_e_result=True, is_digitized=True, synced_dvcqg=True,
                 paid_online="yes"),
        _dossier("D04", P_THI, THI, UNIT_GDPT, "post", "10/03/2025 14:00", "17/03/2025 17:00",
                 "18/03/2025 09:00", synced_dvcqg=False),
        _dossier("D05", P_VB, VB, UNIT_QLCL, "in_person", "24/02/2025 09:00", "07/03/2025 17:00",
                 None, reused_data=True, synced_dvcqg=True),
        _dossier("D06", P_THI, THI, UNIT_GDPT, "online", "10/12/2024 09:00", "19/12/2024 17:00",
                 "18/12/2024 16:00", synced_dvcqg=True),
        _dossier("D07", P_VB, VB, UNIT_QLCL, "online", "01/12/2024 09:00", "06/12/2024 17:00",
                 "05/12/2024 10:00", result_channel="online", paid_online="yes", **on),
        _dossier("D08", P_VB, VB, UNIT_QLCL, "online", "20/03/2025 09:00", "27/03/2025 17:00",
                 "25/03/2025 10:00", result_channel="online", paid_online="yes", **on),
        _dossier("D09", P_VB, VB, UNIT_QLCL, "online", "24/01/2025 08:30", "05/02/2025 17:00",
                 "05/02/2025 10:00", has_e_result=True, is_digitized=False, synced_dvcqg=True,
                 paid_online="yes"),
        _dossier("D10", P_THI, THI, UNIT_GDPT, "in_person", "06/01/2025 10:00",
                 "13/01/2025 17:00", "17/01/2025 15:00", supplement_requests=1,
                 supplement_days=4.0, has_e_result=True, is_digitized=True, synced_dvcqg=True),
        _dossier("D11", P_VB, VB, UNIT_QLCL, "online", "15/01/2025 09:00", "22/01/2025 17:00",
                 "04/02/2025 16:00", rescheduled_due_at="05/02/2025 17:00", has_apology=True,
                 overdue_reason="Chờ xác minh văn bằng gốc", result_channel="in_person",
                 has_e_result=False, synced_dvcqg=True, paid_online="yes"),
        _dossier("D12", P_THI, THI, UNIT_GDPT, "post", "17/02/2025 09:00", "24/02/2025 17:00",
                 "21/02/2025 10:00", supplement_requests=2, supplement_days=1.0,
                 is_digitized=True, has_e_result=False, synced_dvcqg=True),
        _dossier("D13", P_VB, VB, UNIT_QLCL, "in_person", "03/03/2025 09:00",
                 "07/03/2025 17:00", "10/03/2025 09:00", status="withdrawn", synced_dvcqg=True,
                 paid_online="no_fee"),
        _dossier("D14", P_UNKNOWN, None, None, "online", "11/03/2025 09:00", "14/03/2025 17:00",
                 None, procedure_name="Thủ tục ngoài danh mục"),
    ]  # fmt: skip


def dossiers() -> pd.DataFrame:
    """The fixture dossiers as a canonical frame."""
    return canonical("dossiers", dossier_rows())


def procedures() -> pd.DataFrame:
    """Catalogue: 1.000001 (full online, eligible, fee, paper result); 1.000002 (partial,
    not eligible, no fee, no paper result). 9.999999 is missing on purpose."""
    return canonical(
        "procedures",
        [
            {
                "procedure_code": P_VB,
                "procedure_name": "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
                "field": VB,
                "unit": UNIT_QLCL,
                "online_level": "full",
                "eligible_full_online": True,
                "has_fee": True,
                "paper_result": True,
                "time_limit": 3.0,
                "time_limit_unit": "working_day",
            },
            {
                "procedure_code": P_THI,
                "procedure_name": "Phúc khảo bài thi tốt nghiệp THPT",
                "field": THI,
                "unit": UNIT_GDPT,
                "online_level": "partial",
                "eligible_full_online": False,
                "has_fee": False,
                "paper_result": False,
                "time_limit": 5.0,
                "time_limit_unit": "working_day",
            },
        ],
    )


# --- hypothesis strategies ------------------------------------------------------------

STATUSES = tuple(DOSSIER_STATUS_CODES)

_START = datetime(2024, 11, 1)


@st.composite
def dossier_sets(draw):
    n = draw(st.integers(0, 30))
    rows = []
    for i in range(n):
        received = _START + pd.Timedelta(hours=draw(st.integers(0, 24 * 200)))
        finished = draw(st.booleans())
        rows.append(
            {
                "dossier_id": f"X{i:03d}",
                "procedure_code": draw(st.sampled_from([P_VB, P_THI, P_UNKNOWN])),
                "channel": draw(st.sampled_from(["online", "in_person", "post"])),
                "unit": draw(st.sampled_from([UNIT_QLCL, UNIT_GDPT, None])),
                "result_channel": draw(st.sampled_from(["online", "in_person", None])),
                "paid_online": draw(st.sampled_from(["yes", "no", "no_fee", None])),
                "has_e_result": draw(st.sampled_from([True, False, None])),
                "is_digitized": draw(st.sampled_from([True, False, None])),
                "reused_data": draw(st.booleans()),
                "synced_dvcqg": draw(st.booleans()),
                "field": draw(st.sampled_from(["A", "B", None])),
                "received_at": received,
                "due_at": received + pd.Timedelta(days=draw(st.integers(0, 20))),
                "rescheduled_due_at": (
                    received + pd.Timedelta(days=draw(st.integers(0, 40)))
                    if draw(st.booleans())
                    else None
                ),
                "completed_at": (
                    received + pd.Timedelta(hours=draw(st.integers(0, 24 * 60)))
                    if finished
                    else None
                ),
                "supplement_requests": draw(st.integers(0, 3)),
                "supplement_days": draw(st.floats(0, 6, allow_nan=False)),
                # issue 12: every status, incl. not received and waiting ones
                "status": draw(st.sampled_from([None, *STATUSES])),
            }
        )
    return canonical("dossiers", rows)


PERIODS = st.sampled_from(
    [
        parse_period("q1", 2025),
        parse_period("02", 2025),
        parse_period("q1", 2025, "calendar"),
        parse_period("h1", 2025),
        parse_period("05/01/2025-20/02/2025", 2025),
    ]
)
_POLICY = st.sampled_from(["by_date", "on_time", "exclude"])
RULES = st.builds(
    DossierRules,
    rescheduled_due_policy=st.sampled_from(["original", "rescheduled"]),
    supplement_pause_unit=st.sampled_from(["calendar_days", "working_days"]),
    multiple_supplements_overdue=st.booleans(),
    rejected_withdrawn_on_time=st.booleans(),
    # the same policy for both uses, so form 06 and the rates count the same dossiers
    withdrawn=_POLICY.map(lambda p: NoResultPolicy(form06=p, index766=p)),
    returned_without_result=_POLICY.map(lambda p: NoResultPolicy(form06=p, index766=p)),
    stopped_as=st.sampled_from(["ended", "paused"]),
    compare_by=st.sampled_from(["date", "timestamp"]),
)


@st.composite
def catalogues(draw):
    """Catalogues of 0 to 2 of the fixture's procedures with random attributes."""
    rows = []
    for code in draw(st.sampled_from([[], [P_VB], [P_VB, P_THI]])):
        rows.append(
            {
                "procedure_code": code,
                "procedure_name": f"Thủ tục {code}",
                "field": draw(st.sampled_from([VB, THI, None])),
                "online_level": draw(st.sampled_from(["full", "partial", "none"])),
                "eligible_full_online": draw(st.sampled_from([True, False, None])),
                "has_fee": draw(st.sampled_from([True, False, None])),
                "paper_result": draw(st.sampled_from([True, False, None])),
            }
        )
    return canonical("procedures", rows)
