"""The public OIT list of an organisation (no login), under /public/<code>/oit/."""

app_name = "public_oit"
urlpatterns: list = []
