"""The versioned JSON API, `/api/v1/` (ADR 31): one NinjaAPI, with a router per area.

Each area's operations are in their own module (`portfolio.py`, `metrics.py`, …) so they can be
worked on apart. Every operation needs a personal access token (`auth.py`, ADR 32); every error
is problem details (`problems.py`); the OpenAPI 3.1 document is at `/api/v1/openapi.json` and a
page that reads it, drawn with the Swagger UI files ninja ships (served from here, never a CDN),
at `/api/v1/docs`.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.operation import Operation
from ninja.router import Router

from headway.api import metrics, money, packs, portfolio, problems, risks, rounds
from headway.api.auth import TokenAuth

DESCRIPTION = """Headway's data for scripts, spreadsheets and Power BI.

Send a personal access token (made on your account page) as `Authorization: Bearer <token>`.
A token works in one organisation and does no more than your role there allows; a read-only
token changes nothing. Errors are problem details (RFC 9457). Lists are paged with `limit` and
`offset`, and give the total `count` and the `next` page's address. To update a checkpoint,
send the `ETag` you read as `If-Match`. See docs/api.md for worked examples."""


class HeadwayAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The function's name ("list_initiatives"), not its module path: what clients generate code from.
        return operation.view_func.__name__

    def get_operation_url_name(self, operation: Operation, router: Router) -> str:
        # Unnamed: the site's page walks (which sign in with a session) leave the API to its own
        # walk, which sends tokens (tests/test_api_boundary.py, tests/test_api_roles.py).
        return ""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        # Refusals are problem details: say so in the document, so a client (and the contract
        # test) expects application/problem+json for every 4xx.
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {problems.MEDIA_TYPE: content["application/json"]}
        return schema


api = HeadwayAPI(
    title="Headway API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)
problems.install(api)
api.add_router("/", portfolio.router)
api.add_router("/", metrics.router)
api.add_router("/", risks.router)
api.add_router("/", money.router)
api.add_router("/", rounds.router)
api.add_router("/", packs.router)
