"""An auditor's visit, as a new user would make it: the FY 2566 list, its download, one
organisation's history chart and its analysis PDF. Nothing on the way lets them change data."""

import csv
import io

from ita.models import Result
from tests.support.pdf import needs_pdftotext, text_of


@needs_pdftotext
def test_auditor_reads_the_2566_results(seeded, client_for):
    client = client_for(seeded.auditor)
    listing = client.get("/ita/", {"fiscal_year": "2566"}).content.decode()
    assert "เทศบาลตำบลแม่สายมิตรภาพ" in listing and "91.47" in listing
    assert "/ita/import/" not in listing  # no way in to change results

    download = client.get("/ita/export/", {"fiscal_year": "2566", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(download.getvalue().decode("utf-8-sig"))))
    mae_sai = next(row for row in rows if row["รหัส อปท."] == "5570701")
    assert (mae_sai["คะแนนรวม"], mae_sai["ระดับ"], mae_sai["ผลการประเมิน"]) == ("91.47", "A", "ผ่าน")
    assert len(rows) == Result.objects.filter(fiscal_year=2566).count()

    history = client.get("/ita/org/5570701/").content.decode()
    assert history.count("<svg") >= 11  # the overall chart and one per indicator
    assert "/edit/" not in history

    result = Result.objects.get(organisation__code="5570701", fiscal_year=2566)
    pdf = client.get(f"/ita/result/{result.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = text_of(pdf.content)
    assert "๙๑.๔๗" in text and "เทศบาลตำบลแม่สายมิตรภาพ" in text

    before = list(Result.objects.values_list("pk", "overall"))
    assert client.post("/ita/org/5570701/2566/edit/", {"score_1": "10"}).status_code == 403
    assert client.post("/ita/import/").status_code == 403
    assert list(Result.objects.values_list("pk", "overall")) == before
