"""Every notebook executes top to bottom on the bundled sample, each in a fresh kernel.

As in a review build: the parameters are injected after the ``parameters`` cell
(``interactive=False``), the kernels get the review environment, and the evaluation is
computed once (per test worker) and shared with the kernels through the context pickle.
One notebook also runs as in JupyterLab (defaults, ``interactive=True``, its own
evaluation) to check that the widgets build. One test per notebook, so pytest-xdist
spreads them over the workers.
"""

from __future__ import annotations

import os
import re

import nbformat
import pytest
from nbclient import NotebookClient

from tthc_analysis.config import NOTEBOOKS_DIR
from tthc_analysis.review.runner import KERNEL_ENV, inject_parameters
from tthc_analysis.views.context import (
    CONTEXT_ENV,
    DATA_ENV,
    ReviewParams,
    compute_context,
    save_context,
)

pytestmark = pytest.mark.slow

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IMAGE = 'src="data:image/png;base64,'

# Text each executed notebook must show, and the least number of charts it draws.
EXPECTED = {
    "00_tong_quan": (["Tiến độ thực hiện theo từng phần của kế hoạch", "Cần chú ý",
                      "Chất lượng dữ liệu đầu vào theo bộ dữ liệu", "Phần VIII"], 3),
    "01_chi_tieu_cai_cach": (["Thông báo kết quả Bộ chỉ số 766 hằng tháng (nhiệm vụ I.4)",
                              "tháng 08/2025 (nhiệm vụ I.4)"], 4),
    "02_kiem_soat_quy_dinh": (["TTHC sửa đổi, bổ sung hoặc bãi bỏ",
                               "PAKN về quy định hành chính theo đơn vị"], 0),
    "03_nghiep_vu": (["Tập huấn nghiệp vụ kiểm soát TTHC theo quý", "Quý IV/2025"], 0),
    "04_cong_bo_cong_khai": (["Công bố, công khai TTHC và quy trình nội bộ", "1.004831"], 1),
    "05_ra_soat_don_gian_hoa": (["Nhiệm vụ có thời hạn hoàn thành",
                                 "Hoàn thành ngày 15/07/2025"], 0),
    "06_mot_cua": (["Biểu số 06/VPCP/KSTT", "Hồ sơ quá hạn theo đơn vị",
                    "Gửi thư xin lỗi và hẹn lại ngày trả kết quả"], 7),
    "07_phan_anh_kien_nghi": (["Phản ánh, kiến nghị theo đơn vị", "PAKN-2025-0018",
                               "Quý III/2025"], 1),
    "08_bao_cao": (["Báo cáo định kỳ về kiểm soát TTHC trong năm", "Trễ 4 ngày làm việc"], 1),
    "09_chuyen_doi_so": (["TTHC đủ điều kiện nhưng chưa cung cấp dịch vụ công trực tuyến "
                          "toàn trình", "1.005093"], 5),
    "10_tong_ket_nam": (["Kết quả thực hiện các chỉ tiêu của kế hoạch", "Kiến nghị, đề xuất",
                         "GIÁM ĐỐC", "Phần IX. "], 5),
}  # fmt: skip


@pytest.fixture(scope="session")
def shared_context(tmp_path_factory):
    """The evaluation of the default parameters, pickled for the kernels (as a build does)."""
    params = ReviewParams.resolve(2025, "2025-12-31", "year")
    path = tmp_path_factory.mktemp("context") / "context.pkl"
    save_context(compute_context(params), path)
    return params, path


def _execute(nb, env: dict[str, str], cwd=NOTEBOOKS_DIR):
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        startup_timeout=120,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(env=env, cwd=str(cwd))
    return nb


def _outputs(nb) -> list:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def _text(outputs) -> str:
    parts = []
    for out in outputs:
        data = out.get("data", {})
        parts.append(data.get("text/html", "") or data.get("text/plain", ""))
        parts.append(out.get("text", ""))
    return re.sub(r"&amp;", "&", "\n".join(parts))


def _problems(outputs) -> list[str]:
    found = []
    for out in outputs:
        if out.output_type == "error":
            found.append(f"{out.ename}: {out.evalue}")
        elif out.output_type == "stream" and out.name == "stderr":
            found.append(out.text)
    return found


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_executes_on_the_sample_as_in_a_review_build(name, shared_context):
    params, context_path = shared_context
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    nb = inject_parameters(nb, params.notebook_parameters())
    env = {**os.environ, **KERNEL_ENV, CONTEXT_ENV: str(context_path)}
    env[DATA_ENV] = str(params.data_dir)  # the parameter is the folder's name, as in a build
    outputs = _outputs(_execute(nb, env))

    assert _problems(outputs) == []
    text = _text(outputs)
    headings, n_images = EXPECTED[name]
    for heading in headings:
        assert heading in text, heading
    assert text.count(IMAGE) >= n_images
    assert not any(WIDGET_MIME in out.get("data", {}) for out in outputs)  # static view
    assert "Đơn vị: tất cả các phòng" in text
    # The data cells (tagged "workbench", hidden in the report) ran too and show tables.
    data_cells = [c for c in nb.cells if "workbench" in c.metadata.get("tags", [])]
    if name != "10_tong_ket_nam" or data_cells:
        assert data_cells and all(c.outputs for c in data_cells), name


def test_exploration_notebook_runs_and_writes_its_excel_files(tmp_path):
    """The exploration notebook as an analyst runs it in JupyterLab (its defaults)."""
    import zipfile

    nb = nbformat.read(NOTEBOOKS_DIR / "kham_pha_du_lieu.ipynb", as_version=4)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTHC_")}
    env["MPLBACKEND"] = KERNEL_ENV["MPLBACKEND"]
    outputs = _outputs(_execute(nb, env, cwd=tmp_path))

    assert _problems(outputs) == []
    text = _text(outputs)
    assert "Ngày tiếp nhận" in text or "received_at" in text  # the field dictionary
    assert "15/02/2025" in text and "01/03/2025" in text  # the two windows of March
    assert text.count(IMAGE) + sum("image/png" in o.get("data", {}) for o in outputs) >= 1
    written = sorted(p.name for p in (tmp_path / "xuat").iterdir())
    assert written == ["ho_so_qua_han_quy_1.xlsx", "ty_le_theo_thu_tuc_va_kenh.xlsx"]
    for name in written:
        with zipfile.ZipFile(tmp_path / "xuat" / name) as book:
            sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
            assert sheet.count("<row ") >= 2  # a header and at least one row


def test_notebook_builds_its_widgets_when_interactive():
    nb = nbformat.read(NOTEBOOKS_DIR / "06_mot_cua.ipynb", as_version=4)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTHC_")}
    env["MPLBACKEND"] = KERNEL_ENV["MPLBACKEND"]
    outputs = _outputs(_execute(nb, env))

    assert _problems(outputs) == []
    assert sum(WIDGET_MIME in out.get("data", {}) for out in outputs) == 1  # the explorer
    text = _text(outputs)
    assert "Số liệu chốt đến ngày 31/12/2025" in text  # full header outside a build
    assert "Dữ liệu mẫu giả lập" in text
    assert "Dòng 1–" in text or "tthc-table" in text  # tables shown
