"""The clerk's pages: upload, preview, publish, the upload history and a meeting's earlier protocol versions.

Every view checks the publish permission itself (anonymous users are sent to the login page, others get 403), so
no step can be reached by guessing its URL.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import TooManyFilesSent
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, View

from importer.attachments import AttachmentError
from importer.decode import decode
from importer.messages import attachment_error_text, error_text
from importer.privacy import Finding
from importer.records import ProtocolError
from meetings.models import Meeting, SourceDocument
from publishing import services
from publishing.forms import PublishForm, UploadForm
from publishing.models import Upload
from publishing.preview import build_preview
from publishing.tasks import release_if_stalled, upload_publish_later

PUBLISH_PERMISSION = "publishing.publish_protocol"
# The preview of a protocol with thousands of cases shows them a page at a time, so the page stays small.
PREVIEW_CASES_PER_PAGE = 100


class ClerkRequiredMixin(PermissionRequiredMixin):
    """Only clerks (the publish permission) get in; anonymous users go to the login page, others get 403."""

    permission_required = PUBLISH_PERMISSION
    permission_denied_message = gettext_lazy("Du har ikke adgang til at offentliggøre protokoller.")


class UploadView(ClerkRequiredMixin, FormView):
    """Step 1: choose the files. A protocol that cannot be read is refused here, with the reason and line."""

    form_class = UploadForm
    template_name = "publishing/upload_form.html"

    def form_valid(self, form):
        filename, content = form.cleaned_data["protocol"]
        upload = services.upload_preview(
            user=self.request.user, filename=filename, content=content, attachments=form.cleaned_data["attachments"]
        )
        if upload.state == Upload.State.FAILED:
            form.add_error("protocol", upload.error)
            return self.form_invalid(form)
        return redirect(upload)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["max_bytes"] = settings.UPLOAD_MAX_BYTES
        context["recent"] = Upload.objects.with_people().without_files().filter(uploaded_by=self.request.user)[:5]
        return context


def upload_too_large(request, *, length: int, limit: int):
    """The upload form, refusing a request whose body was too large to read (413; see RequestBodyLimitMiddleware)."""
    message = _(
        "Filerne fylder tilsammen %(size)s, men der kan højst sendes %(limit)s ad gangen. Upload protokollen og "
        "bilagene i flere omgange, eller gør filerne mindre."
    ) % {"size": filesizeformat(length), "limit": filesizeformat(limit)}
    return upload_refused(request, message, status=413)


def upload_unreadable(request, exc: Exception):
    """The upload form, refusing a request Django could not read as files (400; see RequestBodyLimitMiddleware)."""
    if isinstance(exc, TooManyFilesSent):
        message = _("Der blev valgt alt for mange filer på én gang. Der kan højst uploades %(count)d bilag ad gangen.")
        message %= {"count": settings.UPLOAD_MAX_ATTACHMENTS}
    elif "header size" in str(exc):  # Django caps each file's part header, which holds its name, at 1 024 bytes
        message = _("Et filnavn er for langt. Giv filen et kortere navn (højst et par hundrede tegn), og prøv igen.")
    else:
        message = _("Filerne kunne ikke modtages, fordi forsendelsen var ufuldstændig eller ugyldig. Prøv igen.")
    return upload_refused(request, message, status=400)


def upload_refused(request, message: str, *, status: int):
    """The upload form showing why the request was refused before it could be read; nothing was stored."""
    context = {"form": UploadForm.refused(message), "max_bytes": settings.UPLOAD_MAX_BYTES}
    return render(request, "publishing/upload_form.html", context, status=status)


def personal_data_rows(upload: Upload) -> list[tuple[str, list[Finding]]]:
    """The CPR numbers found at upload, each with every place it stands (document, line, case)."""
    rows: dict[str, list[Finding]] = {}
    for data in upload.personal_data:
        finding = Finding.from_json(data)
        rows.setdefault(finding.number, []).append(finding)
    return list(rows.items())


class UploadPreviewView(ClerkRequiredMixin, DetailView):
    """Step 2: show what was read and what publishing would change; nothing is written."""

    model = Upload
    template_name = "publishing/upload_preview.html"
    context_object_name = "upload"

    def get_queryset(self):
        return Upload.objects.with_people()

    def get_object(self, queryset=None):
        # A background publish that stalled (the worker died, the task was lost) comes back to the preview here,
        # with the reason, so the clerk can try again instead of watching the status page for ever.
        return release_if_stalled(super().get_object(queryset))

    def get_template_names(self):
        if self.object.state == Upload.State.PUBLISHING:
            return ["publishing/upload_publishing.html"]  # the background publish's status page
        return super().get_template_names()

    def publish_form(self, data=None, **kwargs) -> PublishForm:
        numbers = [number for number, _ in personal_data_rows(self.object)]
        return PublishForm(data, numbers=numbers, **kwargs)

    def get_context_data(self, *, publish_form=None, publish_error="", **kwargs):
        context = super().get_context_data(**kwargs)
        context["publish_error"] = publish_error or self.object.publish_error
        context["publish_timeout_minutes"] = max(1, round(settings.PUBLISH_TIMEOUT / 60))
        context["personal_data"] = personal_data_rows(self.object)
        if self.object.state == Upload.State.PREVIEW:
            try:
                preview = build_preview(self.object)
            except ProtocolError as exc:
                context["read_error"] = error_text(exc)
            except AttachmentError as exc:
                context["read_error"] = attachment_error_text(exc)
            else:
                page = Paginator(preview.cases, PREVIEW_CASES_PER_PAGE).get_page(self.request.GET.get("page"))
                preview.cases = list(page.object_list)
                context["preview"], context["cases_page"] = preview, page
                seen = PublishForm.seen(preview.existing.source_id if preview.existing else None)
                publish_form = publish_form or self.publish_form(initial={"seen_source": seen})
        context["publish_form"] = publish_form or self.publish_form()
        return context


class UploadPublishView(UploadPreviewView):
    """Step 3 (POST only): publish through the import service, then go to the meeting's public page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.publish_form(request.POST)
        form.is_valid()  # optional fields: an unknown number just stays masked; cleaned_data is what matters
        options = {
            "user": request.user,
            "confirm_replace": form.cleaned_data.get("confirm_replace", False),
            "not_personal": form.cleaned_data.get("not_personal", []),
            "expect_source": form.expected_source(),
        }
        if self.object.state == Upload.State.PUBLISHING:
            return redirect(self.object)  # the worker is at it (a stalled one was sent back to preview above)
        if services.publishes_in_background(self.object):
            upload = upload_publish_later(upload=self.object, **options)
            return redirect(upload)  # the status page, which follows the worker
        try:
            # A meeting the worker or an import is writing: wait a while, not past the server's request timeout.
            upload = services.upload_publish(upload=self.object, lock_wait=settings.MEETING_LOCK_WAIT, **options)
        except services.BeingPublished as exc:
            context = {"upload": self.object, "message": exc.message, "form": form}
            return render(request, "publishing/publish_busy.html", context, status=409)
        except services.PublishedMeanwhile as exc:
            context = {"upload": self.object, "meeting": exc.meeting, "message": exc.message}
            return render(request, "publishing/publish_conflict.html", context, status=409)
        except services.ConfirmationRequired as exc:
            form.add_error("confirm_replace", exc.message)
            return self.render_to_response(self.get_context_data(publish_form=form), status=409)
        except services.PublishError as exc:
            self.object.refresh_from_db()
            return self.render_to_response(self.get_context_data(publish_error=exc.message), status=409)
        messages.success(request, published_message(upload))
        # A meeting removed since, or withdrawn (publishing a new version does not restore it: that is the
        # admin's explicit "Offentliggør igen"), has no public page to go to.
        if upload.meeting is None or not upload.meeting.is_published:
            return redirect(upload)
        return redirect(upload.meeting)


