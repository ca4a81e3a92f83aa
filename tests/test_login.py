"""Logging in to the admin: no hint about which user names exist, and optional two-factor login."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("admin:login")


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(username="ann", password="correct-horse-battery", is_staff=True)


def login_error(client, username, password, **extra):
    response = client.post(LOGIN_URL, {"username": username, "password": password, **extra})
    return response.context["form"].non_field_errors()


def test_unknown_user_and_wrong_password_look_alike(client, staff_user):
    unknown = login_error(client, "nobody", "correct-horse-battery")
    wrong = login_error(client, "ann", "wrong-password")

    assert unknown == wrong


def test_password_alone_is_refused_with_two_factor(client, settings, staff_user):
    settings.TWO_FACTOR_LOGIN = True
    TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)

    response = client.post(LOGIN_URL, {"username": "ann", "password": "correct-horse-battery"})

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_password_and_code_log_in_with_two_factor(client, settings, staff_user):
    settings.TWO_FACTOR_LOGIN = True
    device = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"

    response = client.post(
        LOGIN_URL,
        {"username": "ann", "password": "correct-horse-battery", "otp_device": device.persistent_id, "otp_token": code},
    )

    assert response.status_code == 302


def test_session_without_code_is_not_admitted_with_two_factor(client, settings, staff_user):
    settings.TWO_FACTOR_LOGIN = True
    client.force_login(staff_user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302


def test_add_totp_device_prints_authenticator_address(staff_user, capsys):
    from django.core.management import call_command

    call_command("add_totp_device", "ann")

    assert "otpauth://totp/" in capsys.readouterr().out
