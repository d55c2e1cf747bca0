"""{% fixed_url %} (templates/base.html's links) gives what {% url %} gives, under any script prefix."""

from django.template import engines
from django.urls import clear_script_prefix, set_script_prefix

NAMES = ["home", "plans:list", "jobs:list", "logout", "admin:index", "glossary", "notifications:list"]


def _both(name: str) -> tuple[str, str]:
    engine = engines["django"]
    source = "{% load fixed_urls %}{% fixed_url '" + name + "' %}|{% url '" + name + "' %}"
    return tuple(engine.from_string(source).render({}).split("|"))


def test_fixed_url_is_url():
    for name in NAMES:
        fixed, url = _both(name)
        assert fixed == url and url.startswith("/"), name


def test_fixed_url_follows_the_script_prefix():
    try:
        set_script_prefix("/portal/")
        fixed, url = _both("plans:list")
        assert fixed == url and url.startswith("/portal/")
    finally:
        clear_script_prefix()
        set_script_prefix("/")
    fixed, url = _both("plans:list")
    assert fixed == url and not url.startswith("/portal/")


def test_the_kept_addresses_stay_few_whatever_the_prefixes(monkeypatch):
    from lao_integrity import reversing

    try:
        for number in range(reversing.MOST + 50):
            set_script_prefix(f"/p{number}/")
            fixed, url = _both("home")
            assert fixed == url == f"/p{number}/"
        assert reversing._reversed.cache_info().currsize <= reversing.MOST
    finally:
        clear_script_prefix()
        set_script_prefix("/")
