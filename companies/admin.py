import json
from datetime import UTC

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from companies import bulk, payloads, status, sync, tasks
from companies.choices import DEFAULT_ADDITIONAL_MODELS, LicenseType, StatusAction
from companies.forms import (
    COMPANY_FIELDS,
    SUBSCRIPTION_FIELDS,
    AddOnChangeForm,
    CompanyForm,
    StatusChangeForm,
    SubscriptionForm,
    SubscriptionFormSet,
)
from companies.models import ApiCall, BulkChange, Company, StatusChange, Subscription, SyncState
from gravityzone.types import to_params

TRIAL_TYPES = (LicenseType.MONTHLY_LICENSE_TRIAL, LicenseType.MONTHLY_SUBSCRIPTION_TRIAL)

# Fields GravityZone takes only when it creates a company.
CREATION_ONLY_FIELDS = ("can_be_managed_by_above", "account_email", "account_full_name")

ADD_ON_LABELS = (
    ("manage_event_correlator", "EDR"),
    ("manage_sandbox_analyzer", "Sandbox"),
    ("manage_hyper_detect", "HyperDetect"),
    ("manage_exchange", "Exchange"),
    ("manage_encryption", "Encryption"),
    ("manage_patch_management", "Patch"),
    ("manage_email_security", "Email"),
    ("manage_mobile_security", "Mobile"),
    ("manage_container_protection", "Containers"),
    ("manage_integrity_monitoring", "Integrity"),
    ("manage_remote_engines_scanning", "SVE"),
)


def describe_sync_state(company):
    """Return the sync state as a sentence, with its time in UTC."""
    when = company.sync_state_changed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if company.sync_state == SyncState.SYNCED:
        return f"Synced at {when}"
    if company.sync_state == SyncState.FAILED:
        return f"Failed at {when}: {company.sync_error}"
    return f"Pending since {when}"


