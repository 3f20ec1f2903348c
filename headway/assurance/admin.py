from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from headway.assurance.models import PitfallSettings


@admin.register(PitfallSettings)
class PitfallSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "overrides"]
