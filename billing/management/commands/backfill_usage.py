from django.core.management.base import BaseCommand, CommandError

from billing import pull
from billing.months import check_not_future, months_between, parse_month, target_month
from companies.models import Company
from gravityzone.errors import GravityZoneError


class Command(BaseCommand):
    help = (
        "Pull monthly usage from GravityZone for one month or a range of months, for every company "
        "billed monthly or for the named ones. Months are written yyyy-mm and decided in UTC."
    )

    def add_arguments(self, parser):
        parser.add_argument("first_month", help="the month to pull, or the first of the range (yyyy-mm)")
        parser.add_argument("last_month", nargs="?", help="the last month of the range (yyyy-mm)")
        parser.add_argument("--company", action="append", default=[], help="a company's name (repeatable)")

    def handle(self, *args, first_month, last_month, company, **options):
        try:
            first = parse_month(first_month)
            last = parse_month(last_month) if last_month else first
            check_not_future(last)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if last < first:
            raise CommandError(f"{last_month} comes before {first_month}; give the earlier month first.")

        companies = pull.billable_companies()
        if company:
            companies = companies.filter(name__in=company)
            missing = sorted(set(company) - set(companies.values_list("name", flat=True)))
            if missing:
                known = Company.objects.filter(name__in=missing).values_list("name", flat=True)
                reasons = [
                    f"{name} ({'not in GravityZone yet' if name in known else 'no such company'})" for name in missing
                ]
                raise CommandError(f"Cannot pull usage for: {', '.join(reasons)}.")

        failures = 0
        for month in months_between(first, last):
            failures += self.pull_month(month, companies)
        if failures:
            raise CommandError(f"{failures} companies could not be pulled; the usage pulls in the admin list them.")

    def pull_month(self, month, companies):
        try:
            usage_pull = pull.start_pull(month, companies, trigger="backfill")
        except pull.PullAlreadyRunning as exc:
            raise CommandError(f"{exc} Wait for it to finish, then run this again.") from None

        company_ids = list(companies.values_list("pk", flat=True))
        failures = 0
        for done, company_id in enumerate(company_ids, start=1):
            try:
                pull.pull_company(usage_pull.pk, company_id, month)
            except GravityZoneError as exc:
                pull.record_company_failure(usage_pull.pk, company_id, str(exc))
                failures += 1
            self.show_progress(target_month(month), done, len(company_ids))
        if not company_ids:
            pull.close_empty_pull(usage_pull)
        self.stdout.write("")
        return failures

    def show_progress(self, label, done, total):
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        self.stdout.write(f"\r{label} [{bar}] {done}/{total}", ending="")
        self.stdout.flush()
