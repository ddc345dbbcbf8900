"""Uploads in the admin: read-only history (the clerk pages do the work; the admin only looks)."""

from django.contrib import admin

from publishing.models import Upload, UploadAttachment


class UploadAttachmentInline(admin.TabularInline):
    model = UploadAttachment
    fields = ["position", "filename", "title", "content_type", "sha256", "document"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content", "text", "html")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["filename", "state", "committee_name", "meeting_date", "uploaded_by", "uploaded_at", "published_at"]
    list_filter = ["state", "uploaded_at"]
    search_fields = ["filename", "sha256", "committee_name"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["uploaded_by"]
    fields = [
        "filename",
        "sha256",
        "size",
        "state",
        "error",
        "publish_error",
        "publish_queued_at",
        "committee_name",
        "meeting_date",
        "import_status",
        "changes",
        "meeting",
        "source",
        "uploaded_by",
        "uploaded_at",
        "published_by",
        "published_at",
    ]
    readonly_fields = fields
    inlines = [UploadAttachmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).without_files()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
