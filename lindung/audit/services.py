"""Recording audit entries.

Changes to tracked models are recorded automatically (signals, see :func:`track`), with the actor
taken from a context variable that the web middleware, the CLI and background jobs set. Imports,
exports and views of a full NIK are recorded explicitly by the code that performs them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from lindung.audit.models import AuditEntry


@dataclass(frozen=True)
class Actor:
    user: Any = None
    label: str = "sistem"
    ip: str | None = None


_actor: ContextVar[Actor] = ContextVar("lindung_audit_actor", default=Actor())  # noqa: B039 (frozen)


def current_actor() -> Actor:
    return _actor.get()


@contextmanager
def acting_as(
    user: Any = None, *, label: str | None = None, ip: str | None = None
) -> Iterator[None]:
    """Attribute everything recorded inside the block to ``user`` (or a named system process)."""
    name = label or (user.get_username() if user is not None else "sistem")
    token = _actor.set(Actor(user=user, label=name, ip=ip))
    try:
        yield
    finally:
        _actor.reset(token)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    object_type: str = "",
) -> AuditEntry:
    """Append one entry for the current actor."""
    actor = current_actor()
    user = actor.user if getattr(actor.user, "pk", None) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=actor.label[:150],
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=_jsonable(changes or {}),
        detail=_jsonable(detail or {}),
        ip_address=actor.ip,
    )


def _field_names(model: type[models.Model], exclude: frozenset[str]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.attname not in exclude and not f.primary_key
    ]


def _value(instance: models.Model, name: str) -> Any:
    """A field's value as ``values()`` would give it: a stored file by its name."""
    value = getattr(instance, name)
    return (value.name or "") if isinstance(value, FieldFile) else value


def track(model: type[models.Model], *, exclude: tuple[str, ...] = ()) -> None:
    """Record create, update (field by field, old → new) and delete of ``model`` instances,
    and changes of its many-to-many fields (a programme's target kab/kota decides who sees it)."""
    skip = frozenset(exclude)
    fields = _field_names(model, skip)

    def snapshot(sender: Any, instance: models.Model, raw: bool = False, **kw: Any) -> None:
        before = None
        if instance.pk is not None and not raw:
            before = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
        instance._audit_before = before  # type: ignore[attr-defined]

    def saved(
        sender: Any, instance: models.Model, created: bool, raw: bool = False, **kw: Any
    ) -> None:
        if raw:
            return
        before = getattr(instance, "_audit_before", None)
        after = {name: _value(instance, name) for name in fields}
        if created or before is None:
            record(
                AuditEntry.Action.CREATE, instance, changes={k: [None, v] for k, v in after.items()}
            )
            return
        diff = {k: [before[k], v] for k, v in after.items() if _jsonable(before[k]) != _jsonable(v)}
        if diff:
            record(AuditEntry.Action.UPDATE, instance, changes=diff)

    def deleted(sender: Any, instance: models.Model, **kw: Any) -> None:
        values = {name: [_value(instance, name), None] for name in fields}
        record(AuditEntry.Action.DELETE, instance, changes=values)

    uid = f"lindung-audit-{model._meta.label_lower}"
    pre_save.connect(snapshot, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid)
    for field in model._meta.many_to_many:
        through = getattr(field.remote_field, "through", None)
        if field.name not in skip and through is not None:
            _track_many(field.name, through, uid)


def _track_many(name: str, through: type[models.Model], uid: str) -> None:
    """One UPDATE entry per change of the ``name`` set, as ``[old keys, new keys]``."""

    def changed(sender: Any, instance: models.Model, action: str, reverse: bool, **kw: Any) -> None:
        if reverse:  # changed from the other side (e.g. a region's programmes): not tracked
            return
        keys = sorted(getattr(instance, name).values_list("pk", flat=True))
        if action.startswith("pre_"):
            instance.__dict__[f"_audit_{name}"] = keys
        elif action.startswith("post_"):
            before = instance.__dict__.pop(f"_audit_{name}", [])
            if before != keys:
                record(AuditEntry.Action.UPDATE, instance, changes={name: [before, keys]})

    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"{uid}-{name}")
