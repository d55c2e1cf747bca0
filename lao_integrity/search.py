"""Finding records by part of their name: the box in the site header and the page /search/.

The kernel knows no domain model, so each app says what may be found from its AppConfig.ready():

    search.register("project", "โครงการในแผนปฏิบัติการป้องกันการทุจริต",
                    queryset_for_user=projects_for_user, fields=("name",),
                    url=lambda project: ..., title=lambda project: ..., context=lambda project: ...)

`queryset_for_user(user)` gives the rows the user may see (limited through
lao_integrity.orgs.access.restrict, so an auditor sees their scope), ordered, with what `url`,
`title` and `context` read already selected: one query per kind, whatever is found. `title` is
the link's text and says what it opens ("โครงการ “…” ในแผนปี 2569"); `context` the line under it
(whose, which year).

A query matches any part of a field (`icontains`: the middle of a Thai word; Latin letters in
any case) on SQLite and PostgreSQL alike. Each kind shows its first PER_KIND rows and says when
there are more, with a link to all of that kind, a page at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

MIN_LENGTH = 2
MAX_LENGTH = 100
PER_KIND = 10

TOO_SHORT = f"กรุณาพิมพ์คำค้นอย่างน้อย {MIN_LENGTH} ตัวอักษร"
TOO_LONG = f"คำค้นยาวเกินไป พิมพ์ได้ไม่เกิน {MAX_LENGTH} ตัวอักษร"


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str  # the group's heading: what its rows are
    queryset_for_user: Callable[..., QuerySet]
    fields: tuple[str, ...]
    url: Callable[..., str]
    title: Callable[..., str]
    context: Callable[..., str] | None = None
    order: int = 100


@dataclass(frozen=True)
class Hit:
    url: str
    before: str  # the link's text around the first match, so the page can mark it
    match: str
    after: str
    context: str = ""

    @property
    def title(self) -> str:
        return self.before + self.match + self.after


@dataclass
class Group:
    kind: SearchKind
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # more rows than shown


_KINDS: dict[str, SearchKind] = {}


def register(kind: str, label: str, *, queryset_for_user: Callable[..., QuerySet], fields: tuple[str, ...],
             url: Callable[..., str], title: Callable[..., str], context: Callable[..., str] | None = None,
             order: int = 100) -> None:
    """Called by an app's AppConfig.ready(): rows of one kind the search finds (see the module)."""
    if not fields:
        raise ValueError(f"search kind {kind!r}: name at least one field to match")
    _KINDS[kind] = SearchKind(key=kind, label=label, queryset_for_user=queryset_for_user, fields=tuple(fields),
                              url=url, title=title, context=context, order=order)


def kinds() -> list[SearchKind]:
    """The registered kinds in the order the page shows them."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def get(kind: str) -> SearchKind | None:
    return _KINDS.get(kind)


def clean(text: str | None) -> tuple[str, str]:
    """(the query, a Thai problem or ""): spaces around it dropped; too short or too long refused."""
    query = (text or "").strip()
    if len(query) < MIN_LENGTH:
        return query, TOO_SHORT
    if len(query) > MAX_LENGTH:
        return query, TOO_LONG
    return query, ""


def matching(kind: SearchKind, user, query: str) -> QuerySet:
    """The rows of `kind` that `user` may see whose fields contain `query`."""
    condition = reduce(or_, (Q(**{f"{name}__icontains": query}) for name in kind.fields))
    return kind.queryset_for_user(user).filter(condition)


def _marked(text: str, query: str, start: int = 0) -> tuple[str, str, str]:
    """`text` cut around the first place from `start` where it contains `query` (any case), for <mark>."""
    folded = text.casefold()
    at = folded.find(query.casefold(), start)
    if at < 0 or len(folded) != len(text):  # not in the title, or case folding changed lengths
        return text, "", ""
    end = at + len(query)
    return text[:at], text[at:end], text[end:]


def _matched_value_at(kind: SearchKind, row, text: str, query: str) -> int:
    """Where in the link's `text` the matched field's value is printed (0 when it is not as stored),
    so the mark falls in the name, not on a word the link adds around it ("โครงการ “…”")."""
    for name in kind.fields:
        value = str(getattr(row, name, "") or "")
        if query.casefold() in value.casefold():
            at = text.find(value)
            if at >= 0:
                return at
    return 0


def hits(kind: SearchKind, rows, query: str) -> list[Hit]:
    found = []
    for row in rows:
        text = kind.title(row)
        before, match, after = _marked(text, query, _matched_value_at(kind, row, text, query))
        found.append(Hit(url=kind.url(row), before=before, match=match, after=after,
                         context=kind.context(row) if kind.context else ""))
    return found


def find(user, query: str, *, per_kind: int = PER_KIND) -> list[Group]:
    """Every kind's first `per_kind` matches for `user` (one query per kind), kinds with none left out."""
    groups = []
    for kind in kinds():
        rows = list(matching(kind, user, query)[:per_kind + 1])
        if rows:
            groups.append(Group(kind=kind, hits=hits(kind, rows[:per_kind], query), more=len(rows) > per_kind))
    return groups
