"""One shape for every error the API gives: RFC 9457 problem details, as
`application/problem+json` (ADR 31).

Every refusal, whether ninja raised it (a body that does not match the schema, a missing token),
Django did (a page not found, a method not allowed) or one of Headway's rules did (a role that
cannot, a decision the initiative's status does not allow, a stale update), is answered with
`type`, `title`, `status` and `detail`; a refusal of values adds `errors`, each naming the field
by its path (`["body", "observations", 2, "value"]`) and saying what is wrong with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

MEDIA_TYPE = "application/problem+json"
API_PREFIX = "/api/"

TITLES = {
    400: "The request could not be read",
    401: "A valid access token is needed",
    403: "Your role or your token does not allow this",
    404: "Not found",
    405: "This method is not allowed here",
    409: "A rule refuses this",
    412: "Changed since you read it",
    422: "Some values are not valid",
    428: "Say which version you are changing",
    429: "Too many requests",
    500: "Something went wrong on our side",
}

Location = Sequence[str | int]


class Problem(Exception):
    """A refusal the API answers with problem details."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Iterable[tuple[Location, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})


def problem_response(
    status: int,
    detail: str,
    *,
    errors: Iterable[tuple[Location, str]] = (),
    headers: Mapping[str, str] | None = None,
    instance: str = "",
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Refused"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    listed = [{"field": list(location), "detail": message} for location, message in errors]
    if listed:
        body["errors"] = listed
    response = HttpResponse(json.dumps(body), status=status, content_type=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def form_errors(form: BaseForm, *, at: Location = ("body",)) -> list[tuple[Location, str]]:
    """A Django form's errors, each at its field's path under `at` (a non-field error at `at`)."""
    found: list[tuple[Location, str]] = []
    for name, messages in form.errors.items():
        where = [*at] if name == "__all__" else [*at, name]
        found += [(where, str(message)) for message in messages]
    return found


def refuse_invalid(form: BaseForm, *, at: Location = ("body",)) -> None:
    """Raise a 422 naming each field the form (the same form the page uses) refuses."""
    if not form.is_valid():
        # A filter (the query) is read, not saved: only a body was going to change anything.
        detail = (
            "Nothing has been saved: correct the values named in errors."
            if at and at[0] == "body"
            else "Correct the values named in errors."
        )
        raise Problem(422, detail, errors=form_errors(form, at=at))


def action_refusal(error: DjangoValidationError, *, at: Location = ("body",)) -> Problem:
    """A rule in an action refused the change (409), naming the fields it names."""
    errors: list[tuple[Location, str]] = []
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            where = [*at] if name == "__all__" else [*at, name]
            errors += [(where, message) for message in messages]
    else:
        errors = [([*at], message) for message in error.messages]
    detail = " ".join(message for _where, message in errors) or "A rule refuses this change."
    return Problem(409, f"Nothing has been saved. {detail}", errors=errors)


def _ninja_location(error: Mapping[str, Any]) -> list[str | int]:
    location = [part for part in error.get("loc", ()) if part not in ("", None)]
    # ninja names a body schema's parameter ("payload") after "body"; the path a caller knows
    # leaves it out.
    if len(location) >= 2 and location[0] == "body" and location[1] == "payload":
        location = [location[0], *location[2:]]
    return location


def install(api: NinjaAPI) -> None:
    """Answer every error ninja or Headway raises inside the API with problem details."""

    def handle_problem(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(exc.status, exc.detail, errors=exc.errors, headers=exc.headers, instance=request.path)

    def handle_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [(_ninja_location(e), str(e.get("msg", "Not valid."))) for e in exc.errors]
        return problem_response(
            422, "Some values are not valid: see errors for each field.", errors=errors, instance=request.path
        )

    def handle_http(request: HttpRequest, exc: Any) -> HttpResponse:
        headers: dict[str, str] = {}
        if isinstance(exc, Throttled) and exc.wait:
            headers["Retry-After"] = str(exc.wait)
        detail = str(exc.message)
        if isinstance(exc, AuthenticationError):
            detail = (
                "Send a personal access token as 'Authorization: Bearer <token>'. Make one on your account page; "
                "it must be current, not revoked, and its person still a member of its organisation."
            )
            headers["WWW-Authenticate"] = 'Bearer realm="headway"'
        return problem_response(exc.status_code, detail, headers=headers, instance=request.path)

    def handle_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(404, "There is nothing here in your organisation.", instance=request.path)

    def handle_denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(403, str(exc) or TITLES[403], instance=request.path)

    def handle_rule(request: HttpRequest, exc: Any) -> HttpResponse:
        return handle_problem(request, action_refusal(exc))

    api.add_exception_handler(Problem, handle_problem)
    api.add_exception_handler(NinjaValidationError, handle_validation)
    api.add_exception_handler(HttpError, handle_http)
    api.add_exception_handler(Http404, handle_not_found)
    api.add_exception_handler(PermissionDenied, handle_denied)
    api.add_exception_handler(DjangoValidationError, handle_rule)


class ProblemMiddleware:
    """What Django answers before the API's own code runs (an address the API does not have, a
    method an address does not take) as problem details too, under /api/ only."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(MEDIA_TYPE)
        ):
            status = response.status_code
            detail = {
                404: "The API has no such address. The operations are listed at /api/v1/docs.",
                405: f"{request.method} is not allowed here.",
            }.get(status, TITLES.get(status, "Refused"))
            replaced = problem_response(status, detail, instance=request.path)
            # Keep the headers the other middleware set (the security headers, Allow, Vary).
            for name, value in response.items():
                if name.lower() not in ("content-type", "content-length"):
                    replaced[name] = value
            return replaced
        return response
