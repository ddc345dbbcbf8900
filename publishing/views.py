"""The clerk's pages: upload, preview, publish, the upload history and a meeting's earlier protocol versions.

Every view checks the publish permission itself (anonymous users are sent to the login page, others get 403), so
no step can be reached by guessing its URL.
"""

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, View

from importer.attachments import AttachmentError
from importer.messages import attachment_error_text, error_text
from importer.records import ProtocolError
from meetings.models import Meeting, SourceDocument
from publishing import services
from publishing.forms import PublishForm, UploadForm
from publishing.models import Upload
from publishing.preview import build_preview

PUBLISH_PERMISSION = "publishing.publish_protocol"


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


class UploadPreviewView(ClerkRequiredMixin, DetailView):
    """Step 2: show what was read and what publishing would change; nothing is written."""

    model = Upload
    template_name = "publishing/upload_preview.html"
    context_object_name = "upload"

    def get_queryset(self):
        return Upload.objects.with_people()

    def get_context_data(self, *, publish_form=None, publish_error="", **kwargs):
        context = super().get_context_data(**kwargs)
        context["publish_form"] = publish_form or PublishForm()
        context["publish_error"] = publish_error
        if self.object.state == Upload.State.PREVIEW:
            try:
                context["preview"] = build_preview(self.object)
            except ProtocolError as exc:
                context["read_error"] = error_text(exc)
            except AttachmentError as exc:
                context["read_error"] = attachment_error_text(exc)
        return context


class UploadPublishView(UploadPreviewView):
    """Step 3 (POST only): publish through the import service, then go to the meeting's public page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = PublishForm(request.POST)
        form.is_valid()  # a lone optional checkbox is always valid; cleaned_data is what matters
        try:
            upload = services.upload_publish(
                upload=self.object, user=request.user, confirm_replace=form.cleaned_data.get("confirm_replace", False)
            )
        except services.ConfirmationRequired as exc:
            form.add_error("confirm_replace", exc.message)
            return self.render_to_response(self.get_context_data(publish_form=form), status=409)
        except services.PublishError as exc:
            self.object.refresh_from_db()
            return self.render_to_response(self.get_context_data(publish_error=exc.message), status=409)
        if upload.meeting is None:  # published earlier and the meeting has since been removed
            return redirect(upload)
        return redirect(upload.meeting)


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
