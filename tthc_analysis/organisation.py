"""The issuing body of a document on a given date (cơ quan ban hành theo tổ chức hiện hành).

Bình Phước merged into Đồng Nai on 1/7/2025 (domain.md §0): a report dated after that day
is issued by the Department of the merged province, with the place name of the new
province. The dated list of bodies is the setting ``organisation.bodies`` (``name_vi``,
``valid_from``, ``valid_to``); :func:`issuing_body` reads it when present and otherwise falls back
to the body named in the plan's header (``plan.meta.issuer``), then to a generic
"Sở Giáo dục và Đào tạo".

Each body's ``name_vi`` ("Sở Giáo dục và Đào tạo tỉnh Đồng Nai") gives the body, its
parent ("UBND tỉnh Đồng Nai") and the place name of the date line ("Đồng Nai").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tthc_analysis.text import nfc

__all__ = ["IssuingBody", "in_force", "issuing_body"]

_DEFAULT_NAME = "Sở Giáo dục và Đào tạo"
_DEFAULT_ABBREVIATION = "SGDĐT"


@dataclass(frozen=True)
class IssuingBody:
    """The body that issues a document, as its header shows it.

    Attributes:
        name: The body ("Sở Giáo dục và Đào tạo").
        parent: The body it belongs to ("UBND tỉnh Bình Phước"), empty if unknown.
        place: The place name of the date line ("Bình Phước"), empty if unknown.
        abbreviation: The symbol used in the document number ("SGDĐT").
        source: Where it came from: ``setting``, ``plan`` or ``default``.
    """

    name: str
    parent: str = ""
    place: str = ""
    abbreviation: str = _DEFAULT_ABBREVIATION
    source: str = "default"


def _get(entry: Any, *keys: str, default: Any = None) -> Any:
    for key in keys:
        value = entry.get(key) if isinstance(entry, dict) else getattr(entry, key, None)
        if value not in (None, ""):
            return value
    return default


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def in_force(valid_from: date | None, valid_to: date | None, day: date) -> bool:
    """Whether a body (or unit) dated ``valid_from``–``valid_to`` exists on ``day``.

    ``None`` is an open end: since always, or still in force.
    """
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


def body_in_force(settings: Any, on: date) -> Any | None:
    """The entry of ``settings.organisation.bodies`` for ``on`` (None when there is none).

    The entry in force on ``on`` (the latest starting one if several); when none is (a
    gap, or a date before every entry), the latest entry started before ``on``, else the
    earliest one. The one rule of every issuing-body line (report header, form 06, Word
    draft).
    """
    organisation = getattr(settings, "organisation", None) if settings is not None else None
    bodies = list(getattr(organisation, "bodies", ()) or ())
    if not bodies:
        return None
    dated = sorted(bodies, key=lambda b: _as_date(_get(b, "valid_from")) or date.min)
    spans = [(_as_date(_get(b, "valid_from")), _as_date(_get(b, "valid_to"))) for b in dated]
    current = [b for b, (start, end) in zip(dated, spans, strict=True) if in_force(start, end, on)]
    if current:
        return current[-1]
    started = [b for b, (start, _) in zip(dated, spans, strict=True) if start and start <= on]
    return started[-1] if started else dated[0]


def _from_setting(settings: Any, on: date) -> IssuingBody | None:
    """The body of ``settings.organisation.bodies`` for ``on`` (:func:`body_in_force`)."""
    chosen = body_in_force(settings, on)
    if chosen is None:
        return None
    found = _from_issuer(str(_get(chosen, "name_vi", "name", default="")))
    if found is None:
        return None
    return IssuingBody(found.name, found.parent, found.place, found.abbreviation, "setting")


def _from_issuer(issuer: str) -> IssuingBody | None:
    """``"Sở Giáo dục và Đào tạo tỉnh Bình Phước"`` → body, parent and place."""
    issuer = nfc(" ".join((issuer or "").split()))
    if not issuer:
        return None
    match = re.match(r"^(.*?)\s+(tỉnh|thành phố)\s+(.+)$", issuer, flags=re.IGNORECASE)
    if not match:
        return IssuingBody(name=issuer, source="plan")
    name, kind, place = match.groups()
    parent = f"UBND {kind.lower()} {place}"
    return IssuingBody(name=name, parent=parent, place=place, source="plan")


def issuing_body(on: date, settings: Any = None, plan_meta: Any = None) -> IssuingBody:
    """The issuing body in force on ``on``.

    Args:
        on: The date of the document (report date).
        settings: Settings; its ``issuing_bodies`` list (when the setting exists) is used.
        plan_meta: The plan's metadata; its ``issuer`` is the fallback.

    Returns:
        The :class:`IssuingBody`: the setting's entry with the latest ``valid_from`` on or
        before ``on`` (the earliest entry if all start later), else the plan's issuer,
        else the generic Department.
    """
    found = _from_setting(settings, on)
    if found is not None:
        return found
    found = _from_issuer(getattr(plan_meta, "issuer", "") or "")
    return found or IssuingBody(name=_DEFAULT_NAME)
