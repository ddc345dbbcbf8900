from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings.models import Attendance, Committee, Party, Person, SourceDocument
from meetings.services import meeting_restore, meeting_withdraw


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["letter", "name"]
    search_fields = ["letter", "name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
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
class MeetingAdmin(admin.ModelAdmin):
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
class SourceDocumentAdmin(admin.ModelAdmin):
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
class AttendanceAdmin(admin.ModelAdmin):
    """Attendance rows; the cases someone missed are `cases.Absence` rows."""

    list_display = ["person", "meeting", "party", "role", "present"]
    list_filter = ["role", "present", "meeting__committee"]
    search_fields = ["person__name"]
    list_select_related = ["person", "meeting__committee"]
    autocomplete_fields = ["person", "substitute_for"]
