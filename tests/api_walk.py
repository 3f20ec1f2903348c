"""Every API operation, from the OpenAPI document, with its path filled in and a valid body for
each write: what the boundary walk (tests/test_boundary.py) and the role walk
(tests/test_api_roles.py) send, so that an operation added to the API is walked without anyone
listing it. A write added without an example body below fails both walks until one is given."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from headway.api.main import api

# The Monday of a week with a checkpoint in the walks' data.
WEEK = "2026-11-16"

CHECKPOINT = {
    "reached_real_users": False,
    "confidence": "amber",
    "confidence_reason": "The supplier is late with the interface.",
}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/initiatives/{initiative_id}/checkpoints"): {**CHECKPOINT, "week": "2026-11-30"},
    ("PUT", "/api/v1/initiatives/{initiative_id}/checkpoints/{week}"): CHECKPOINT,
    ("POST", "/api/v1/initiatives/{initiative_id}/decisions"): {
        "kind": "continue",
        "rationale": "The pilot wards are using it every day.",
        "evidence": "Usage figures for November.",
        "decided_by": "Digital Investment Board",
        "decided_on": "2026-12-01",
    },
    ("POST", "/api/v1/metrics/{metric_id}/observations"): {"observations": [{"period": "2026-11", "value": 7}]},
}


@dataclass(frozen=True)
class Operation:
    method: str
    template: str

    def url(self, key: int, keys: dict[str, int] | None = None) -> str:
        """The path with every key `key`, but a week for a week and `keys` for the parameters they
        name (objects made by actions, such as a round's selection result, whose key is not chosen)."""
        chosen = keys or {}

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            return WEEK if name == "week" else str(chosen.get(name, key))

        return re.sub(r"\{(\w+)\}", fill, self.template)

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    @property
    def body(self) -> dict[str, Any] | None:
        return BODIES.get((self.method, self.template)) if self.writes else None


def operations() -> list[Operation]:
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    return [Operation(method.upper(), path) for path, methods in document["paths"].items() for method in methods]


def send(
    client: Any, operation: Operation, key: int, headers: dict[str, str], keys: dict[str, int] | None = None
) -> Any:
    """The operation, by its method, with a valid body (and an If-Match for an update)."""
    url = operation.url(key, keys)
    if not operation.writes:
        return client.get(url, headers=headers)
    if operation.body is None:
        raise AssertionError(f"Give {operation.method} {operation.template} an example body in tests/api_walk.py.")
    headers = {**headers, "If-Match": '"stale"'} if operation.method == "PUT" else headers
    return getattr(client, operation.method.lower())(
        url, operation.body, content_type="application/json", headers=headers
    )
