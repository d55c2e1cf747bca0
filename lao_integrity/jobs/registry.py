"""What a job of each kind does. Domain apps register their kinds from AppConfig.ready():

    register("plan-book", run_plan_book, title="เล่มแผนปฏิบัติการป้องกันการทุจริต")

A runner is `runner(job, report)`. It does the work, calling `report(done, total)` as it goes
(cheap: written at most twice a second), and returns either an `Output` (the file to offer for
download) or a Thai message (the job's summary). It raises `lao_integrity.tabular.ImportRejected`
for a rejected import (its problems are listed with their lines), `ValidationError` for a refusal
to show as it is (Thai); anything else is a failure whose traceback is logged, never shown.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO


@dataclass(frozen=True)
class Output:
    """A result file. `content`: bytes, a path (copied; the runner removes its own temporary files)
    or a binary file object (read from the start, then closed)."""

    name: str  # the download's file name
    content_type: str
    content: bytes | Path | IO[bytes]
    message: str = ""  # summary shown with the download button


Report = Callable[[int, int], None]
Runner = Callable[..., "Output | str"]


@dataclass(frozen=True)
class JobKind:
    key: str
    runner: Runner
    title: str
    unit: str = "รายการ"  # what `done` and `total` count, as the page says it ("ขั้นตอน" for steps)


_KINDS: dict[str, JobKind] = {}


def register(kind: str, runner: Runner, *, title: str, unit: str = "รายการ") -> None:
    _KINDS[kind] = JobKind(key=kind, runner=runner, title=title, unit=unit)


def get(kind: str) -> JobKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"no job kind {kind!r} is registered") from None


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
