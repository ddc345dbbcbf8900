from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings.counts import counts_refresh
from meetings.models import Attendance, Committee, Party, Person, SourceDocument
from meetings.services import archive_changed, meeting_restore, meeting_withdraw


class ArchiveAdminMixin:
    """An admin edit changes what the public sees: after every save (inlines included) and delete, recount the kept
    totals it touched (`meetings.counts`) and move the archive's version, so cached pages are replaced at once.

    Explicit hooks on the ModelAdmin, not signals. `archive_scope` says which meetings, committees and people an
    object's totals belong to; it is asked before the edit (from the database) and after, and both are recounted.
    """

    def archive_scope(self, obj) -> dict[str, set[int]]:
        """{"meetings": ids, "committees": ids, "people": ids} whose kept totals `obj` counts in (none by default)."""
        return {}

    def _scope_in_database(self, obj) -> dict[str, set[int]]:
        stored = self.model._base_manager.filter(pk=obj.pk).first() if obj.pk else None
        return self.archive_scope(stored) if stored is not None else {}

    def _archive_changed(self, *scopes: dict[str, set[int]]) -> None:
        merged: dict[str, set[int]] = {"meetings": set(), "committees": set(), "people": set()}
        for scope in scopes:
            for name, ids in scope.items():
                merged[name] |= {i for i in ids if i is not None}
        if any(merged.values()):
            counts_refresh(**merged)
        archive_changed()

    def save_model(self, request, obj, form, change):
        # On the request, not on this ModelAdmin: one instance serves every request.
        request.archive_scope_before = self._scope_in_database(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "archive_scope_before", {})
        self._archive_changed(before, self.archive_scope(form.instance))

    def delete_model(self, request, obj):
        before = self.archive_scope(obj)
        super().delete_model(request, obj)
        self._archive_changed(before)

    def delete_queryset(self, request, queryset):
        before = [self.archive_scope(obj) for obj in queryset]
        super().delete_queryset(request, queryset)
        self._archive_changed(*before)


@admin.register(Committee)
class CommitteeAdmin(ArchiveAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Party)
class PartyAdmin(ArchiveAdminMixin, admin.ModelAdmin):
    list_display = ["letter", "name"]
    search_fields = ["letter", "name"]


@admin.register(Person)
class PersonAdmin(ArchiveAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fk_name = "meeting"
    extra = 0
    autocomplete_fields = ["person", "substitute_for"]


class PublishedFilter(admin.SimpleListFilter):
    title = _("offentliggjort")
    parameter_name = "offentlig"

    def lookups(self, request, model_admin):
        return [("ja", _("Ja")), ("nej", _("Nej, trukket tilbage"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.published()
        if self.value() == "nej":
            return queryset.withdrawn()
        return queryset


# Registered by search.admin, which also reindexes the cases an edit touches (this app may not import search).
class MeetingAdmin(ArchiveAdminMixin, admin.ModelAdmin):
    list_display = ["date", "committee", "first_case", "last_case", "ended_at", "is_published"]
    list_filter = ["committee", PublishedFilter, "date"]
    date_hierarchy = "date"
    search_fields = ["committee__name", "title"]
    list_select_related = ["committee"]
    raw_id_fields = ["source"]
    # Publication changes only through the actions, which go through meetings.services.
    readonly_fields = ["withdrawn_at"]
    inlines = [AttendanceInline]
    actions = ["withdraw", "restore"]

    def archive_scope(self, obj):
        return {
            "meetings": {obj.pk},
            "committees": {obj.committee_id},
            "people": set(obj.attendances.values_list("person_id", flat=True)),
        }

    @admin.display(boolean=True, description=_("offentliggjort"))
    def is_published(self, meeting):
        return meeting.is_published

    @admin.action(description=_("Træk valgte møder tilbage fra det offentlige arkiv"))
    def withdraw(self, request, queryset):
        for meeting in queryset:
            meeting_withdraw(meeting=meeting)
        self.message_user(
            request, ngettext("%d møde trukket tilbage.", "%d møder trukket tilbage.", len(queryset)) % len(queryset)
        )

    @admin.action(description=_("Offentliggør valgte møder igen"))
    def restore(self, request, queryset):
        for meeting in queryset:
            meeting_restore(meeting=meeting)
        self.message_user(
            request,
            ngettext("%d møde offentliggjort igen.", "%d møder offentliggjort igen.", len(queryset)) % len(queryset),
        )


@admin.register(SourceDocument)
class SourceDocumentAdmin(ArchiveAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "meeting", "encoding", "imported_at", "imported_by"]
    list_filter = ["encoding"]
    search_fields = ["filename", "sha256"]
    list_select_related = ["meeting__committee", "imported_by"]
    # The original is evidence: it is shown, never edited.
    readonly_fields = ["meeting", "filename", "text", "encoding", "sha256", "imported_by", "imported_at"]
    exclude = ["content"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attendance)
class AttendanceAdmin(ArchiveAdminMixin, admin.ModelAdmin):
    """Attendance rows; the cases someone missed are `cases.Absence` rows."""

    def archive_scope(self, obj):
        return {"meetings": {obj.meeting_id}, "people": {obj.person_id}}

    list_display = ["person", "meeting", "party", "role", "present"]
    list_filter = ["role", "present", "meeting__committee"]
    search_fields = ["person__name"]
    list_select_related = ["person", "meeting__committee"]
    autocomplete_fields = ["person", "substitute_for"]
