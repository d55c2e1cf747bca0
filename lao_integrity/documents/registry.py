"""Document kinds that `render_pdf` can produce. Each app registers its own in AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentKind:
    name: str
    label: str
    # build(organisation, fiscal_year, **options) -> PDF bytes; raises LookupError when the data is missing
    build: Callable[..., bytes]


_KINDS: dict[str, DocumentKind] = {}


def register(name: str, label: str, build: Callable[..., bytes]) -> None:
    _KINDS[name] = DocumentKind(name=name, label=label, build=build)


def kinds() -> dict[str, DocumentKind]:
    return dict(_KINDS)
