from django import forms

from lao_integrity import thai
from lao_integrity.fields import FiscalYearField
from lao_integrity.uploads import TableUploadForm


class LpaImportForm(TableUploadForm):
    fiscal_year = FiscalYearField(help_text="เช่น 2566")
    data_as_of = forms.CharField(label="ข้อมูล ณ วันที่", required=False, max_length=40,
                                 help_text="ตามที่พิมพ์ในบัญชี เช่น 18/12/2566 (เว้นว่างได้)")
    reporter = forms.CharField(label="ผู้รายงาน", required=False, max_length=200,
                               help_text="เช่น นายเจตณรงค์ อินกัน")
    reporter_position = forms.CharField(label="ตำแหน่งผู้รายงาน", required=False, max_length=200,
                                        help_text="เช่น ท้องถิ่นจังหวัดเชียงราย")

    field_order = ["file", "fiscal_year", "data_as_of", "reporter", "reporter_position"]

    def clean_data_as_of(self):
        text = self.cleaned_data["data_as_of"].strip()
        if not text:
            return None
        try:
            return thai.parse_be_date(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
