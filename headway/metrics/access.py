"""Look-ups that keep the organisation boundary, and who may change a metric or add its data.

Every metrics view fetches objects through these helpers. Each reaches the object through
`request.organisation`, so another organisation's metric, observation or annotation is simply
not found (404).

Who may do what: everyone in the organisation reads. Those with `Action.MANAGE_METRICS` (the
executive and the portfolio office) create and edit metrics. Adding data — a value, an upload or
an annotation — is also open to the delivery lead of an initiative the metric serves, and to the
metric's owner, because they are the people who hold the numbers.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from headway.accounts.people import names_of
from headway.accounts.roles import Action
from headway.metrics.models import Annotation, Metric, Observation
from headway.views import MemberRequest, scoped_get


def get_metric(request: MemberRequest, pk: int) -> Metric:
    return scoped_get(request, Metric.objects.select_related("owner"), pk)


def get_observation(request: MemberRequest, pk: int) -> Observation:
    return scoped_get(request, Observation.objects.select_related("metric"), pk, through="metric__organisation")


def get_annotation(request: MemberRequest, pk: int) -> Annotation:
    return scoped_get(request, Annotation.objects.select_related("metric"), pk, through="metric__organisation")


def people_of(organisation_id: int) -> dict[int, str]:
    """Names of the organisation's people by id, for showing who a history record names."""
    return names_of(organisation_id)


def can_edit_metric(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return bool(membership is not None and membership.can(Action.MANAGE_METRICS))


def can_add_data(request: HttpRequest, metric: Metric) -> bool:
    """May this person add values, uploads and annotations to the metric?"""
    membership = getattr(request, "membership", None)
    if membership is None:
        return False
    if membership.can(Action.MANAGE_METRICS):
        return True
    user_pk = getattr(request.user, "pk", None)
    if user_pk is not None and metric.owner_id == user_pk:
        return True
    return bool(
        membership.can(Action.EDIT_OWN_INITIATIVE) and metric.initiatives.filter(delivery_lead_id=user_pk).exists()
    )


def require_edit_metric(request: MemberRequest) -> None:
    if not can_edit_metric(request):
        role = request.membership.get_role_display()
        raise PermissionDenied(f"Your role ({role}) cannot change a metric's definition.")


def require_add_data(request: HttpRequest, metric: Metric) -> None:
    if not can_add_data(request, metric):
        raise PermissionDenied(
            f"Only the owner of ‘{metric.name}’, the delivery lead of an initiative it serves, an executive "
            "or the portfolio office can add its data."
        )
