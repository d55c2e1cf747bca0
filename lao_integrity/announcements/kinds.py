"""What each kind of announcement says by default, and what a kind adds to the document.

Standard text is written once here, with tokens filled from the organisation and year, so
nobody retypes an organisation's name (or another organisation's, from last year's file).
A domain app adds an annex, text inside the announcement or its own checks by registering
hooks for its kind in AppConfig.ready(): plans adds the summary table and detail sheets to the
plan announcement; ita prints its measures, grouped by indicator, inside the measures one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .models import Kind

TEXTS = Path(__file__).parent / "texts"

# Tokens staff may use in any text; filled when the document is rendered.
TOKEN_ORG = "{อปท.}"
TOKEN_YEAR = "{ปีงบประมาณ}"
TOKEN_SUBJECT = "{เรื่อง}"
TOKEN_STAFF = "{พนักงาน}"
TOKENS = (TOKEN_ORG, TOKEN_YEAR, TOKEN_SUBJECT, TOKEN_STAFF)


@dataclass
class KindTemplate:
    subject: str
    body: str
    closing: str = "จึงประกาศให้ทราบโดยทั่วกัน"
    annex: str = ""
    needs_fiscal_year: bool = True
    # annex_html(announcement) -> HTML placed after the announcement page, or "".
    annex_html: Callable | None = None
    # body_html(announcement) -> HTML printed inside the announcement, after the paragraphs and
    # before the closing line (the ITA measures grouped by indicator), or "".
    body_html: Callable | None = None
    # problems(announcement) -> (blocking, warnings): messages shown before signing.
    problems: Callable | None = None
    # notices(announcement) -> messages shown on the page whatever the status (a plan approved
    # since: editing it starts a revision the signed announcement no longer matches).
    notices: Callable | None = None
    extra: dict = field(default_factory=dict)


PLAN_BODY = (
    "ด้วย{อปท.} ได้จัดทำแผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {ปีงบประมาณ} "
    "เพื่อนำแผนปฏิบัติการป้องกันการทุจริตไปใช้ปฏิบัติให้เกิดเป็นรูปธรรม สร้างองค์กรให้มีความโปร่งใส "
    "คุณธรรม จริยธรรม ธรรมาภิบาล ปฏิบัติราชการด้วยความซื่อสัตย์ สุจริต เป็นธรรม และเสมอภาค "
    "เพื่อป้องกันการทุจริตและประพฤติมิชอบ สร้างจิตสำนึกที่ดีในการให้บริการ ทำให้การบริหารราชการเกิดความโปร่งใส "
    "ตลอดจนการเปิดโอกาสให้ประชาชนได้มีส่วนร่วมในการป้องกันการทุจริตและประพฤติมิชอบ ประชาชนเกิดความมั่นใจ "
    "ศรัทธาในการบริหารราชการของ{อปท.} รวมถึงผู้บริหารท้องถิ่น สมาชิกสภาท้องถิ่น {พนักงาน} "
    "และเจ้าหน้าที่ทุกระดับ\n"
    "เพื่อเป็นการเผยแพร่และประชาสัมพันธ์แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {ปีงบประมาณ} "
    "ให้ทราบโดยทั่วกัน {อปท.} จึงขอประกาศใช้แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {ปีงบประมาณ} "
    "และเผยแพร่ไว้โดยเปิดเผยไม่น้อยกว่า 30 วัน"
)

AGREEMENT_BODY = (
    "เพื่อให้การบริหารราชการของ{อปท.} เกิดผลสัมฤทธิ์ต่อภารกิจของรัฐ โดยมีผู้รับผิดชอบต่อผลการปฏิบัติงาน "
    "และมีเป้าหมายการทำงานที่ชัดเจน ตลอดจนมีตัวชี้วัดผลการดำเนินงานที่แสดงประสิทธิภาพและประสิทธิผลการปฏิบัติงาน "
    "ตามพระราชกฤษฎีกาว่าด้วยหลักเกณฑ์และวิธีการบริหารกิจการบ้านเมืองที่ดี พ.ศ. 2546 "
    "และตามหนังสือกระทรวงมหาดไทย ด่วนที่สุด ที่ มท 0892.3/ว 835 ลงวันที่ 27 เมษายน 2559 "
    "{อปท.} จึงได้จัดทำข้อตกลงการปฏิบัติราชการระหว่างข้าราชการ ลูกจ้างประจำ และพนักงานจ้างกับผู้บริหาร "
    "ดังต่อไปนี้\n"
    "ข้อ 1 ประกาศนี้เรียกว่า “{เรื่อง}”\n"
    "ข้อ 2 ประกาศให้ใช้บังคับตั้งแต่วันที่ประกาศเป็นต้นไป\n"
    "ข้อ 3 ระยะเวลาการดำเนินการแล้วเสร็จของงานให้เป็นไปตามรายละเอียดที่ปรากฏแนบท้ายประกาศนี้"
)

NO_GIFT_BODY = (
    "เพื่อให้การปฏิบัติหน้าที่ของเจ้าหน้าที่ของรัฐในสังกัด{อปท.} เป็นไปด้วยความซื่อสัตย์ สุจริต โปร่งใส "
    "ปราศจากการขัดกันระหว่างประโยชน์ส่วนบุคคลกับประโยชน์ส่วนรวม เป็นไปตามประมวลจริยธรรมพนักงานส่วนท้องถิ่น "
    "และแนวทางการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "ของสำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ\n"
    "{อปท.} จึงขอประกาศเจตนารมณ์เป็นหน่วยงานที่ผู้บริหาร {พนักงาน} ลูกจ้างประจำ และพนักงานจ้างทุกคน "
    "ไม่รับของขวัญหรือของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ทุกเทศกาล (No Gift Policy) "
    "ประจำปีงบประมาณ พ.ศ. {ปีงบประมาณ} “งดให้ งดรับ” และเปลี่ยนของขวัญเป็นคำอวยพร\n"
    "ในกรณีที่มีความจำเป็นต้องรับของขวัญหรือของกำนัลตามประเพณีหรือตามมารยาททางสังคม "
    "ให้ปฏิบัติตามระเบียบสำนักนายกรัฐมนตรีว่าด้วยการให้หรือรับของขวัญของเจ้าหน้าที่ของรัฐ พ.ศ. 2544 "
    "และรายงานต่อผู้บังคับบัญชาโดยไม่ชักช้า"
)


ITA_MEASURES_BODY = (
    "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (สำนักงาน ป.ป.ช.) "
    "ได้พัฒนาเครื่องมือการประเมินเชิงบวกเพื่อเป็นมาตรการป้องกันการทุจริต "
    "และเป็นกลไกในการสร้างความตระหนักให้หน่วยงานภาครัฐมีการดำเนินงานอย่างโปร่งใสและมีคุณธรรม "
    "โดยใช้ชื่อว่า “การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
    "(Integrity and Transparency Assessment: ITA)”\n"
    "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "มีความสำคัญเกี่ยวกับการบริหารงานอย่างมีคุณธรรม จริยธรรม และธรรมาภิบาล "
    "และมุ่งนำหน่วยงานให้ดำเนินงานตามภารกิจด้วยความโปร่งใสและปราศจากการทุจริต "
    "{อปท.} จึงได้กำหนดมาตรการและแนวทางการส่งเสริมคุณธรรมและความโปร่งใส "
    "เพื่อยกระดับผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
    "ประจำปีงบประมาณ พ.ศ. {ปีงบประมาณ} ให้ดีขึ้น ตามตัวชี้วัดของการประเมิน "
    "เพื่อให้ผู้บริหาร {พนักงาน} ลูกจ้างประจำ และพนักงานจ้างสังกัด{อปท.} ถือเป็นแนวทางปฏิบัติ ดังนี้"
)


def _annex_text(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8").strip()


TEMPLATES: dict[str, KindTemplate] = {
    Kind.PLAN: KindTemplate(
        subject="ประกาศใช้แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {ปีงบประมาณ}",
        body=PLAN_BODY,
        closing="จึงขอประกาศมาเพื่อทราบโดยทั่วกัน",
    ),
    Kind.AGREEMENT: KindTemplate(
        subject=("ข้อตกลงในการปฏิบัติราชการระหว่างข้าราชการ ลูกจ้างประจำ และพนักงานจ้างกับผู้บริหาร "
                 "ประจำปีงบประมาณ พ.ศ. {ปีงบประมาณ}"),
        body=AGREEMENT_BODY,
        annex=_annex_text("agreement_annex.txt"),
    ),
    Kind.NO_GIFT: KindTemplate(
        subject=("นโยบายไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy) "
                 "ประจำปีงบประมาณ พ.ศ. {ปีงบประมาณ}"),
        body=NO_GIFT_BODY,
    ),
    Kind.ITA_MEASURES: KindTemplate(
        subject=("มาตรการและแนวทางการขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสในการดำเนินงาน "
                 "ประจำปีงบประมาณ พ.ศ. {ปีงบประมาณ}"),
        body=ITA_MEASURES_BODY,
    ),
    Kind.OTHER: KindTemplate(subject="", body="", needs_fiscal_year=False),
}


def template_for(kind: str) -> KindTemplate:
    return TEMPLATES[Kind(kind)]


def register_hooks(kind: str, *, annex_html: Callable | None = None, body_html: Callable | None = None,
                   problems: Callable | None = None, notices: Callable | None = None) -> None:
    """Called by a domain app's AppConfig.ready() to extend a kind's document and checks."""
    template = TEMPLATES[Kind(kind)]
    if annex_html is not None:
        template.annex_html = annex_html
    if body_html is not None:
        template.body_html = body_html
    if problems is not None:
        template.problems = problems
    if notices is not None:
        template.notices = notices


def fill(text: str, *, organisation, fiscal_year, subject: str = "") -> str:
    """Replace the tokens; a token that can't be filled stays visible so the checks catch it."""
    text = text.replace(TOKEN_ORG, organisation.name).replace(TOKEN_STAFF, organisation.staff_term)
    if fiscal_year:
        text = text.replace(TOKEN_YEAR, str(fiscal_year))
    if subject:
        text = text.replace(TOKEN_SUBJECT, fill(subject, organisation=organisation, fiscal_year=fiscal_year))
    return text


def history_filler(records):
    """The audit trail shows an announcement's text filled, as printed (history.register_text_filler)."""
    from lao_integrity.orgs.models import Organisation

    organisations = Organisation.objects.in_bulk({record.organisation_id for record in records})

    def fill_record(record, text: str) -> str:
        organisation = organisations.get(record.organisation_id)
        if organisation is None or "{" not in text:
            return text
        return fill(text, organisation=organisation, fiscal_year=record.fiscal_year, subject=record.subject)

    return fill_record
