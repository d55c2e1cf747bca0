"""Writes to the organisation-level agreement and its structured annex.

Keyword-only, one transaction each, validated here; invalid input changes nothing. The annex
numbering (๑. / ๑.๑) is the position of a topic or sub-item, so nobody types a number: numbers
typed into a title or sub-item are dropped (annex_text), and `order` is kept contiguous 1..n on
every write.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from lao_integrity import ordering
from lao_integrity.announcements import kinds as announcement_kinds
from lao_integrity.announcements import selectors as announcement_selectors
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind, Status
from lao_integrity.concurrency import check_and_bump
from lao_integrity.fields import validate_fiscal_year
from lao_integrity.history import records_user
from lao_integrity.locks import lock_organisation
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation
from lao_integrity.pagecache.versions import scoped

from . import selectors
from .annex_text import ParsedAnnex, clean_actions, clean_items, clean_title, paragraphs, parse_annex
from .models import OrgAgreement, Topic, TopicItem

# Where a new agreement starts from.
START_PREVIOUS = "previous"  # the newest earlier year of the organisation, else the standard text
START_STANDARD = "standard"  # the standard annex text of the kernel's "agreement" kind
START_ANNOUNCEMENT = "announcement"  # the free-text annex of this year's announcement
START_CHOICES = (START_PREVIOUS, START_STANDARD, START_ANNOUNCEMENT)


def _check_edit(user, organisation) -> None:
    if not access.can_edit(user, organisation):
        raise PermissionDenied("ท่านไม่มีสิทธิ์แก้ไขข้อมูลของ อปท. นี้")


# --- the agreement ----------------------------------------------------------------------------


def _new_agreement(*, organisation: Organisation, fiscal_year, introduction: str = "",
                   copied_from: OrgAgreement | None = None) -> OrgAgreement:
    if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int):
        raise ValidationError({"fiscal_year": "กรุณาระบุปีงบประมาณเป็นปี พ.ศ. เช่น 2569"})
    try:
        validate_fiscal_year(fiscal_year)
    except ValidationError as error:
        raise ValidationError({"fiscal_year": error.messages}) from None
    lock_organisation(organisation)  # a second creation of the year waits, then finds the first
    if OrgAgreement.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists():
        raise ValidationError({"fiscal_year": f"{organisation.name} มีข้อตกลงการปฏิบัติราชการ"
                                              f"ปีงบประมาณ {fiscal_year} อยู่แล้ว"})
    return OrgAgreement.objects.create(organisation=organisation, fiscal_year=fiscal_year,
                                       introduction=paragraphs(introduction), copied_from=copied_from)


def _fill_from_parsed(agreement: OrgAgreement, parsed: ParsedAnnex) -> None:
    items = []
    for order, parsed_topic in enumerate(parsed.topics, start=1):
        topic = Topic.objects.create(agreement=agreement, order=order, title=parsed_topic.title,
                                     explanation="\n".join(parsed_topic.explanation))
        items.extend(TopicItem(topic=topic, order=n, text=item.text, actions=clean_actions(item.actions))
                     for n, item in enumerate(parsed_topic.items, start=1))
    bulk_create_with_history(items, TopicItem)  # one insert, and the audit trail's rows with it


def _copy_topics(source: OrgAgreement, target: OrgAgreement) -> None:
    items = []
    topics = source.topics.order_by("order").prefetch_related("items")
    for order, old in enumerate(topics, start=1):
        topic = Topic.objects.create(agreement=target, order=order, title=old.title, explanation=old.explanation)
        items.extend(TopicItem(topic=topic, order=n, text=item.text, actions=item.actions)
                     for n, item in enumerate(sorted(old.items.all(), key=lambda i: i.order), start=1))
    bulk_create_with_history(items, TopicItem)


def _from_annex(text: str, *, organisation: Organisation, fiscal_year: int, user) -> OrgAgreement:
    """A new agreement holding the introduction and topics of a free-text annex."""
    parsed = parse_annex(text)
    agreement = _new_agreement(organisation=organisation, fiscal_year=fiscal_year,
                               introduction="\n".join(parsed.introduction))
    _fill_from_parsed(agreement, parsed)
    _changed(agreement, user)
    return agreement


def _copy_of(source: OrgAgreement, *, organisation: Organisation, fiscal_year: int, user) -> OrgAgreement:
    """A new agreement for `fiscal_year` with `source`'s introduction and topics."""
    agreement = _new_agreement(organisation=organisation, fiscal_year=fiscal_year,
                               introduction=source.introduction, copied_from=source)
    _copy_topics(source, agreement)
    _changed(agreement, user)
    return agreement


