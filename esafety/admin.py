"""The Django admin's changes count as writes to the cached figures (``esafety.figures``) too."""

from django.contrib import admin

from esafety import figures


class FiguresAdmin(admin.ModelAdmin):
    """A model admin whose additions, changes and deletions give ``figure_areas`` new versions.

    The admin logs each change in the transaction of the save, after it: the bump goes with it.
    """

    figure_areas: tuple[str, ...] = ()

    def log_addition(self, request, obj, message):
        figures.bump(*self.figure_areas)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        figures.bump(*self.figure_areas)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        figures.bump(*self.figure_areas)
        return super().log_deletions(request, queryset)