class SubscriptionInline(admin.StackedInline):
    model = Subscription
    form = SubscriptionForm
    formset = SubscriptionFormSet
    min_num = 1
    max_num = 1
    can_delete = False
    verbose_name = "monthly subscription"
    verbose_name_plural = "monthly subscription"
    fieldsets = (
        (
            "Licence",
            {
                "fields": (
                    "license_type",
                    "reserved_slots",
                    ("end_subscription", "auto_renew_period"),
                    "minimum_endpoints",
                ),
            },
        ),
        (
            "Product and protection model",
            {
                "fields": (
                    "assigned_product_type",
                    "assigned_protection_model",
                    "additional_product_types",
                    "additional_protection_models",
                    "clients_protection_model_change",
                ),
            },
        ),
        (
            "Add-ons for the company's own use",
            {
                "description": "EDR switches Sandbox Analyzer and HyperDetect on and off with it. "
                "Container Protection needs the à la carte protection model.",
                "fields": (
                    ("manage_event_correlator", "manage_sandbox_analyzer", "manage_hyper_detect"),
                    ("manage_exchange", "manage_encryption", "manage_patch_management"),
                    ("manage_email_security", "manage_mobile_security", "manage_remote_engines_scanning"),
                    "manage_container_protection",
                    "manage_integrity_monitoring",
                    "im_data_retention",
                ),
            },
        ),
        (
            "XDR sensors",
            {
                "description": "Need EDR. Reselling XDR switches them on for every company a partner manages.",
                "fields": (
                    ("manage_xdr_identity_providers", "manage_xdr_productivity_apps"),
                    ("manage_xdr_network", "manage_xdr_cloud_workloads"),
                ),
            },
        ),
        ("Services", {"fields": ("mdr_service", "mdr_resell")}),
        (
            "Reselling (partners only)",
            {
                "classes": ("partner-only",),
                "fields": (
                    ("resell_event_correlator", "resell_sandbox_analyzer", "resell_hyper_detect"),
                    ("resell_xdr", "resell_remote_engines_scanning", "resell_container_protection"),
                ),
            },
        ),
    )

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["fields"] = SUBSCRIPTION_FIELDS
        return super().get_formset(request, obj, **kwargs)


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    form = CompanyForm
    inlines = (SubscriptionInline,)
    list_display = (
        "name",
        "company_type",
        "parent",
        "status_badge",
        "license_type",
        "product",
        "protection_model",
        "add_ons",
        "sync_badge",
    )
    list_filter = (
        "company_type",
        "status",
        "sync_state",
        "subscription__license_type",
        "subscription__assigned_product_type",
        "subscription__assigned_protection_model",
    )
    list_select_related = ("parent", "subscription")
    list_per_page = 100
    search_fields = ("name", "gravityzone_id", "parent__name")
    autocomplete_fields = ("parent",)
    readonly_fields = (
        "gravityzone_id_display",
        "sync_status",
        "status_display",
        "license_info_display",
        "next_requests",
        "api_call_log",
    )
    fieldsets = (
        (None, {"fields": ("company_type", "name", "parent", "loaded_version")}),
        ("Details", {"fields": ("address", "phone", ("country", "state"), "industry")}),
        (
            "Access",
            {
                "fields": (
                    "can_be_managed_by_above",
                    ("account_email", "account_full_name"),
                    ("enforce_2fa", "skip_2fa_period"),
                )
            },
        ),
        ("Contact person", {"fields": (("contact_full_name", "contact_role"), ("contact_email", "contact_phone"))}),
        (
            "GravityZone",
            {
                "fields": (
                    "gravityzone_id_display",
                    "sync_status",
                    "status_display",
                    "license_info_display",
                    "next_requests",
                    "api_call_log",
                )
            },
        ),
    )
    actions = ("push_again", "change_add_ons", "suspend_companies", "reactivate_companies")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A trial already in GravityZone changes only by switching to the monthly subscription; the
        # page dims its settings until that is chosen.
        stored_trial = Subscription.objects.filter(
            company_id=object_id, company__gravityzone_id__gt="", license_type__in=TRIAL_TYPES
        ).values_list("license_type", flat=True)
        extra_context = {
            **(extra_context or {}),
            "default_additional_models": {model.value: models for model, models in DEFAULT_ADDITIONAL_MODELS.items()},
            "stored_trial_type": (stored_trial.first() if object_id else None) or "",
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = [field for field in COMPANY_FIELDS if field not in self.get_readonly_fields(request, obj)]
        kwargs["fields"].append("loaded_version")
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.gravityzone_id:
            fields.extend(CREATION_ONLY_FIELDS)
            # GravityZone moves a company to another partner only through the network API,
            # which this back-office does not call, so the parent is shown read-only once the
            # company is in GravityZone. A form opened before that still posts a parent; the
            # model's clean() then rejects a change on the field instead of dropping it unseen.
            if "parent" not in request.POST:
                fields.append("parent")
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "name":
            # Without the browser's own limit, a pasted name that is too long gets an error
            # message instead of being cut short unseen. Surrounding spaces do not count.
            field.widget.attrs.pop("maxlength", None)
        return field

    def has_delete_permission(self, request, obj=None):
        # TODO: deleting here would leave the company in GravityZone; deletion has to go
        # through deleteCompany first, which is not wired up yet.
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        obj.version += 1
        if change:
            # Save only what the form changed, so a push finishing at this moment keeps the
            # GravityZone ID it just wrote.
            obj.save(update_fields=[*form.changed_data, "version", "updated_by", "updated_at"])
        else:
            obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        company = form.instance
        details_changed = bool(set(form.changed_data) - {"loaded_version"})
        subscription_changed = any(formset.has_changed() for formset in formsets)
        if not change or details_changed or subscription_changed:
            sync.request_push(
                [company.pk], details=details_changed, subscription=subscription_changed, user=request.user
            )

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        if obj.status_pending == StatusAction.SUSPEND:
            return "Suspension pending"
        if obj.status_pending == StatusAction.ACTIVATE:
            return "Reactivation pending"
        return obj.get_status_display()

    @admin.display(description="licence", ordering="subscription__license_type")
    def license_type(self, obj):
        subscription = getattr(obj, "subscription", None)
        return subscription.get_license_type_display() if subscription else "—"

    @admin.display(description="product", ordering="subscription__assigned_product_type")
    def product(self, obj):
        subscription = getattr(obj, "subscription", None)
        return subscription.get_assigned_product_type_display() if subscription else "—"

    @admin.display(description="protection model", ordering="subscription__assigned_protection_model")
    def protection_model(self, obj):
        subscription = getattr(obj, "subscription", None)
        return (subscription.get_assigned_protection_model_display() if subscription else "") or "—"

    @admin.display(description="add-ons")
    def add_ons(self, obj):
        subscription = getattr(obj, "subscription", None)
        if subscription is None:
            return "—"
        enabled = [label for field, label in ADD_ON_LABELS if getattr(subscription, field)]
        return ", ".join(enabled) or "—"

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

    @admin.display(description="status")
    def status_display(self, obj):
        if obj.pk is None:
            return "—"
        text = obj.get_status_display()
        if obj.status_changed_at:
            text += f" since {obj.status_changed_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        if obj.status_reason:
            text += f" ({obj.status_reason})"
        if obj.status_pending:
            text += f". {obj.get_status_pending_display()} requested, waiting for GravityZone"
        if obj.status_error:
            text += f". Last change failed: {obj.status_error}"
        return text

    @admin.display(description="licence in GravityZone")
    def license_info_display(self, obj):
        if obj.pk is None or not obj.gravityzone_id:
            return "Available once the company is in GravityZone."
        if obj.license_info is None:
            return "Not fetched yet: use “Refresh licence information” at the top of the page."
        info = obj.license_info
        license_type = info.get("subscriptionType")
        if license_type in LicenseType.values:
            license_type = LicenseType(license_type).label
        rows = [
            ("Licence type", license_type),
            ("Seats used", info.get("usedSlots")),
            ("Seats in total", "no fixed number" if info.get("totalSlots") is None else info.get("totalSlots")),
            ("Ends", info.get("endSubscription") or info.get("expiryDate") or "—"),
            ("Fetched", f"{obj.license_info_fetched_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"),
        ]
        return format_html("<table>{}</table>", format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows))

    @admin.display(description="next GravityZone requests")
    def next_requests(self, obj):
        """Show the JSON-RPC requests the next push sends, as the simulator or GravityZone gets them."""
        if obj.pk is None:
            return "Shown after saving."
        return format_html("<div data-next-requests>{}</div>", render_pending_requests(obj))

    @admin.display(description="records")
    def api_call_log(self, obj):
        if obj.pk is None:
            return "—"
        calls_url = reverse("admin:companies_apicall_changelist") + f"?company__id__exact={obj.pk}"
        links = [(calls_url, "GravityZone calls for this company")]
        subscription = getattr(obj, "subscription", None)
        if subscription is not None:
            links.append(
                (reverse("admin:companies_subscription_history", args=[subscription.pk]), "Subscription history")
            )
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.display(description="sync", ordering="sync_state")
    def sync_badge(self, obj):
        return format_html('<span title="{}">{}</span>', describe_sync_state(obj), obj.get_sync_state_display())

    @admin.action(description=sync.PUSH_AGAIN_ACTION, permissions=["change"])
    def push_again(self, request, queryset):
        company_ids = list(queryset.values_list("pk", flat=True))
        sync.request_push(company_ids, details=True, subscription=True, user=request.user)
        count = len(company_ids)
        message = ngettext(
            "%(count)d company queued for GravityZone.", "%(count)d companies queued for GravityZone.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description="Change add-ons of selected companies", permissions=["change"])
    def change_add_ons(self, request, queryset):
        """Ask which add-ons to switch, then apply the change and queue the pushes."""
        form = AddOnChangeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            bulk_change = bulk.change_add_ons(queryset, form.changes(), user=request.user)
            queued = len(bulk_change.company_ids)
            message = ngettext(
                "%(count)d subscription change queued for GravityZone",
                "%(count)d subscription changes queued for GravityZone",
                queued,
            ) % {"count": queued}
            if bulk_change.skipped:
                message += f"; {len(bulk_change.skipped)} companies left as they were (listed below)"
            self.message_user(request, message + ".", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:companies_bulkchange_change", args=[bulk_change.pk]))

        context = {
            **self.admin_site.each_context(request),
            "title": "Change add-ons",
            "form": form,
            "count": queryset.count(),
            "examples": list(queryset.values_list("name", flat=True)[:10]),
            "more": max(queryset.count() - 10, 0),
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across") == "1",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/companies/company/change_add_ons.html", context)

    @admin.action(description="Suspend selected companies", permissions=["suspend"])
    def suspend_companies(self, request, queryset):
        return self._change_status(request, queryset, StatusAction.SUSPEND)

    @admin.action(description="Reactivate selected companies", permissions=["suspend"])
    def reactivate_companies(self, request, queryset):
        return self._change_status(request, queryset, StatusAction.ACTIVATE)

    def has_suspend_permission(self, request, obj=None):
        return request.user.has_perm("companies.suspend_company")

    def _change_status(self, request, queryset, action):
        """Confirm a suspension or reactivation with its scope and reason, then queue it."""
        verb = StatusAction(action).label
        form = StatusChangeForm(request.POST if "apply" in request.POST else None, action=action)
        if form.is_valid():
            status_change = status.request_status_change(
                queryset,
                action,
                recursive=form.cleaned_data["recursive"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
            if status_change is None:
                self.message_user(request, "None of the selected companies is in GravityZone yet.", messages.WARNING)
                return None
            count = status_change.targets.count()
            noun = "suspension" if action == StatusAction.SUSPEND else "reactivation"
            message = ngettext("%(count)d %(noun)s queued.", "%(count)d %(noun)ss queued.", count)
            self.message_user(request, message % {"count": count, "noun": noun}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:companies_statuschange_change", args=[status_change.pk]))

        count = queryset.count()
        below = len(status.descendant_ids(queryset.values_list("pk", flat=True)))
        context = {
            **self.admin_site.each_context(request),
            "title": f"{verb} companies",
            "below": below,
            "verb": verb,
            "form": form,
            "count": count,
            "names": list(queryset.values_list("name", flat=True)[:10]),
            "more": max(count - 10, 0),
            "not_in_gravityzone": queryset.filter(gravityzone_id="").count(),
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across") == "1",
            "action": f"{'suspend' if action == StatusAction.SUSPEND else 'reactivate'}_companies",
            "submit_label": f"{verb} in GravityZone",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/companies/company/change_status.html", context)

    def get_urls(self):
        sync_status_view = self.admin_site.admin_view(self.sync_status_view)
        push_view = self.admin_site.admin_view(self.push_view)
        refresh_view = self.admin_site.admin_view(self.refresh_license_view)
        return [
            path("<int:company_id>/sync-status/", sync_status_view, name="companies_company_sync_status"),
            path("<int:company_id>/push/", push_view, name="companies_company_push"),
            path("<int:company_id>/refresh-licence/", refresh_view, name="companies_company_refresh_license"),
            *super().get_urls(),
        ]

    def refresh_license_view(self, request, company_id):
        """Queue a getLicenseInfo call for the company; its page shows the result."""
        company = get_object_or_404(Company, pk=company_id)
        change_url = reverse("admin:companies_company_change", args=[company.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        if not request.user.has_perm("companies.refresh_license_info"):
            self.message_user(request, "Only support staff can refresh licence information.", messages.ERROR)
            return HttpResponseRedirect(change_url)
        transaction.on_commit(lambda: tasks.refresh_license_info.delay(company.pk, request.user.pk))
        self.message_user(request, "Licence information requested; reload the page in a few seconds.", messages.INFO)
        return HttpResponseRedirect(change_url)

    def push_view(self, request, company_id):
        """Queue the company's push again; unsaved edits on the page are not saved."""
        company = get_object_or_404(Company, pk=company_id)
        change_url = reverse("admin:companies_company_change", args=[company.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        if not self.has_change_permission(request, company):
            self.message_user(request, "Only account managers can push companies to GravityZone.", messages.ERROR)
            return HttpResponseRedirect(change_url)
        sync.request_push([company.pk], details=True, subscription=True, user=request.user)
        self.message_user(request, f"{company} queued for GravityZone.", messages.SUCCESS)
        return HttpResponseRedirect(change_url)

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
                "next_requests": render_pending_requests(company),
            }
        )


def render_pending_requests(company):
    """Return HTML of the requests the next push of the saved company sends."""
    requests = pending_requests(company)
    if not requests:
        return "Nothing is waiting to be sent."
    note = format_html("<p class='help'>{}</p>", "From the company as saved; edits not saved yet are not included.")
    blocks = format_html_join(
        "", '<pre class="gravityzone-request">{}</pre>', ((json.dumps(request, indent=2),) for request in requests)
    )
    return format_html("{}{}", blocks, note)


def pending_requests(company):
    """Return the JSON-RPC bodies the next push of `company` sends, with a placeholder id."""
    subscription = getattr(company, "subscription", None)
    calls = []
    if not company.gravityzone_id:
        params = to_params(payloads.new_company(company))
        if company.parent_id and not company.parent.gravityzone_id:
            # The parent's push fills this in before the company is created.
            params["parentId"] = f"<GravityZone ID of {company.parent}>"
        calls.append(("createCompany", params))
    else:
        if company.push_details:
            params = to_params(payloads.company_changes(company))
            calls.append(("updateCompanyDetails", {"companyId": company.gravityzone_id, **params}))
        if company.push_subscription and subscription is not None:
            params = to_params(payloads.monthly_subscription(company, subscription))
            calls.append(("setMonthlySubscription", {"companyId": company.gravityzone_id, **params}))
    return [
        {"id": "<new for each call>", "jsonrpc": "2.0", "method": method, "params": params} for method, params in calls
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin for records written by the back-office itself, which people only read."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """Only the subscription's history: subscriptions are edited on their company's page."""

    def has_module_permission(self, request):
        return False


@admin.register(BulkChange)
class BulkChangeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "description", "created_by", "queued", "left_out")
    list_select_related = ("created_by",)
    fields = ("created_at", "created_by", "description", "queued", "skipped_companies")
    readonly_fields = fields

    @admin.display(description="companies queued")
    def queued(self, obj):
        return len(obj.company_ids)

    @admin.display(description="companies left as they were")
    def left_out(self, obj):
        return len(obj.skipped)

    @admin.display(description="left as they were")
    def skipped_companies(self, obj):
        if not obj.skipped:
            return "None"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}: {}</li>", ((item["company"], item["reason"]) for item in obj.skipped)),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        bulk_change = get_object_or_404(BulkChange, pk=object_id)
        progress = bulk.progress(bulk_change)
        extra_context = {
            **(extra_context or {}),
            "progress": progress,
            "total": len(bulk_change.company_ids),
            "done": progress["synced"] + progress["failed"],
            "pending": progress["pending"],
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "recursive", "reason", "created_by")
    list_filter = ("action",)
    list_select_related = ("created_by",)
    fields = ("created_at", "created_by", "action", "recursive", "reason", "outcomes")
    readonly_fields = fields

    @admin.display(description="companies")
    def outcomes(self, obj):
        targets = obj.targets.select_related("company").order_by("company__name")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {}{}</li>",
                (
                    (target.company, target.get_outcome_display(), f". {target.error}" if target.error else "")
                    for target in targets
                ),
            ),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        status_change = get_object_or_404(StatusChange, pk=object_id)
        progress = status.progress(status_change)
        extra_context = {
            **(extra_context or {}),
            "progress": progress,
            "total": sum(progress.values()),
            "finished": progress["done"] + progress["failed"],
            "pending": progress["pending"],
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "method", "company", "outcome", "duration_ms", "triggered_by")
    list_filter = ("outcome", "method", "api")
    list_select_related = ("company", "triggered_by")
    search_fields = ("company__name", "method", "error")
    date_hierarchy = "started_at"
    fields = (
        "started_at",
        "api",
        "method",
        "company",
        "triggered_by",
        "outcome",
        "error",
        "duration_ms",
        "params_json",
    )
    readonly_fields = fields

    @admin.display(description="params")
    def params_json(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.params, indent=2))
