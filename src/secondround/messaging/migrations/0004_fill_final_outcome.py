"""Which final outcome each application was last sent, from the outbox (hiring keeps it now)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TOLD = {"outcome_offer": "offer", "outcome_not_this_time": "not_this_time"}


def fill(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Application = apps.get_model("hiring", "Application")
    Message = apps.get_model("messaging", "Message")
    last: dict[int, str] = {}
    finals = Message.objects.filter(kind__in=TOLD, application__isnull=False)
    for application_id, kind in finals.order_by("created_at", "id").values_list(
        "application_id", "kind"
    ):
        last[application_id] = TOLD[kind]  # the newest one wins
    for told in set(last.values()):
        ids = [pk for pk, value in last.items() if value == told]
        Application.objects.filter(pk__in=ids).update(final_outcome=told)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0003_message_correction_reason"),
        ("hiring", "0007_application_final_outcome"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
