from django.contrib import admin

from exchange.models import ImportMapping, ImportUpload


@admin.register(ImportUpload)
class ImportUploadAdmin(admin.ModelAdmin):
    list_display = ("filename", "kind", "plan", "framework", "uploaded_by", "uploaded_at", "imported_at")
    exclude = ("content",)
    readonly_fields = ("kind", "plan", "framework", "filename", "uploaded_by", "uploaded_at", "imported_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    list_display = ("user", "key", "saved_at")
    readonly_fields = ("user", "key", "mapping", "saved_at")
