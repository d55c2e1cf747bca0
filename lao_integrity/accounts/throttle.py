"""How many password-reset emails one address, and one client, may ask for.

At most RESET_PER_ADDRESS emails per address and RESET_PER_CLIENT per client address (the IP as
django-axes counts it: lao_integrity.security.client_ip) within RESET_WINDOW seconds, a sliding
window: each request that went through is remembered with its time in Django's cache (the
"default" alias) and forgotten once older than the window. A request over either limit sends
nothing and is not counted, and the page answers exactly as for any other address, so the limit
reveals no more than the page does.

Counted is every request with a well-formed address, whether or not it belongs to an account:
counting only known addresses would answer differently for them.

The cache must be one for every worker process in production for the limits to hold across
workers (a local-memory cache counts per process).
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.core.cache import caches

from lao_integrity.security import client_ip

RESET_PER_ADDRESS = 3
RESET_PER_CLIENT = 20
RESET_WINDOW = 60 * 60  # seconds
CACHE_ALIAS = "default"

logger = logging.getLogger(__name__)


def _key(kind: str, value: str) -> str:
    return f"password-reset:{kind}:" + hashlib.sha256(value.encode()).hexdigest()


def _recent(cache, key: str, now: float) -> list[float]:
    return [t for t in cache.get(key) or [] if now - t < RESET_WINDOW]


def allow_reset(request, email: str) -> bool:
    """May a reset email for `email` be sent for this request? If so it is counted, else nothing is."""
    cache, now = caches[CACHE_ALIAS], time.time()
    counters = [(_key("address", email.strip().casefold()), RESET_PER_ADDRESS),
                (_key("client", client_ip(request) or "unknown"), RESET_PER_CLIENT)]
    recent = {key: _recent(cache, key, now) for key, _limit in counters}
    over = [key.split(":")[1] for key, limit in counters if len(recent[key]) >= limit]
    if over:
        logger.warning("password reset not sent: too many requests per %s within the hour", " and ".join(over))
        return False
    for key, _limit in counters:
        cache.set(key, [*recent[key], now], RESET_WINDOW)
    return True
