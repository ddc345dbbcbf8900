"""Keep the search index current on admin edits, without the cases or meetings apps knowing about search.

The case, decision, attachment, document and meeting admins are replaced by subclasses that reindex the cases an
edit touched after saving (and purge them after deleting). The index table itself is read-only here.
"""

from django.contrib import admin

import cases.admin as cases_admin
import meetings.admin as meetings_admin
from cases.models import Attachment, AttachmentDocument, Case, Decision
from meetings.models import Meeting
from search.index import index_cases
from search.models import VECTORS, SearchDocument


class ReindexMixin:
    """Reindex the affected cases after every save or delete made through this admin."""

    def case_ids(self, obj) -> set[int]:
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Inlines are saved by now, so the document sees the new sections, decision and attachments.
        ids = self.case_ids(form.instance)
        initial_case = form.initial.get("case")
        if initial_case:
            ids.add(getattr(initial_case, "pk", initial_case))
        index_cases(ids)

    def delete_model(self, request, obj):
        ids = self.case_ids(obj)
        super().delete_model(request, obj)
        index_cases(ids)

    def delete_queryset(self, request, queryset):
        ids = set().union(*(self.case_ids(obj) for obj in queryset))
        super().delete_queryset(request, queryset)
        index_cases(ids)


class CaseAdmin(ReindexMixin, cases_admin.CaseAdmin):
    def case_ids(self, obj):
        return {obj.pk}


class DecisionAdmin(ReindexMixin, cases_admin.DecisionAdmin):
    def case_ids(self, obj):
        return {obj.case_id}


class AttachmentAdmin(ReindexMixin, cases_admin.AttachmentAdmin):
    def case_ids(self, obj):
        return {obj.case_id}


class AttachmentDocumentAdmin(ReindexMixin, cases_admin.AttachmentDocumentAdmin):
    def case_ids(self, obj):
        return set(obj.attachments.values_list("case_id", flat=True)) if obj.pk else set()


class MeetingAdmin(ReindexMixin, meetings_admin.MeetingAdmin):
    """A meeting's date or committee is copied into its cases' documents."""

    def case_ids(self, obj):
        return set(obj.cases.values_list("pk", flat=True)) if obj.pk else set()


for model, model_admin in (
    (Case, CaseAdmin),
    (Decision, DecisionAdmin),
    (Attachment, AttachmentAdmin),
    (AttachmentDocument, AttachmentDocumentAdmin),
    (Meeting, MeetingAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """Read-only view of the index, to check what a case is found by."""

    list_display = ["title", "committee", "meeting_date", "number", "outcome", "indexed_at"]
    list_filter = ["committee", "outcome"]
    search_fields = ["title"]
    exclude = list(VECTORS)

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
