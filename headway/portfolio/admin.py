from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from headway.portfolio import actions
from headway.portfolio.models import (
    Checkpoint,
    Comment,
    Decision,
    Initiative,
    Risk,
    Service,
    StrategicGoal,
    UserNeed,
)


class UserNeedInline(admin.TabularInline):
    model = UserNeed
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "organisation", "phase", "status"]
    list_filter = ["organisation", "phase", "status"]
    search_fields = ["reference", "title"]
    readonly_fields = ["status"]
    inlines = [UserNeedInline]


@admin.register(Checkpoint)
class CheckpointAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "week_start", "confidence", "reached_real_users"]
    list_select_related = ["initiative"]
    date_hierarchy = "week_start"

    # Through the actions, like the weekly form, so the initiative's stored summary stays true.
    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        actions.save_checkpoint(checkpoint=obj, by=request.user, reason="Changed in the admin")

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        actions.delete_checkpoints(checkpoints=[obj], by=request.user, reason="Removed in the admin")

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        actions.delete_checkpoints(checkpoints=list(queryset), by=request.user, reason="Removed in the admin")


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "kind", "decided_on", "decided_by"]
    list_select_related = ["initiative"]
    readonly_fields = ["status_before", "status_after"]

    # A decision is a record of what was decided at the time. It is made through the
    # decision form (which also changes the initiative's status) and never rewritten here.
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "initiative", "likelihood", "consequence", "next_review", "status"]
    list_filter = ["organisation", "status"]


admin.site.register(StrategicGoal)
admin.site.register(Service)
admin.site.register(Comment)
