"""Synthetic national-scale data: organisations, plans with projects, ITA results, agreements,
LPA results and the municipalities' bonus part 1.

Everything is inserted with bulk_create in large batches (no per-row save, no history rows:
this is load for measuring, not records anyone entered). Names are built from Thai syllables
so text lengths and sorting behave like real data. Deterministic for a given seed.
"""

import random
import time
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction

from agreements.performance.models import AgreementIndicator, Aspect, PerformanceAgreement, WorkType
from ita import scoring
from ita.framework_data import create_framework
from ita.models import Framework as ItaFramework
from ita.models import IndicatorScore, Result
from ita.results import services as ita_services
from lao_integrity.orgs.models import Organisation, OrgType, Person, Unit
from lao_integrity.pagecache import versions as pagecache_versions
from lpa.models import BONUS_DIMENSIONS, Area, BonusRule, BonusScore, LpaAreaScore, LpaResult
from plans.models import Dimension, Plan, PlanStatus, Project, ProjectKind
from plans.models import Framework as PlanFramework

from .fastinsert import fast_insert

PROVINCES = (
    "กรุงเทพมหานคร กระบี่ กาญจนบุรี กาฬสินธุ์ กำแพงเพชร ขอนแก่น จันทบุรี ฉะเชิงเทรา ชลบุรี ชัยนาท ชัยภูมิ ชุมพร "
    "เชียงราย เชียงใหม่ ตรัง ตราด ตาก นครนายก นครปฐม นครพนม นครราชสีมา นครศรีธรรมราช นครสวรรค์ นนทบุรี "
    "นราธิวาส น่าน บึงกาฬ บุรีรัมย์ ปทุมธานี ประจวบคีรีขันธ์ ปราจีนบุรี ปัตตานี พระนครศรีอยุธยา พะเยา พังงา "
    "พัทลุง พิจิตร พิษณุโลก เพชรบุรี เพชรบูรณ์ แพร่ ภูเก็ต มหาสารคาม มุกดาหาร แม่ฮ่องสอน ยโสธร ยะลา ร้อยเอ็ด "
    "ระนอง ระยอง ราชบุรี ลพบุรี ลำปาง ลำพูน เลย ศรีสะเกษ สกลนคร สงขลา สตูล สมุทรปราการ สมุทรสงคราม "
    "สมุทรสาคร สระแก้ว สระบุรี สิงห์บุรี สุโขทัย สุพรรณบุรี สุราษฎร์ธานี สุรินทร์ หนองคาย หนองบัวลำภู อ่างทอง "
    "อำนาจเจริญ อุดรธานี อุตรดิตถ์ อุทัยธานี อุบลราชธานี"
).split()
SYLLABLES = ("บ้าน หนอง ดอน นา ป่า ห้วย โคก ทุ่ง วัง แม่ สัน ท่า โนน เวียง ศรี ชัย สุข เจริญ ทอง แก้ว "
             "ใหม่ เหนือ ใต้ กลาง หลวง น้อย คำ ม่วง ไผ่ ยาง สะอาด บัว งาม").split()
# Roughly the national mix of local administrations.
TYPE_MIX = [(OrgType.SAO, 0.675), (OrgType.SUBDISTRICT_MUNI, 0.285), (OrgType.TOWN, 0.025),
            (OrgType.CITY, 0.004), (OrgType.PAO, 0.011)]
PROJECT_WORDS = ("โครงการ", "มาตรการ", "กิจกรรม")
PROJECT_TOPICS = ("ส่งเสริมคุณธรรมจริยธรรมบุคลากร", "เปิดเผยข้อมูลสาธารณะ", "ป้องกันผลประโยชน์ทับซ้อน",
                  "พัฒนาช่องทางรับเรื่องร้องเรียน", "สร้างจิตสำนึกต่อต้านการทุจริต", "ประเมินความเสี่ยงการทุจริต",
                  "ส่งเสริมการมีส่วนร่วมของประชาชน", "ตรวจสอบภายในและควบคุมภายใน", "บริการประชาชนอย่างเท่าเทียม",
                  "จัดซื้อจัดจ้างอย่างโปร่งใส")
BATCH = 5000
# Full marks of the five LPA areas as organisations' tables show them (some vary with the
# organisation's services), a (low, high) range each.
LPA_FULL_MARKS = {Area.MANAGEMENT: (55, 65), Area.PERSONNEL: (45, 45), Area.FINANCE: (65, 100),
                  Area.SERVICES: (120, 240), Area.GOVERNANCE: (25, 25)}
MUNICIPAL_TYPES = (OrgType.SUBDISTRICT_MUNI, OrgType.TOWN, OrgType.CITY)
BUDGETS = tuple(Decimal(v) for v in ("0.00", "0.00", "0.00", "5000.00", "10000.00", "20000.00", "150000.00"))


