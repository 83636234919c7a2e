from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QuestionsConfig(AppConfig):
    name = "secondround.questions"
    label = "questions"

    def ready(self) -> None:
        post_migrate.connect(load_builtin_bank, sender=self)


def load_builtin_bank(*, using: str = "default", plan: Any = None, **_kwargs: Any) -> None:
    """The shipped bank is written when the database is migrated, so reads never write it.

    Not a data migration: a data migration runs once, and an upgrade that ships new or
    corrected questions must bring them in too. `migrate` syncs every shipped question and
    scenario; a flush (tests) only reloads the bank if it was emptied.
    """
    from secondround.questions.bank import ensure_builtin_bank, sync_builtin_bank

    if plan is None:
        ensure_builtin_bank(using=using)
    else:
        sync_builtin_bank(using=using)