def standard_annex_text() -> str:
    return announcement_kinds.template_for(Kind.AGREEMENT).annex


@scoped("organisation")
@records_user
@transaction.atomic
def org_agreement_create(*, organisation: Organisation, fiscal_year: int, user,
                         start_from: str = START_PREVIOUS) -> OrgAgreement:
    """A new year's agreement: a copy of the newest earlier year's, else the standard annex.

    start_from="standard" ignores earlier years; "announcement" converts the free-text annex of
    this year's announcement (for an organisation that typed its annex before this existed).
    """
    _check_edit(user, organisation)
    if start_from not in START_CHOICES:
        raise ValidationError({"start_from": "ไม่รู้จักแหล่งที่จะเริ่มต้น"})
    if start_from == START_PREVIOUS:
        source = selectors.previous_agreement(organisation, fiscal_year) if isinstance(fiscal_year, int) else None
        if source is not None:
            return _copy_of(source, organisation=organisation, fiscal_year=fiscal_year, user=user)
    text = standard_annex_text()
    if start_from == START_ANNOUNCEMENT:
        announcement = announcement_selectors.latest_announcement(organisation, Kind.AGREEMENT, fiscal_year)
        if announcement is None or not announcement.annex.strip():
            raise ValidationError({"start_from": f"ยังไม่มีประกาศข้อตกลงปีงบประมาณ {fiscal_year} "
                                                 "ที่มีรายละเอียดแนบท้าย"})
        text = announcement.annex
    return _from_annex(text, organisation=organisation, fiscal_year=fiscal_year, user=user)


@scoped("organisation")
@records_user
@transaction.atomic
def org_agreement_from_text(*, organisation: Organisation, fiscal_year: int, text: str, user) -> OrgAgreement:
    """A new agreement from a free-text annex (topics "๑.", sub-items "๑.๑", bullets "- ")."""
    _check_edit(user, organisation)
    return _from_annex(text, organisation=organisation, fiscal_year=fiscal_year, user=user)


@scoped("agreement")
@records_user
@transaction.atomic
def org_agreement_copy(*, agreement: OrgAgreement, user) -> OrgAgreement:
    """Next year's agreement as a copy of this one; refused when next year's exists."""
    _check_edit(user, agreement.organisation)
    return _copy_of(agreement, organisation=agreement.organisation, fiscal_year=agreement.fiscal_year + 1, user=user)


@scoped("agreement")
@records_user
@transaction.atomic
def org_agreement_update(*, agreement: OrgAgreement, introduction: str, user,
                         expected_version: int | None = None) -> OrgAgreement:
    """`expected_version`: the version the form was loaded with; StaleEdit if it moved."""
    _check_edit(user, agreement.organisation)
    check_and_bump(agreement, expected_version)
    agreement.introduction = paragraphs(introduction)
    agreement.save(update_fields=["introduction", "updated_at", "version"])
    _changed(agreement, user)
    return agreement


def _changed(agreement: OrgAgreement, user) -> None:
    """Record the change; an approved (unsigned) announcement goes back to draft, since what was
    approved is no longer what would be signed. A signed one never changes: the next revision
    prints the new annex. (The timestamp is a queryset update: the change itself is in the
    audit trail of the topic or sub-item.)"""
    OrgAgreement.objects.filter(pk=agreement.pk).update(updated_at=timezone.now())
    announcement = announcement_selectors.latest_announcement(agreement.organisation, Kind.AGREEMENT,
                                                              agreement.fiscal_year)
    if announcement is not None and announcement.status == Status.APPROVED:
        announcement_services.announcement_update(announcement=announcement, user=user)


