"""Every glyph of every document comes from the fonts the project ships.

A server without DejaVu printed the plan's ✓ ticks as empty boxes (and PDF/A refuses .notdef).
Here every `render_pdf` kind is rendered in a fresh process whose fontconfig lists no font at
all (FONTCONFIG_FILE points to a config with no <dir>), from the demo data plus user text with
the marks people type; any ".notdef" warning from WeasyPrint, or any embedded font that is not
the project's, fails the test.
"""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont

from lao_integrity.announcements import documents as announcement_documents
from lao_integrity.announcements import kinds as announcement_kinds
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind
from lao_integrity.documents.fonts import FACES, FAMILY, MARKS, missing_glyphs
from lao_integrity.documents.registry import kinds
from plans import documents as plan_documents
from plans.projects import services as project_services
from tests.support.pdf import embedded_fonts

pypdf = pytest.importorskip("pypdf", reason="pypdf reads the embedded fonts (a dev dependency)")

# kind -> (organisation code, fiscal year, options): the demo's document of that kind.
DOCUMENTS = {
    "plan-book": ("5205401", 2569, {}),
    "plan-announcement": ("5205401", 2569, {}),
    "plan-progress": ("5205401", 2569, {"months": 6}),
    "agreement": ("6411201", 2565, {}),
    "no-gift": ("5570701", 2567, {}),
    "no-gift-poster": ("5570701", 2567, {}),
    "ita-analysis": ("5570701", 2566, {}),
    "ita-measures": ("5570701", 2567, {}),
    "performance-agreement": ("5570701", 2567, {}),
    "lpa": ("5570701", 2566, {}),  # เชียงราย's LPA table, with แม่สายมิตรภาพ
}
# Marks people type into remarks and guidance, printed by the plan book and the ITA report.
TYPED_MARKS = "ตรวจแล้ว ✓ ✔ ☐ ☑ ☒ ● ○ • – “ผ่าN” …"

EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""

