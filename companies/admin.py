from datetime import UTC

from django.contrib import admin, messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from companies import sync
from companies.models import Company, SyncState


def describe_sync_state(company):
    """Return the sync state as a sentence, with its time in UTC."""
    when = company.sync_state_changed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if company.sync_state == SyncState.SYNCED:
        return f"Synced at {when}"
    if company.sync_state == SyncState.FAILED:
        return f"Failed at {when}: {company.sync_error}"
    return f"Pending since {when}"


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "company_type", "parent", "gravityzone_id", "sync_badge")
    list_filter = ("company_type", "sync_state")
    list_select_related = ("parent",)
    search_fields = ("name", "gravityzone_id")
    autocomplete_fields = ("parent",)
    fields = ("company_type", "name", "parent", "gravityzone_id_display", "sync_status")
    readonly_fields = ("gravityzone_id_display", "sync_status")
    actions = ("push_again",)

    def get_readonly_fields(self, request, obj=None):
        # GravityZone moves a company to another partner only through the network API, which
        # this back-office does not call, so the parent is shown read-only once the company is
        # in GravityZone. A form opened before that still posts a parent; the model's clean()
        # then rejects a change on the field instead of the form dropping it unseen.
        if obj is not None and obj.gravityzone_id and "parent" not in request.POST:
            return (*self.readonly_fields, "parent")
        return self.readonly_fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "name":
            # Without the browser's own limit, a pasted name that is too long gets an error
            # message instead of being cut short unseen; surrounding spaces do not count.
            field.widget.attrs.pop("maxlength", None)
        return field

    def has_delete_permission(self, request, obj=None):
        # TODO: deleting here would leave the company in GravityZone; deletion has to go
        # through deleteCompany first, which is not wired up yet.
        return False

    def save_model(self, request, obj, form, change):
        # Save only what the form changed, so a push finishing at this moment keeps the
        # GravityZone ID it just wrote.
        if change:
            obj.save(update_fields=form.changed_data)
        else:
            obj.save()
        if not change or form.changed_data:
            sync.request_push([obj.pk])

    @admin.display(description="GravityZone ID")
    def gravityzone_id_display(self, obj):
        return format_html("<span data-gravityzone-id>{}</span>", obj.gravityzone_id or "—")

    @admin.display(description="GravityZone sync")
    def sync_status(self, obj):
        if obj.pk is None:
            return "Pushed to GravityZone after saving."
        url = reverse("admin:companies_company_sync_status", args=[obj.pk])
        return format_html(
            '<span data-sync-status-url="{}" data-sync-state="{}">{}</span>',
            url,
            obj.sync_state,
            describe_sync_state(obj),
        )

    @admin.display(description="sync", ordering="sync_state")
    def sync_badge(self, obj):
        return format_html('<span title="{}">{}</span>', describe_sync_state(obj), obj.get_sync_state_display())

    @admin.action(description=sync.PUSH_AGAIN_ACTION, permissions=["change"])
    def push_again(self, request, queryset):
        company_ids = list(queryset.values_list("pk", flat=True))
        sync.request_push(company_ids)
        count = len(company_ids)
        message = ngettext(
            "%(count)d company queued for GravityZone.", "%(count)d companies queued for GravityZone.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def get_urls(self):
        sync_status_view = self.admin_site.admin_view(self.sync_status_view)
        return [
            path("<int:company_id>/sync-status/", sync_status_view, name="companies_company_sync_status"),
            *super().get_urls(),
        ]

    def sync_status_view(self, request, company_id):
        """Return the sync state as JSON, for the change page to follow a pending push."""
        company = get_object_or_404(Company, pk=company_id)
        if not self.has_view_permission(request, company):
            return JsonResponse({"error": "You may not view this company."}, status=403)
        return JsonResponse(
            {
                "state": company.sync_state,
                "description": describe_sync_state(company),
                "gravityzone_id": company.gravityzone_id,
            }
        )
