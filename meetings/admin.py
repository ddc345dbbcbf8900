from django.contrib import admin

from meetings.models import Attendance, Committee, Meeting, Party, Person, SourceDocument


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


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "committee", "first_case", "last_case", "ended_at", "is_published"]
    list_filter = ["committee", "is_published", "date"]
    date_hierarchy = "date"
    search_fields = ["committee__name", "title"]
    list_select_related = ["committee"]
    raw_id_fields = ["source"]
    inlines = [AttendanceInline]


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
    list_display = ["person", "meeting", "party", "role", "present"]
    list_filter = ["role", "present", "meeting__committee"]
    search_fields = ["person__name"]
    list_select_related = ["person", "meeting__committee"]
    autocomplete_fields = ["person", "substitute_for"]
