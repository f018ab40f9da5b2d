"""Fake personal data for the synthetic exports: names, ID numbers, phones, e-mails.

Everything is invented: names are drawn from common Vietnamese family, middle and given
names; citizen ID numbers (CCCD) have 12 digits and start with 070, the code of Bình
Phước, followed by the sex/century digit and the year of birth; phone numbers are
``09xxxxxxxx``; addresses are in Bình Phước towns. Vectorised over numpy arrays.
"""

from __future__ import annotations

import numpy as np

from tthc_analysis.text import fold_ascii

__all__ = ["fake_people", "organisation_names"]

_SURNAMES = (
    ("Nguyễn", 31),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 4),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 3),
    ("Võ", 4),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 1),
    ("Điểu", 1),
)
_MIDDLE_M = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Gia", "Hoàng", "Công", "Tuấn")
_MIDDLE_F = ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bảo", "Khánh", "Thùy", "Phương")
_GIVEN_M = (
    "An", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hùng", "Huy", "Khang", "Khoa",
    "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phúc", "Quân", "Sơn", "Tâm", "Thắng", "Thịnh",
    "Trí", "Trung", "Tuấn", "Việt", "Vinh", "Vũ",
)  # fmt: skip
_GIVEN_F = (
    "Anh", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hiền", "Hoa", "Hương", "Lan",
    "Linh", "Loan", "Mai", "My", "Ngân", "Nhi", "Nhung", "Oanh", "Phương", "Quyên", "Thảo",
    "Thư", "Trang", "Trâm", "Uyên", "Vy", "Yến",
)  # fmt: skip
_STREETS = (
    "đường Phú Riềng Đỏ", "đường Hùng Vương", "đường Trần Hưng Đạo", "đường Lê Duẩn",
    "đường Nguyễn Huệ", "đường Quốc lộ 14", "đường Quốc lộ 13", "đường Trường Chinh",
    "đường Hai Bà Trưng", "đường Lý Thường Kiệt", "đường Nguyễn Văn Linh", "đường ĐT 741",
)  # fmt: skip
_PLACES = (
    ("phường Tân Phú", "thành phố Đồng Xoài", 12),
    ("phường Tân Bình", "thành phố Đồng Xoài", 8),
    ("phường Tân Xuân", "thành phố Đồng Xoài", 6),
    ("xã Tiến Hưng", "thành phố Đồng Xoài", 4),
    ("phường An Lộc", "thị xã Bình Long", 6),
    ("phường Hưng Chiến", "thị xã Bình Long", 3),
    ("phường Long Phước", "thị xã Phước Long", 4),
    ("phường Thác Mơ", "thị xã Phước Long", 3),
    ("phường Hưng Long", "thị xã Chơn Thành", 6),
    ("phường Minh Hưng", "thị xã Chơn Thành", 4),
    ("thị trấn Tân Phú", "huyện Đồng Phú", 4),
    ("thị trấn Thanh Bình", "huyện Bù Đốp", 2),
    ("thị trấn Lộc Ninh", "huyện Lộc Ninh", 4),
    ("thị trấn Tân Khai", "huyện Hớn Quản", 3),
    ("thị trấn Đức Phong", "huyện Bù Đăng", 4),
    ("xã Phú Riềng", "huyện Phú Riềng", 3),
    ("xã Bù Nho", "huyện Phú Riềng", 2),
    ("xã Thuận Lợi", "huyện Đồng Phú", 2),
    ("xã Đa Kia", "huyện Bù Gia Mập", 2),
)
_ORG_KINDS = (
    "Trường THPT",
    "Trường THCS và THPT",
    "Trung tâm Ngoại ngữ - Tin học",
    "Công ty TNHH Giáo dục",
    "Trường Mầm non",
    "Trung tâm Giáo dục nghề nghiệp",
)
_ORG_NAMES = (
    "Đồng Xoài", "Nguyễn Du", "Hùng Vương", "Lê Quý Đôn", "Chu Văn An", "Ánh Dương",
    "Tuổi Thơ", "Sao Mai", "Bình Long", "Phước Long", "Chơn Thành", "Lộc Ninh", "Trí Việt",
    "Hoa Sen", "Nam Mỹ", "Quang Trung",
)  # fmt: skip


