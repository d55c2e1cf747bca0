"""Free-text annex: typed lines become a numbered structure, and skipped numbers are caught.

"# text" is a centred title line, "1." / "๑." a topic, "1.1" / "๑.๑" a sub-item, "- " a bullet,
anything else a paragraph. Numbers typed by hand skip and repeat; we check, not trust, them.
"""

import re
from dataclasses import dataclass

from lao_integrity import thai

_TOPIC = re.compile(r"^(\d+)\.\s*(?!\d)(.*)$")
_SUBITEM = re.compile(r"^(\d+)\.(\d+)\.?\s+(.*)$")


@dataclass(frozen=True)
class Block:
    kind: str  # title, topic, subitem, bullet, paragraph
    text: str
    number: str = ""


def parse(text: str) -> tuple[list[Block], list[str]]:
    """The annex's blocks and the numbering problems found, as Thai messages."""
    blocks: list[Block] = []
    problems: list[str] = []
    topic, subitem = 0, 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        latin = thai.to_arabic_digits(line)
        if line.startswith("#"):
            blocks.append(Block("title", line.lstrip("#").strip()))
        elif line.startswith(("-", "•", "–")):
            blocks.append(Block("bullet", line.lstrip("-•– ").strip()))
        elif match := _SUBITEM.match(latin):
            major, minor = int(match.group(1)), int(match.group(2))
            if major != topic or minor != subitem + 1:
                problems.append(f"เลขข้อ {major}.{minor} ไม่ต่อเนื่อง (ควรเป็น {topic}.{subitem + 1})")
            subitem = minor
            blocks.append(Block("subitem", line[len(match.group(0)) - len(match.group(3)):].strip(),
                                f"{major}.{minor}"))
        elif match := _TOPIC.match(latin):
            number = int(match.group(1))
            if number != topic + 1:
                problems.append(f"หัวข้อที่ {number} ไม่ต่อเนื่อง (ควรเป็น {topic + 1})")
            topic, subitem = number, 0
            blocks.append(Block("topic", line[len(match.group(0)) - len(match.group(2)):].strip(), f"{number}."))
        else:
            blocks.append(Block("paragraph", line))
    return blocks, problems
