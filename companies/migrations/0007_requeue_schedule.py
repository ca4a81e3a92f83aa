"""Schedule the sweep that queues stale company pushes again.

The schedule is a row of django-celery-beat, so that it can be changed in the admin; beat
would reset anything listed in CELERY_BEAT_SCHEDULE at every start.
"""

from django.db import migrations

NAME = "Queue stale company pushes again"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five_minutes, _created = IntervalSchedule.objects.get_or_create(every=300, period="seconds")
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": "companies.tasks.requeue_stale_pushes", "interval": every_five_minutes}
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0006_validation_messages"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
