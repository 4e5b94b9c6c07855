"""The audit trail of ruleset edits: who changed what, when, field by field.

Django admin's LogEntry only says "Changed condition"; a rule edit is only
auditable if the old and new condition are both kept, so every add, change
and delete of a ruleset, question or rule writes a ChangeRecord with
``{field: [old, new]}``. The admin and the publishing services call these
functions; they hold the user, which a model's save() never knows.
"""

from __future__ import annotations

import json
from typing import Any, TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from advisor.rules.models import ChangeAction, ChangeRecord, Question, Rule, Ruleset

Snapshot = dict[str, Any]
Audited = Ruleset | Question | Rule
# Who makes a change: the admin's request.user, or None from a command or a test.
Editor: TypeAlias = User | AnonymousUser | None

# Bookkeeping the user did not edit: the primary key says nothing, and
# created_at never changes.
_SKIPPED_FIELDS = frozenset({"id", "created_at"})


def snapshot(instance: models.Model) -> Snapshot:
    """The instance's field values as JSON would store them (dates as ISO text)."""
    values = {
        field.name: field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if field.name not in _SKIPPED_FIELDS
    }
    # A round trip through the encoder makes old and new comparable with ==
    # after one of them has been stored in the JSONField.
    stored: Snapshot = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return stored


def stored_snapshot(instance: models.Model) -> Snapshot | None:
    """The row as the database holds it now, or None for a new instance."""
    if instance.pk is None:
        return None
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    return None if stored is None else snapshot(stored)


def field_changes(before: Snapshot | None, after: Snapshot | None) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for each field that differs; empty values are skipped."""
    old, new = before or {}, after or {}
    changes = {}
    for name in dict.fromkeys([*old, *new]):
        if old.get(name) != new.get(name):
            changes[name] = [old.get(name), new.get(name)]
    return changes


def change_record(
    *,
    user: Editor,
    action: ChangeAction,
    instance: Audited,
    changes: dict[str, list[Any]],
    note: str = "",
) -> ChangeRecord:
    ruleset = instance if isinstance(instance, Ruleset) else instance.ruleset
    known_user = user if isinstance(user, User) else None  # AnonymousUser is not stored
    model_name = instance._meta.model_name
    assert model_name is not None  # set for every concrete model
    return ChangeRecord.objects.create(
        user=known_user,
        username=known_user.get_username() if known_user else "",
        action=action,
        ruleset=ruleset if ruleset.pk else None,
        ruleset_label=f"{ruleset.name} {ruleset.version}",
        object_type=model_name,
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        changes=changes,
        note=note,
    )


def record_save(
    *,
    user: Editor,
    instance: Audited,
    before: Snapshot | None,
) -> ChangeRecord | None:
    """Record an addition (``before`` is None) or a change; nothing if nothing changed."""
    changes = field_changes(before, snapshot(instance))
    if before is not None and not changes:
        return None
    action = ChangeAction.ADDED if before is None else ChangeAction.CHANGED
    return change_record(user=user, action=action, instance=instance, changes=changes)


def record_delete(*, user: Editor, instance: Audited) -> ChangeRecord:
    """Call before deleting, while the row and its ruleset still exist."""
    changes = field_changes(snapshot(instance), None)
    return change_record(user=user, action=ChangeAction.DELETED, instance=instance, changes=changes)