def published_message(upload: Upload) -> str:
    """The confirmation a clerk sees, on the page they land on, after publishing."""
    if upload.meeting is None:
        return _("»%(file)s« er offentliggjort.") % {"file": upload.filename}
    what = _("Dagsordenen") if upload.meeting.is_agenda else _("Referatet")
    if not upload.meeting.is_published:
        return _("%(what)s er gemt i arkivet, men mødet er trukket tilbage og ikke offentligt.") % {"what": what}
    return _("%(what)s er offentliggjort: %(committee)s, %(date)s. Siden her er, hvad borgerne nu ser.") % {
        "what": what,
        "committee": upload.meeting.committee.name,
        "date": date_format(upload.meeting.date, "j. F Y"),
    }


class UploadOriginalView(ClerkRequiredMixin, View):
    """The uploaded protocol as the clerk sent it, CPR numbers unmasked: for clerks only, until it is purged."""

    def get(self, request, pk):
        upload = get_object_or_404(Upload.objects.only("pk", "content", "state"), pk=pk)
        content = bytes(upload.content)
        if not content:
            raise Http404(_("Den oprindelige fil er ikke gemt længere."))
        try:
            text = decode(content)[0]
        except ProtocolError:
            text = content.decode("utf-8", errors="replace")
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        response["Content-Disposition"] = f'inline; filename="upload-{upload.pk}.txt"'
        return response


class UploadListView(ClerkRequiredMixin, ListView):
    """Every upload, newest first: who, when, which file, its state and what it changed."""

    template_name = "publishing/upload_list.html"
    context_object_name = "uploads"
    paginate_by = 50

    def get_queryset(self):
        return Upload.objects.with_people().without_files()


class MeetingVersionsView(ClerkRequiredMixin, ListView):
    """Every protocol version a meeting has had, newest first; the current one is marked."""

    template_name = "publishing/meeting_versions.html"
    context_object_name = "versions"

    def get_queryset(self):
        self.meeting = get_object_or_404(
            Meeting.objects.with_committee(), committee__slug=self.kwargs["committee"], date=self.kwargs["date"]
        )
        return self.meeting.source_versions.select_related("imported_by").defer("content", "text")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.meeting
        return context


class VersionTextView(ClerkRequiredMixin, View):
    """One protocol version as plain text, for clerks only."""

    def get(self, request, committee, date, pk):
        source = get_object_or_404(
            SourceDocument.objects.defer("content"), pk=pk, meeting__committee__slug=committee, meeting__date=date
        )
        # The decoded text, re-encoded as UTF-8 (the original bytes may be Windows-1252). Served as text/plain with
        # nosniff and a sandboxing CSP, so a file containing markup can never run as a page on our origin.
        response = HttpResponse(source.text, content_type="text/plain; charset=utf-8")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        name = f"{committee}-{date.isoformat()}-version-{source.pk}.txt"  # from the URL, never the uploaded name
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
