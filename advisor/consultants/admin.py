from __future__ import annotations

from django.contrib import admin

from advisor.consultants.models import ConsultantProfile


@admin.register(ConsultantProfile)
class ConsultantProfileAdmin(admin.ModelAdmin[ConsultantProfile]):
    list_display = ["__str__", "user", "accent_colour", "updated_at"]
    search_fields = ["firm_name", "user__username", "user__email"]
    raw_id_fields = ["user"]
