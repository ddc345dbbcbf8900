from django.contrib import admin

from cases.models import Attachment, CaseStep, Decision, Recommendation, Section
from meetings.admin import ArchiveAdminMixin


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


class CaseStepInline(admin.TabularInline):
    model = CaseStep
    fk_name = "case"
    extra = 0
    raw_id_fields = ["earlier_case"]


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    raw_id_fields = ["document"]


# CaseAdmin, DecisionAdmin, AttachmentAdmin and AttachmentDocumentAdmin are registered by search.admin, which also
# reindexes the cases an edit touches (this app may not import search).


class CaseAdmin(ArchiveAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "meeting", "authority", "closed"]
    list_filter = ["meeting__committee", "authority", "closed", "decision__outcome"]
    search_fields = ["title", "reference", "decision__text"]
    list_select_related = ["meeting__committee"]
    raw_id_fields = ["meeting"]
    inlines = [DecisionInline, RecommendationInline, CaseStepInline, SectionInline, AttachmentInline]

    def archive_scope(self, obj):
        return {"meetings": {obj.meeting_id}}


class DecisionAdmin(ArchiveAdminMixin, admin.ModelAdmin):
    list_display = ["case", "outcome", "text"]
    list_filter = ["outcome"]
    search_fields = ["text", "case__title"]
    list_select_related = ["case__meeting__committee"]
    raw_id_fields = ["case"]

    def archive_scope(self, obj):
        return {"meetings": {obj.case.meeting_id}}


class AttachmentAdmin(ArchiveAdminMixin, admin.ModelAdmin):
    list_display = ["title", "number", "case", "document"]
    list_filter = ["case__meeting__committee"]
    search_fields = ["title"]
    list_select_related = ["case__meeting__committee", "document"]
    raw_id_fields = ["case", "document"]


class AttachmentDocumentAdmin(ArchiveAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "title", "content_type", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["filename", "title", "text"]
    readonly_fields = ["sha256", "uploaded_at", "content_type"]
    exclude = ["content"]
