"""Report files of every format, written for these tests (invented figures, no real report's text).

Each one carries the hard part of its format: page chrome (HTML), a department issuer whose body
says only 我局 (DOCX), lines broken mid-sentence plus running headers and page numbers (PDF),
Traditional script (TXT), no title line at all so the file name must speak (Markdown).
"""
from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "reports"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

DOCX_TITLE = "湖州市生态环境局2023年度法治政府建设工作情况报告"
DOCX_PARAGRAPHS = [
    "2023年，我局坚持把依法行政贯穿生态环境保护工作全过程，现将有关情况报告如下。",
    "一、主要举措和成效",
    "（一）规范执法行为。全年办理生态环境行政处罚案件214件，罚没款1865.2万元，案卷评查优良率96.5%。",
    "（二）推行柔性执法。对轻微违法行为依法不予处罚37件，发放执法提示函52份。",
    "（三）加强普法宣传。开展“环保法律进企业”活动18场，培训企业环保负责人1320人次。",
    "二、存在的不足",
    "基层执法人员数量偏少，专业法律人才不足。",
    "三、2024年工作安排",
    "我局将修订行政裁量基准，计划完成执法人员轮训2期。",
]
DOCX_TABLE = [("指标", "2022年", "2023年"), ("行政处罚案件（件）", "198", "214"), ("行政复议案件（件）", "3", "2")]

PDF_TITLE = "成都市郫都区安德街道办事处2021年度法治政府建设情况报告"
PDF_BODY = (
    "2021年，街道党工委、办事处在区委区政府的领导下，坚持以法治方式推进基层治理，把法治建设纳入街道"
    "年度重点工作统筹推进，各项任务完成良好。现将有关情况报告如下。\n"
    "一、推进法治政府建设的主要举措和成效\n"
    "（一）健全工作机制。街道成立法治建设领导小组，全年召开专题会议5次，研究解决基层执法协调、"
    "合同审查和矛盾化解等问题14个，落实党政主要负责人履行推进法治建设第一责任人职责。\n"
    "（二）化解矛盾纠纷。全年排查各类矛盾纠纷412件，成功调解398件，调解成功率96.6%，"
    "未发生因调解不当引发的群体性事件，辖区社会秩序总体平稳有序。\n"
    "（三）开展法治宣传。结合宪法宣传周和民法典宣传月，组织社区普法讲座26场，覆盖居民4800余人次，"
    "培养农村学法用法示范户60户。\n"
    "二、存在的不足和原因\n"
    "一是法律顾问参与重大决策的深度不够；二是社区普法形式较为单一，针对青少年和外来务工人员的宣传偏少。\n"
    "三、2022年主要安排\n"
    "街道将继续完善合法性审查机制，计划新建村（社区）法律服务点8个，实现村（社区）法律顾问全覆盖。\n"
)


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(DOCX_TITLE, level=0)  # the "Title" style
    for text in DOCX_PARAGRAPHS[:5]:
        document.add_paragraph(text)
    table = document.add_table(rows=0, cols=3)
    for row in DOCX_TABLE:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    for text in DOCX_PARAGRAPHS[5:]:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def make_pdf(path: Path, *, pages_of_body: int = 1) -> Path:
    """A text-layer PDF: fpdf2 wraps long paragraphs at the page edge (mid-sentence line breaks),
    with a running header and a page number on every page."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self):
            self.set_font("wqy", size=9)
            self.cell(0, 8, "安德街道办事处文件", align="C")
            self.ln(10)

        def footer(self):
            self.set_y(-15)
            self.set_font("wqy", size=9)
            self.cell(0, 8, f"- {self.page_no()} -", align="C")

    pdf = Report(format="A4")
    pdf.add_font("wqy", fname=str(FONT))
    pdf.add_page()
    pdf.set_font("wqy", size=16)
    pdf.multi_cell(0, 10, PDF_TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("wqy", size=12)
    for _ in range(pages_of_body):
        for para in PDF_BODY.splitlines():
            pdf.multi_cell(0, 8, para, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A PDF of pictures only, as a scanner makes: no text layer at all."""
    import struct
    import zlib

    from fpdf import FPDF

    png = tmp_png(path.with_suffix(".png"))
    pdf = FPDF(format="A4")
    for _ in range(2):
        pdf.add_page()
        pdf.image(str(png), x=10, y=10, w=190)
    pdf.output(str(path))
    png.unlink()
    return path


def tmp_png(path: Path) -> Path:
    """A small grey PNG written by hand (zlib + struct), standing for a scanned page."""
    import struct
    import zlib

    w, h = 60, 80
    raw = b"".join(b"\x00" + bytes([200]) * w for _ in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    path.write_bytes(png)
    return path
