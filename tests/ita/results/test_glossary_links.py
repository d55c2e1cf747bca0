"""The ITA pages explain IIT, EIT and OIT: each header links to its glossary entry (/help/terms/)."""

from django.urls import reverse

from tests.ita.results.page_helpers import uniform


def test_ita_headers_link_iit_eit_oit_to_the_glossary(org, years, auditor, client_for):
    years.save(org, 2566, uniform("80"))
    client = client_for(auditor)
    for url in (reverse("ita:list"), reverse("ita:history", args=[org.code])):
        html = client.get(url).content.decode()
        for slug in ("iit", "eit", "oit"):
            assert f'href="{reverse("glossary")}#{slug}"' in html, (url, slug)
