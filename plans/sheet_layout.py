"""The detail sheet's layout: its nine sections in one list (the editor, the page and the PDF all
number them from here, so no two can share a number), how its steps are numbered, and what
sections 6 and 8 say when the sheet gives nothing of its own.
"""

from dataclasses import dataclass

from lao_integrity import thai


@dataclass(frozen=True)
class Section:
    key: str
    number: int
    title: str

    @property
    def heading(self) -> str:
        """"๖. ระยะเวลาดำเนินการ": the number in Thai digits, as the official sheet prints it."""
        return f"{thai.to_thai_digits(self.number)}. {self.title}"


# The seed's order (แบบรายละเอียดโครงการ, ภาคผนวก): a new section goes in here, and every number follows.
SECTION_TITLES = (
    ("name", "ชื่อโครงการ"),
    ("rationale", "หลักการและเหตุผล"),
    ("objectives", "วัตถุประสงค์"),
    ("target_groups", "กลุ่มเป้าหมาย"),
    ("steps", "วิธีดำเนินการ"),
    ("duration", "ระยะเวลาดำเนินการ"),
    ("budget", "งบประมาณที่ใช้ในการดำเนินการ"),
    ("responsible", "ผู้รับผิดชอบ"),
    ("results", "ผลผลิต/ผลลัพธ์"),
)
SECTIONS = tuple(Section(key, number, title) for number, (key, title) in enumerate(SECTION_TITLES, start=1))
BY_KEY = {section.key: section for section in SECTIONS}  # templates: {{ sections.duration.heading }}

MAX_LEVEL = 3  # a step, a sub-step (1.1), a sub-sub-step (1.1.1)


def step_numbers(levels) -> list[str]:
    """"1", "1.1", "1.2", "2", "2.1.1"... for steps at these levels, in order (never typed by hand).

    A level deeper than the one before by more than one counts as one deeper (the service refuses
    such a list; a form shown again with one still gets numbers)."""
    counters = [0] * MAX_LEVEL
    numbers = []
    depth = 0
    for level in levels:
        level = max(1, min(MAX_LEVEL, int(level or 1), depth + 1))
        counters[level - 1] += 1
        counters[level:] = [0] * (MAX_LEVEL - level)
        numbers.append(".".join(str(c) for c in counters[:level]))
        depth = level
    return numbers


def _runs(numbers: list[int]) -> list[str]:
    """[1, 2, 4] -> ["1–2", "4"]."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]


def default_duration(project) -> str:
    """Section 6 from the plan: the quarters the project is ticked in, within the fiscal year
    ("ไตรมาสที่ 2–3 ปีงบประมาณ พ.ศ. 2569"); all four quarters (or none) read as the whole year."""
    year = f"ปีงบประมาณ พ.ศ. {project.plan.fiscal_year}"
    quarters = [n for n in (1, 2, 3, 4) if getattr(project, f"q{n}")]
    if not quarters or len(quarters) == 4:
        return year
    return f"ไตรมาสที่ {' และ '.join(_runs(quarters))} {year}"


def default_responsible(project) -> str:
    """Section 8 from the project: its responsible unit, else the organisation."""
    if project.responsible_unit_id:
        return project.responsible_unit.name
    return project.plan.organisation.name