SCRIPT = r"""
import io, json, logging, sys
import django
django.setup()
from django.core.management import call_command

warnings = []
class Collect(logging.Handler):
    def emit(self, record):
        warnings.append(record.getMessage())
handler = Collect(level=logging.WARNING)
logging.getLogger("weasyprint").addHandler(handler)

call_command("migrate", verbosity=0)
call_command("seed_demo", stdout=io.StringIO())

from ita.models import IndicatorScore, Result
from lao_integrity.documents.registry import kinds
from plans import documents as plan_documents
from plans import services as plan_services
from lao_integrity.orgs.models import Organisation
from plans.models import Project

documents, marks, out_dir = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
Project.objects.filter(plan__organisation__code="5205401", plan__fiscal_year=2569, sequence=1).update(remark=marks)
result = Result.objects.get(organisation__code="5570701", fiscal_year=2566)
IndicatorScore.objects.filter(result=result, indicator__number=1).update(guidance=marks)
seeded = list(warnings)
report = {"seed": seeded, "kinds": {}}
for kind, (code, year, options) in documents.items():
    del warnings[:]
    organisation = Organisation.objects.get(code=code)
    if kind == "plan-book":  # laid out from today's data (the demo's signed book predates the marks)
        from lao_integrity.documents.render import render_pdf
        from plans.models import Plan
        pdf = render_pdf(*plan_documents.plan_document(Plan.objects.get(organisation=organisation, fiscal_year=year), "book"))
    else:
        pdf = kinds()[kind].build(organisation, year, **options)
    path = f"{out_dir}/{kind}.pdf"
    open(path, "wb").write(pdf)
    report["kinds"][kind] = {"warnings": list(warnings), "path": path}
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("no-host-fonts")
    config = tmp / "fonts.conf"
    config.write_text(EMPTY_FONTCONFIG.format(cache=tmp / "fc-cache"))
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "DJANGO_SETTINGS_MODULE": "lao_integrity.settings",
           "DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}", "DJANGO_MEDIA_ROOT": str(tmp / "media"),
           "DJANGO_DOCUMENT_CACHE": str(tmp / "cache"), "DJANGO_TASKS_BACKEND": "immediate"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(DOCUMENTS), TYPED_MARKS, str(tmp)],
                          cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "stderr": done.stderr}


def test_every_document_kind_is_rendered():
    """A new kind must be added to DOCUMENTS, or it is never checked."""
    assert set(DOCUMENTS) == set(kinds())


def test_no_glyph_is_missing_without_host_fonts(rendered):
    assert not [w for w in rendered["seed"] if ".notdef" in w], rendered["seed"]
    missing = {kind: [w for w in r["warnings"] if ".notdef" in w] for kind, r in rendered["kinds"].items()}
    assert not any(missing.values()), missing
    # Pango and HarfBuzz complain on stderr, not through WeasyPrint's logger.
    assert not [line for line in rendered["stderr"].splitlines()
                if "Pango-" in line or "notdef" in line.lower()], rendered["stderr"][-2000:]


def test_only_the_project_fonts_are_embedded(rendered):
    for kind, r in rendered["kinds"].items():
        fonts = embedded_fonts(r["path"])
        assert fonts, kind
        for base_font, font in fonts:
            assert "Sarabun-PDF" in base_font and font["name"].getDebugName(1) == FAMILY, (kind, base_font)


def test_the_demo_prints_ticks(rendered):
    """The check can fail: the plan book really draws ✓ (and the typed marks) from our font."""
    text = "".join(page.extract_text() for page in pypdf.PdfReader(rendered["kinds"]["plan-book"]["path"]).pages)
    assert "✓" in text and "☐" in text


def test_project_fonts_have_every_mark():
    for face in FACES:
        cmap = TTFont(face.path).getBestCmap()
        assert all(code in cmap for code in MARKS), face.path
        assert all(ord(c) in cmap for c in TYPED_MARKS if not c.isspace()), face.path


def test_documents_name_no_host_font_family():
    css = Path(settings.BASE_DIR, "static", "css", "document.css").read_text()
    families = {line.split("font-family:")[1].split(";")[0].strip() for line in css.splitlines()
                if "font-family:" in line}
    assert families == {f'"{FAMILY}"'}


def test_missing_glyphs_names_what_the_font_lacks():
    assert missing_glyphs(TYPED_MARKS + " ๒๕๖๙ ISO9001\u200b") == []
    assert missing_glyphs("ได้รับ 😀 และ № ๑ 😀") == ["😀", "№"]


@pytest.mark.django_db
def test_an_announcement_with_a_character_the_font_lacks_cannot_be_signed(org, people, staff):
    draft = announcement_services.announcement_create(
        organisation=org, kind=Kind.NO_GIFT, fiscal_year=2569, user=staff, signer=people["executive"],
        announced_on=datetime.date(2025, 10, 1))
    blocking, _ = announcement_documents.problems(draft)
    assert not [b for b in blocking if "อักขระ" in b]
    draft = announcement_services.announcement_update(announcement=draft, user=staff,
                                                      closing="จึงประกาศให้ทราบโดยทั่วกัน ✓ 😀")
    blocking, _ = announcement_documents.problems(draft)
    assert [b for b in blocking if "“😀”" in b and "อักขระ" in b], blocking


@pytest.mark.django_db
def test_an_annex_with_a_character_the_font_lacks_blocks_signing(plan, people, staff):
    """The plan announcement's annex (the summary table, from the projects) is checked too."""
    plan_documents.register_documents()
    assert announcement_kinds.template_for(Kind.PLAN).annex_html is not None
    draft = announcement_services.announcement_create(
        organisation=plan.organisation, kind=Kind.PLAN, fiscal_year=plan.fiscal_year, user=staff,
        signer=people["executive"], announced_on=datetime.date(2025, 10, 1))
    assert not [b for b in announcement_documents.problems(draft)[0] if "อักขระ" in b]
    project_services.project_update(project=plan.projects.get(sequence=1), remark="ดูข้อ ※ ท้ายแผน", user=staff)
    blocking, _ = announcement_documents.problems(draft)
    assert [b for b in blocking if b.startswith("รายละเอียดแนบท้าย") and "“※”" in b], blocking