def _compose(parts: list[np.ndarray], build) -> np.ndarray:
    """Strings built from index arrays, formatting each distinct combination once."""
    key = np.zeros(len(parts[0]), dtype=np.int64)
    for part in parts:
        key = key * (int(part.max(initial=0)) + 1) + part
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    combos = zip(*(p[first].tolist() for p in parts), strict=True)
    texts = np.array([build(*c) for c in combos], dtype=object)
    return texts[inverse.ravel()]


def _numbers(prefix: int, width: int, values: np.ndarray) -> np.ndarray:
    """``"0"`` + digits: ``prefix`` followed by ``values`` zero-padded to ``width``."""
    number = prefix * 10**width + values.astype(np.int64)
    return np.char.add("0", number.astype(str)).astype(object)


def organisation_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """Fake school, centre or company names ("Trường THPT Nguyễn Du")."""
    kind = rng.integers(0, len(_ORG_KINDS), size=n)
    name = rng.integers(0, len(_ORG_NAMES), size=n)
    return _compose([kind, name], lambda k, m: f"{_ORG_KINDS[k]} {_ORG_NAMES[m]}")


def fake_people(rng: np.random.Generator, n: int, min_birth: int = 1965, max_birth: int = 2009):
    """Draw ``n`` fake people.

    Returns:
        A dict of object arrays: ``name``, ``id_number`` (12-digit CCCD starting with
        070), ``phone`` (09xxxxxxxx), ``email``, ``address``.
    """
    female = rng.random(n) < 0.55
    weights = np.array([w for _, w in _SURNAMES], dtype="float64")
    surname = rng.choice(len(_SURNAMES), size=n, p=weights / weights.sum())
    given_all = _GIVEN_F + _GIVEN_M
    given = np.where(
        female,
        rng.integers(0, len(_GIVEN_F), size=n),
        len(_GIVEN_F) + rng.integers(0, len(_GIVEN_M), size=n),
    )
    middle_all = _MIDDLE_F + _MIDDLE_M
    middle = np.where(
        female,
        rng.integers(0, len(_MIDDLE_F), size=n),
        len(_MIDDLE_F) + rng.integers(0, len(_MIDDLE_M), size=n),
    )
    name = _compose(
        [surname, middle, given],
        lambda s, m, g: f"{_SURNAMES[s][0]} {middle_all[m]} {given_all[g]}",
    )
    birth = rng.integers(min_birth, max_birth + 1, size=n)
    yy = birth % 100
    century = np.where(birth >= 2000, 2, 0) + female.astype(int)
    id_number = _numbers(70 * 1000 + century * 100 + yy, 6, rng.integers(0, 10**6, size=n))
    phone = _numbers(9, 8, rng.integers(0, 10**8, size=n))

    surname_ascii = [fold_ascii(s) for s, _ in _SURNAMES]
    given_ascii = [fold_ascii(g) for g in given_all]
    domains = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com", "binhphuoc.edu.vn")
    domain = rng.integers(0, len(domains), size=n)
    email = _compose(
        [given, surname, yy, domain],
        lambda g, s, y, d: f"{given_ascii[g]}{surname_ascii[s]}{y:02d}@{domains[d]}",
    )
    house = rng.integers(1, 320, size=n)
    weights = np.array([p[2] for p in _PLACES], dtype="float64")
    place = rng.choice(len(_PLACES), size=n, p=weights / weights.sum())
    street = rng.integers(0, len(_STREETS), size=n)
    address = _compose(
        [house, street, place],
        lambda h, s, p: f"Số {h}, {_STREETS[s]}, {_PLACES[p][0]}, {_PLACES[p][1]}, tỉnh Bình Phước",
    )
    return {
        "name": name,
        "id_number": id_number,
        "phone": phone,
        "email": email,
        "address": address,
    }
