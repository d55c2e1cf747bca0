"""This app's public pages (no login), under /public/<code>/: each view wears
lao_integrity.publication.web.public_view and shows only what is signed and published."""

app_name = "public_plans"
urlpatterns: list = []
