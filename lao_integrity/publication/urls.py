"""The public pages at /public/ (no login). The apps' own public pages are included under
/public/<code>/ by lao_integrity/urls.py."""

app_name = "publication"
urlpatterns: list = []
