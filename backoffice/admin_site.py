"""The admin site, with two-factor login for staff when TWO_FACTOR_LOGIN is on."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm


class BackofficeAdminSite(admin.AdminSite):
    site_header = "GravityZone back-office"
    site_title = "GravityZone back-office"
    index_title = "Partner and customer companies"

    @property
    def login_form(self):
        # With two-factor login, the form also requests the code of the user's TOTP device.
        return OTPAdminAuthenticationForm if settings.TWO_FACTOR_LOGIN else AdminAuthenticationForm

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.TWO_FACTOR_LOGIN or request.user.is_verified()
