"""Routes of this sub-domain, named in the "lpa" namespace (lpa/urls.py includes them)."""

urlpatterns: list = []
