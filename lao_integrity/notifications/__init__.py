"""Notifications: in the portal (a bell) and by email. `notify()` is what the workflows call."""

EVENTS = ("submitted", "returned", "approved", "signed")


def notify(*, event: str, organisation, title: str, url: str, actor, comment: str = "") -> None:
    """Tell the people concerned that `event` happened to the document `title` (at `url`) of
    `organisation`, done by `actor`: "submitted" goes to those who may approve, the others to those
    who prepare it; never to the actor, never to an inactive user. Their notifications are written
    in the caller's transaction; the emails leave after it commits (services.notify_event)."""
    from .services import notify_event

    notify_event(event=event, organisation=organisation, title=title, url=url, user=actor, comment=comment)