def _locked_agreement(agreement_id: int) -> OrgAgreement:
    # Serialises concurrent edits of one annex, so two appends never take the same number.
    return OrgAgreement.objects.select_for_update().select_related("organisation").get(pk=agreement_id)


# --- topics -------------------------------------------------------------------------------------


def _replace_items(topic: Topic, rows: list[tuple[str, str]]) -> None:
    """The topic's sub-items become `rows`, in order. The n-th stored sub-item takes the n-th row
    and is saved only when it differs, so the audit trail shows what changed (not every
    sub-item deleted and created again); extra ones are deleted, missing ones created."""
    stored = list(topic.items.order_by("order"))
    kept, extra = stored[:len(rows)], stored[len(rows):]
    if extra:
        TopicItem.objects.filter(pk__in=[item.pk for item in extra]).delete()
    # Ascending, each to a position no higher than its own: never two rows on one order.
    for position, (item, (text, actions)) in enumerate(zip(kept, rows, strict=False), start=1):
        if (item.order, item.text, item.actions) != (position, text, actions):
            item.order, item.text, item.actions = position, text, actions
            item.save(update_fields=["order", "text", "actions"])
    bulk_create_with_history([TopicItem(topic=topic, order=n, text=text, actions=actions)
                              for n, (text, actions) in enumerate(rows[len(kept):], start=len(kept) + 1)],
                             TopicItem)


def _topic_saved(topic: Topic, rows: list | None, agreement: OrgAgreement, user) -> Topic:
    """A topic created or changed: its sub-items become `rows` (None keeps them) and the
    agreement records the change."""
    if rows is not None:
        _replace_items(topic, rows)
    _changed(agreement, user)
    return topic


@scoped("agreement")
@records_user
@transaction.atomic
def topic_create(*, agreement: OrgAgreement, title: str, explanation: str = "", items=None, user) -> Topic:
    """A topic appended at the end; `items` is [{"text", "actions"}] in order."""
    agreement = _locked_agreement(agreement.pk)
    _check_edit(user, agreement.organisation)
    title, rows = clean_title(title), clean_items(items)
    topic = Topic.objects.create(agreement=agreement, order=ordering.next_position(agreement.topics.all()),
                                 title=title, explanation=paragraphs(explanation))
    return _topic_saved(topic, rows, agreement, user)


@scoped("topic")
@records_user
@transaction.atomic
def topic_update(*, topic: Topic, title: str, explanation: str = "", items=None, user,
                 expected_version: int | None = None) -> Topic:
    """Change a topic; with `items` its sub-items are replaced by the given list, in order.

    `expected_version`: the version the form was loaded with; StaleEdit if it moved.
    """
    agreement = _locked_agreement(topic.agreement_id)
    _check_edit(user, agreement.organisation)
    title = clean_title(title)
    rows = clean_items(items) if items is not None else None
    topic = Topic.objects.get(pk=topic.pk)
    check_and_bump(topic, expected_version)
    topic.title, topic.explanation = title, paragraphs(explanation)
    topic.save(update_fields=["title", "explanation", "version"])
    return _topic_saved(topic, rows, agreement, user)


@scoped("topic")
@records_user
@transaction.atomic
def topic_delete(*, topic: Topic, user) -> None:
    """Delete a topic with its sub-items; the topics after it move up (๓. becomes ๒.)."""
    agreement = _locked_agreement(topic.agreement_id)
    _check_edit(user, agreement.organisation)
    Topic.objects.filter(pk=topic.pk).delete()
    ordering.close_gaps(agreement.topics.all())
    _changed(agreement, user)


@scoped("topic")
@records_user
@transaction.atomic
def topic_move(*, topic: Topic, offset: int, user) -> bool:
    """Move a topic up (-1) or down (+1); False when it is already first or last."""
    agreement = _locked_agreement(topic.agreement_id)
    _check_edit(user, agreement.organisation)
    moved = ordering.move(topic, offset, siblings=agreement.topics.all())
    if moved:
        _changed(agreement, user)
    return moved
