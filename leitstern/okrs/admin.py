from django.contrib import admin

from leitstern.okrs.models import Cycle, KeyResult, Objective


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "starts_on", "ends_on", "phase")


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("title", "team", "cycle", "status")
    list_filter = ("organization",)


@admin.register(KeyResult)
class KeyResultAdmin(admin.ModelAdmin):
    list_display = ("title", "objective", "kind", "hypothesis_status")
    # Derived from check-ins under a row lock (checkins/services.py): never edited by hand.
    readonly_fields = ("current_value", "current_confidence", "last_checkin_on")
