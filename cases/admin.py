from django.contrib import admin

from cases.models import Attachment, AttachmentDocument, Case, CaseStep, Decision, Recommendation, Section


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


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "meeting", "authority", "closed"]
    list_filter = ["meeting__committee", "authority", "closed", "decision__outcome"]
    search_fields = ["title", "reference", "decision__text"]
    list_select_related = ["meeting__committee"]
    raw_id_fields = ["meeting"]
    inlines = [DecisionInline, RecommendationInline, CaseStepInline, SectionInline, AttachmentInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["case", "outcome", "text"]
    list_filter = ["outcome"]
    search_fields = ["text", "case__title"]
    list_select_related = ["case__meeting__committee"]
    raw_id_fields = ["case"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "case", "document"]
    list_filter = ["case__meeting__committee"]
    search_fields = ["title"]
    list_select_related = ["case__meeting__committee", "document"]
    raw_id_fields = ["case", "document"]


@admin.register(AttachmentDocument)
class AttachmentDocumentAdmin(admin.ModelAdmin):
    list_display = ["filename", "title", "content_type", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["filename", "title", "text"]
    readonly_fields = ["sha256", "uploaded_at", "content_type"]
    exclude = ["content"]
