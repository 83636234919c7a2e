"""The calibration snapshot is stored as JSON with a schema version instead of a pickle.

Existing pickles are dropped with their column: those snapshots read as "no fit" (result
null), so the worker refits on its next round and nothing is ever unpickled.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("debrief", "0002_decision_provisional"),
    ]

    operations = [
        migrations.RemoveField(model_name="calibrationsnapshot", name="payload"),
        migrations.AddField(
            model_name="calibrationsnapshot",
            name="result",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
