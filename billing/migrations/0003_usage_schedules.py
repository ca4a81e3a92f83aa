"""Schedule the usage pulls: the month that ended early on the 1st, the month under way daily.

Both are rows of django-celery-beat, in UTC, so that they can be changed in the admin; beat
would reset anything listed in CELERY_BEAT_SCHEDULE at every start.
"""

from django.db import migrations

SCHEDULES = {
    "Pull last month's usage": ("billing.tasks.pull_previous_month", {"minute": "0", "hour": "2", "day_of_month": "1"}),
    "Refresh this month's usage": ("billing.tasks.refresh_current_month", {"minute": "30", "hour": "3"}),
}


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, times) in SCHEDULES.items():
        fields = {"minute": "*", "hour": "*", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*", **times}
        crontab, _created = CrontabSchedule.objects.get_or_create(timezone="UTC", **fields)
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=SCHEDULES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_finance_role"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