# Thailand's 76 provinces have 878 districts (อำเภอ), about eleven each with nine organisations in
# each: a province's dashboard compares its districts side by side. Each province here has eleven
# names of its own, not a name per organisation (which made เชียงราย 114 districts of one).
DISTRICTS_PER_PROVINCE = 11


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


class Generator:
    def __init__(self, *, orgs: int, years: int, last_year: int, seed: int = 2569,
                 report: Callable[[str], None] = print):
        self.count, self.years = orgs, list(range(last_year - years + 1, last_year + 1))
        self.rng = random.Random(seed)
        self.report = report

    def _step(self, label: str, func) -> None:
        started = time.perf_counter()
        rows = func()
        self.report(f"{label}: {rows:,} แถว ใน {time.perf_counter() - started:.1f} วินาที")

    def run(self) -> None:
        self._step("อปท.", self.organisations)
        self._step("แผนและโครงการ", self.plans)
        self._step("ผลการประเมิน ITA", self.ita)
        self._step("ข้อตกลงการปฏิบัติราชการ", self.agreements)
        self._step("ผล LPA และคะแนนเงินรางวัล", self.lpa)
        self.finish()

    def run_lpa(self) -> None:
        """Only the LPA and bonus part, for a data set made before it existed: the organisations
        are the synthetic ones already stored."""
        self.orgs = list(Organisation.objects.filter(code__startswith="9").order_by("code")[: self.count])
        self._step("ผล LPA และคะแนนเงินรางวัล", self.lpa)
        self.finish()

    def finish(self) -> None:
        self.analyze()
        # COPY goes around Django's cursors, so no write was seen: pages kept from before are stale.
        pagecache_versions.bump()

    def analyze(self) -> None:
        """Planner statistics and the visibility map for the new rows, as autovacuum leaves a table
        after a bulk load. Without statistics (autovacuum may be off, or not have run yet)
        PostgreSQL plans a national table as if it were empty: hash joins over every unit for a
        30-project plan, sorts instead of the list indexes. Without the visibility map an
        index-only scan reads the table anyway (the ITA list's year totals: 1.5 ms vacuumed,
        10-16 ms not). VACUUM cannot run in a transaction: only outside one."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")

    # --- organisations --------------------------------------------------------------------

    @transaction.atomic
    def organisations(self) -> int:
        existing = set(Organisation.objects.values_list("code", flat=True))
        names = set(Organisation.objects.values_list("name", flat=True))
        rows = []
        types = [t for t, _ in TYPE_MIX]
        weights = [w for _, w in TYPE_MIX]
        number = 0
        places = random.Random(self.rng.random())
        districts = {province: [_name(places) for _ in range(DISTRICTS_PER_PROVINCE)] for province in PROVINCES}
        while len(rows) < self.count:
            number += 1
            code = f"9{number:06d}"
            if code in existing:
                continue
            org_type = self.rng.choices(types, weights)[0]
            province = self.rng.choice(PROVINCES)
            prefix = Organisation(org_type=org_type).vocabulary["prefix"]
            name = f"{prefix}{province if org_type == OrgType.PAO else _name(self.rng)}"
            while name in names:
                name += _name(self.rng)[:2]
            names.add(name)
            rows.append(Organisation(code=code, org_type=org_type, name=name, province=province,
                                     district=self.rng.choice(districts[province])))
        Organisation.objects.bulk_create(rows, batch_size=BATCH)
        self.orgs = list(Organisation.objects.filter(code__startswith="9").order_by("code")[: self.count])
        units, people = [], []
        for org in self.orgs:
            units += [Unit(organisation=org, name=name, order=i)
                      for i, name in enumerate(("สำนักปลัด", "กองคลัง", "กองช่าง"))]
            people += [Person(organisation=org, prefix="นาย", first_name=_name(self.rng), last_name=_name(self.rng),
                              position=org.executive_title),
                       Person(organisation=org, prefix="นางสาว", first_name=_name(self.rng),
                              last_name=_name(self.rng), position="หัวหน้าสำนักปลัด")]
        Unit.objects.bulk_create(units, batch_size=BATCH, ignore_conflicts=True)
        Person.objects.bulk_create(people, batch_size=BATCH)
        return len(rows) + len(units) + len(people)

    # --- plans ----------------------------------------------------------------------------

    def _plan_frameworks(self) -> dict[int, PlanFramework]:
        frameworks = {}
        for year in self.years:
            framework = next((f for f in PlanFramework.objects.all() if f.covers(year)), None)
            if framework is None:
                # Years before 2566: a stand-in framework, clearly named as synthetic.
                framework, _ = PlanFramework.objects.get_or_create(
                    code="scale-2561-2565", defaults={"name": "กรอบทดสอบ (ข้อมูลสังเคราะห์) 2561-2565",
                                                      "first_year": 2561, "last_year": 2565})
                for number in range(1, 5):
                    Dimension.objects.get_or_create(framework=framework, number=number,
                                                    defaults={"name": f"มิติที่ {number} (สังเคราะห์)"})
            frameworks[year] = framework
        return frameworks

    def plans(self) -> int:
        frameworks = self._plan_frameworks()
        dimensions = {f.pk: list(f.dimensions.order_by("number")) for f in set(frameworks.values())}
        units = {}
        for unit in Unit.objects.filter(organisation__in=self.orgs).order_by("order"):
            units.setdefault(unit.organisation_id, []).append(unit)
        total = 0
        for start in range(0, len(self.orgs), 500):
            chunk = self.orgs[start:start + 500]
            with transaction.atomic():
                plans = [Plan(organisation=org, fiscal_year=year, framework=frameworks[year],
                              status=PlanStatus.APPROVED if year < self.years[-1] else PlanStatus.DRAFT)
                         for org in chunk for year in self.years]
                Plan.objects.bulk_create(plans, batch_size=BATCH, ignore_conflicts=True)
                plans = Plan.objects.filter(organisation__in=chunk, fiscal_year__in=self.years)
                projects = []
                dims = {pk: [d.pk for d in ds] for pk, ds in dimensions.items()}
                unit_ids = {org: [u.pk for u in us] for org, us in units.items()}
                kinds = ProjectKind.values
                for plan_id, organisation_id, framework_id in plans.values_list("pk", "organisation_id",
                                                                                "framework_id"):
                    for sequence in range(1, self.rng.randint(24, 36) + 1):
                        quarters = [self.rng.random() < 0.5 for _ in range(4)]
                        if not any(quarters):
                            quarters[self.rng.randrange(4)] = True
                        word = self.rng.randrange(3)
                        projects.append({
                            "plan_id": plan_id, "sequence": sequence, "kind": kinds[word],
                            "name": f"{PROJECT_WORDS[word]}{self.rng.choice(PROJECT_TOPICS)} {_name(self.rng)}",
                            "dimension_id": self.rng.choice(dims[framework_id]),
                            "budget": self.rng.choice(BUDGETS), "q1": quarters[0], "q2": quarters[1],
                            "q3": quarters[2], "q4": quarters[3],
                            "responsible_unit_id": self.rng.choice(unit_ids[organisation_id]),
                        })
                fast_insert(Project, projects)
                total += len(plans) + len(projects)
            self.report(f"  แผน: {start + len(chunk):,}/{len(self.orgs):,} อปท.")
        return total

    # --- ITA --------------------------------------------------------------------------------

    def _ita_frameworks(self) -> dict[int, ItaFramework]:
        from django.apps import apps

        frameworks = {}
        for year in self.years:
            if not ItaFramework.objects.filter(fiscal_year=year).exists():
                create_framework(apps, year)
                # Marked provisional: a year an administrator has not confirmed.
                ItaFramework.objects.filter(fiscal_year=year).update(
                    provisional=True, name=f"ITA ปีงบประมาณ {year} (ข้อมูลสังเคราะห์)")
            frameworks[year] = ItaFramework.objects.get(fiscal_year=year)
        return frameworks

    def ita(self) -> int:
        frameworks = self._ita_frameworks()
        specs = {year: ita_services.framework_spec(f) for year, f in frameworks.items()}
        indicators = {year: {i.number: i for i in f.indicators.all()} for year, f in frameworks.items()}
        total = 0
        for start in range(0, len(self.orgs), 1000):
            chunk = self.orgs[start:start + 1000]
            with transaction.atomic():
                results, scores_by_key = [], {}
                for org in chunk:
                    base = self.rng.uniform(55, 95)
                    for year in self.years:
                        scores = {n: Decimal(str(round(min(100, max(0, base + self.rng.uniform(-12, 12))), 2)))
                                  for n in indicators[year]}
                        outcome = scoring.compute(specs[year], scores)
                        results.append(Result(
                            organisation=org, fiscal_year=year, framework=frameworks[year],
                            iit=outcome.tools.get("IIT"), eit=outcome.tools.get("EIT"), oit=outcome.tools.get("OIT"),
                            overall=outcome.overall, level=outcome.level, passed=outcome.passed,
                            rank=None))
                        scores_by_key[(org.pk, year)] = scores
                        base = min(98, base + self.rng.uniform(-2, 4))
                Result.objects.bulk_create(results, batch_size=BATCH, ignore_conflicts=True)
                rows = []
                for result_id, organisation_id, year in Result.objects.filter(
                        organisation__in=chunk, fiscal_year__in=self.years).values_list(
                        "pk", "organisation_id", "fiscal_year"):
                    for number, score in scores_by_key[(organisation_id, year)].items():
                        rows.append({"result_id": result_id, "indicator_id": indicators[year][number].pk,
                                     "score": score})
                fast_insert(IndicatorScore, rows)
                total += len(results) + len(rows)
        return total

    # --- agreements ---------------------------------------------------------------------------

    @transaction.atomic
    def agreements(self) -> int:
        """One unit agreement per organisation for the last year, with five indicators."""
        year = self.years[-1]
        people = {}
        for person in Person.objects.filter(organisation__in=self.orgs).order_by("pk"):
            people.setdefault(person.organisation_id, []).append(person)
        units = {u.organisation_id: u for u in Unit.objects.filter(organisation__in=self.orgs, order=0)}
        agreements = [PerformanceAgreement(organisation=org, fiscal_year=year, round=1, kind="unit",
                                           unit=units[org.pk], person=people[org.pk][1],
                                           executive=people[org.pk][0])
                      for org in self.orgs]
        PerformanceAgreement.objects.bulk_create(agreements, batch_size=BATCH, ignore_conflicts=True)
        rows = []
        aspects, work_types = Aspect.values, WorkType.values
        for agreement in PerformanceAgreement.objects.filter(organisation__in=self.orgs, fiscal_year=year):
            for order, weight in enumerate((30, 25, 20, 15, 10)):
                rows.append(AgreementIndicator(
                    agreement=agreement, order=order, aspect=aspects[order % len(aspects)],
                    work_type=work_types[order % len(work_types)], name=f"ร้อยละความสำเร็จของงาน{_name(self.rng)}",
                    unit_of_measure="ร้อยละ", target_1=60, target_2=70, target_3=80, target_4=90, target_5=100,
                    weight=weight))
        AgreementIndicator.objects.bulk_create(rows, batch_size=BATCH)
        return len(agreements) + len(rows)

    # --- LPA and the bonus ----------------------------------------------------------------------

    def _bonus_rules(self) -> int:
        """The year's part-2 rule for every generated year, copied from 2566's (the one the
        migrations ship); the meeting is left blank, no committee having met."""
        model = BonusRule.objects.filter(fiscal_year=2566).first() or BonusRule(fiscal_year=2566)
        missing = set(self.years) - set(BonusRule.objects.values_list("fiscal_year", flat=True))
        BonusRule.objects.bulk_create(
            [BonusRule(fiscal_year=year, lpa_threshold=model.lpa_threshold,
                       points_at_or_above=model.points_at_or_above, points_below=model.points_below)
             for year in sorted(missing)], ignore_conflicts=True)
        return len(missing)

    def lpa(self) -> int:
        """One LPA result with its five areas per organisation and year, and part 1 of the bonus
        for every municipality and year. Only what is missing is added: a second run adds nothing."""
        total = self._bonus_rules()
        for start in range(0, len(self.orgs), 1000):
            chunk = self.orgs[start:start + 1000]
            with transaction.atomic():
                had = set(LpaResult.objects.filter(organisation__in=chunk, fiscal_year__in=self.years)
                          .values_list("organisation_id", "fiscal_year"))
                results = [LpaResult(organisation=org, fiscal_year=year, data_as_of=None)
                           for org in chunk for year in self.years if (org.pk, year) not in had]
                LpaResult.objects.bulk_create(results, batch_size=BATCH, ignore_conflicts=True)
                fulls = {org.pk: {area: self.rng.randint(low, high) for area, (low, high) in LPA_FULL_MARKS.items()}
                         for org in chunk}
                rows = []
                for result_id, organisation_id in (LpaResult.objects.filter(
                        organisation__in=chunk, fiscal_year__in=self.years, areas__isnull=True)
                        .values_list("pk", "organisation_id")):
                    level = self.rng.uniform(0.6, 0.97)
                    for area, full in fulls[organisation_id].items():
                        share = min(1.0, max(0.3, level + self.rng.uniform(-0.1, 0.1)))
                        rows.append({"result_id": result_id, "area": int(area), "full_marks": Decimal(full),
                                     "score": Decimal(str(round(full * share, 2)))})
                fast_insert(LpaAreaScore, rows)
                scored = set(BonusScore.objects.filter(organisation__in=chunk, fiscal_year__in=self.years)
                             .values_list("organisation_id", "fiscal_year"))
                bonus = [{"organisation_id": org.pk, "fiscal_year": year,
                          **{name: Decimal(str(round(float(full) * self.rng.uniform(0.6, 1.0), 2)))
                             for name, _label, full in BONUS_DIMENSIONS}}
                         for org in chunk if org.org_type in MUNICIPAL_TYPES
                         for year in self.years if (org.pk, year) not in scored]
                fast_insert(BonusScore, bonus)
                total += len(results) + len(rows) + len(bonus)
        return total
