"""The admin of the index, and the admin registration of the models whose edits change it.

Every admin edit of a case, decision, attachment, attachment document or meeting must reindex the cases it
touches, but `cases` and `meetings` sit below `search` and may not import it. So those apps define the admin
classes and leave these five models unregistered, and this module registers them once, as subclasses that
reindex after saving (inlines included) and after deleting — explicitly, without signals. Nothing is
unregistered: each model has one registration, made here.
"""

from django.contrib import admin

from cases.admin import AttachmentAdmin, AttachmentDocumentAdmin, CaseAdmin, DecisionAdmin
from cases.models import Attachment, AttachmentDocument, Case, Decision
from meetings.admin import MeetingAdmin
from meetings.models import Meeting
from search.index import index_cases
from search.models import VECTORS, SearchDocument


class ReindexMixin:
    """Reindex the affected cases after every save or delete made through this admin."""

    def case_ids(self, obj) -> set[int]:
        """The cases whose search documents an edit of obj changes."""
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Inlines are saved by now, so the document sees the new sections, decision and attachments.
        ids = self.case_ids(form.instance)
        initial_case = form.initial.get("case")
        if initial_case:  # moved to another case: the old one loses what moved
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


@admin.register(Case)
class IndexedCaseAdmin(ReindexMixin, CaseAdmin):
    def case_ids(self, obj):
        return {obj.pk}


@admin.register(Decision)
class IndexedDecisionAdmin(ReindexMixin, DecisionAdmin):
    def case_ids(self, obj):
        return {obj.case_id}


@admin.register(Attachment)
class IndexedAttachmentAdmin(ReindexMixin, AttachmentAdmin):
    def case_ids(self, obj):
        return {obj.case_id}


@admin.register(AttachmentDocument)
class IndexedAttachmentDocumentAdmin(ReindexMixin, AttachmentDocumentAdmin):
    def case_ids(self, obj):
        return set(obj.attachments.values_list("case_id", flat=True)) if obj.pk else set()


@admin.register(Meeting)
class IndexedMeetingAdmin(ReindexMixin, MeetingAdmin):
    """A meeting's date and committee are copied into its cases' documents."""

    def case_ids(self, obj):
        return set(obj.cases.values_list("pk", flat=True)) if obj.pk else set()


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
