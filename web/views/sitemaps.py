"""Sitemap sections: committees through Django's sitemap view, meetings and cases written directly.

A section page of 50 000 cases rendered through Django's template costs seconds (a dict, a `reverse` and a dozen
template nodes per URL); written here from plain rows it costs a small fraction of that, with the same XML,
the same `?p=` pages (404 past the last) and the same Last-Modified header.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.timezone import localtime

from web.sitemaps import SITEMAPS, ArchiveSitemap

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


@sitemap_views.x_robots_tag
def section(request, section: str):
    """One page (`?p=`) of one section of the sitemap."""
    sitemap_class = SITEMAPS.get(section)
    if sitemap_class is None or not issubclass(sitemap_class, ArchiveSitemap):
        return sitemap_views.sitemap(request, SITEMAPS, section=section)
    sitemap = sitemap_class()
    try:
        page = sitemap.paginator.page(request.GET.get("p", 1))
    except EmptyPage as exc:
        raise Http404(f"Page {request.GET.get('p')} empty") from exc
    except PageNotAnInteger as exc:
        raise Http404(f"No page {request.GET.get('p')!r}") from exc
    base = f"{request.scheme}://{get_current_site(request).domain}"
    changefreq = f"<changefreq>{sitemap.changefreq}</changefreq>" if sitemap.changefreq else ""
    parts, newest, days = [HEAD], None, {}
    for path, lastmod in sitemap.entries(page.object_list):
        if lastmod not in days:  # the local date, as the template's |date would give (many URLs share one)
            days[lastmod] = f"{localtime(lastmod):%Y-%m-%d}"
        parts.append(f"<url><loc>{escape(base + path)}</loc><lastmod>{days[lastmod]}</lastmod>{changefreq}</url>\n")
        newest = lastmod if newest is None or lastmod > newest else newest
    parts.append("</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    if newest is not None:  # as Django's view: ConditionalGetMiddleware answers 304 from it
        response["Last-Modified"] = http_date(newest.timestamp())
    return response
