from django.contrib import admin
from django.utils import timezone

from feeds.models import Entry, SecretAddress


class PublicationFilter(admin.SimpleListFilter):
    title = "publication"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "draft":
            return queryset.filter(published_at__isnull=True)
        if self.value() == "scheduled":
            return queryset.filter(published_at__gt=now)
        if self.value() == "published":
            return queryset.filter(published_at__lte=now)
        return queryset


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "visibility", "published_at", "author", "updated_at"]
    list_filter = ["visibility", PublicationFilter, "author"]
    search_fields = ["title", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    list_select_related = ["author"]
    raw_id_fields = ["author"]


@admin.register(SecretAddress)
class SecretAddressAdmin(admin.ModelAdmin):
    """Revoke (delete) secret feed addresses; their owners make them, and see them once."""

    list_display = ["name", "user", "feed", "created_at", "last_used_at"]
    list_filter = ["feed", "created_at", "last_used_at"]
    search_fields = ["name", "user__username", "user__email"]
    readonly_fields = ["user", "feed", "name", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
