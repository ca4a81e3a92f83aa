from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Give a staff user a TOTP device for two-factor login and print the otpauth:// address to "
        "add to an authenticator app (most apps read it from a QR code of that address)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the user who logs in with the device")
        parser.add_argument("--name", default="Authenticator app", help="a label for the device")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}; create the user first.")
        if not user.is_staff:
            raise CommandError(f"{username} is not staff, so cannot log in to the admin.")

        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(f"TOTP device created for {username}. Add this address to the authenticator app:")
        self.stdout.write(device.config_url)
