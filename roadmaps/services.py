"""The roadmap's write layer: every change to a roadmap goes through these functions."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from instrument.models import Statement
from organisations.models import Municipality
from reports import scoring
from reports.models import Snapshot

from . import planning
from .models import Roadmap, RoadmapItem


def roadmap_for(municipality: Municipality) -> Roadmap:
    """The municipality's roadmap, made the first time something is put on it."""
    found = Roadmap.objects.filter(municipality=municipality).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Roadmap.objects.create(municipality=municipality)
    except IntegrityError:  # made by a concurrent request
        return Roadmap.objects.get(municipality=municipality)


def default_actions(statement: Statement, current: scoring.GroupFigure, target: int) -> str:
    """What the next levels ask, from the level above now up to the target (editable)."""
    if not current.shown:
        return ""
    return "\n".join(f"{level}. {statement.level_text(level)}" for level in planning.next_levels(current.mean, target))


@transaction.atomic
def add_item(
    municipality: Municipality,
    statement: Statement,
    baseline: Snapshot | None,
    current: scoring.GroupFigure,
    desired: scoring.GroupFigure,
    *,
    by: str,
) -> tuple[RoadmapItem, bool]:
    """Put a statement on the roadmap with a proposed target and actions. Returns (item, created);
    a statement already on the roadmap is returned as it is."""
    roadmap = roadmap_for(municipality)
    existing = RoadmapItem.objects.filter(roadmap=roadmap, lineage=statement.lineage).first()
    if existing is not None:
        return existing, False
    if current.shown and desired.shown:
        target = planning.default_target(current.mean, desired.mean)
    elif current.shown:
        target = min(5, int(current.mean) + 1)
    else:
        target = 3
    item = RoadmapItem.objects.create(
        roadmap=roadmap,
        statement=statement,
        lineage=statement.lineage,
        target_level=target,
        actions=default_actions(statement, current, target),
        baseline=baseline,
        created_by=by,
    )
    Roadmap.objects.filter(pk=roadmap.pk).update(updated_at=item.created_at)
    return item, True


FIELDS = ["target_level", "horizon", "owner", "actions", "budget", "partners", "indicator", "status"]


@transaction.atomic
def update_item(item: RoadmapItem, data: dict) -> None:
    for name in FIELDS:
        setattr(item, name, data[name])
    item.save()
    Roadmap.objects.filter(pk=item.roadmap_id).update(updated_at=item.updated_at)


@transaction.atomic
def remove_item(item: RoadmapItem) -> None:
    roadmap_id = item.roadmap_id
    item.delete()
    Roadmap.objects.filter(pk=roadmap_id).update(updated_at=timezone.now())
