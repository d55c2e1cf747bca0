"""Both domains' pages under /agreements/, in one namespace: "agreements:list", "agreements:org_detail"."""

from .organisation import urls as organisation_urls
from .performance import urls as performance_urls

app_name = "agreements"

urlpatterns = [*performance_urls.urlpatterns, *organisation_urls.urlpatterns]
