from django.contrib import admin

from esig.models import Rules


@admin.register(Rules)
class RulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "min_meetings_per_year", "training_valid_months", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        return False
