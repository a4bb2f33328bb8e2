"""Top-level URLs: the citizens' portal at the root, agents under /agents/, the API under /api/."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Parvis — administration")
admin.site.site_title = "Parvis"  # i18n: ignore — the product's name
admin.site.index_title = _("Catalogue, agents et réglages")

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("agents/", include("parvis.backoffice.urls")),
    path("api/", include("parvis.api.urls")),
    path("", include("parvis.portal.urls")),
]

# Django's own pages are bare and English: ours are French, in the site's look (error_pages).
handler400 = "parvis.error_pages.bad_request"
handler403 = "parvis.error_pages.permission_denied"
handler404 = "parvis.error_pages.page_not_found"
handler500 = "parvis.error_pages.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
