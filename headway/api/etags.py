"""ETags from the same version the forms check (ADR 16): the values an edit form starts from.

A form refuses a save from a page opened before someone else's save by comparing the values it
was opened with to those saved now. The API's ETag is a digest of those same values, so an API
update made after a form save (or the reverse) is refused: the form sees changed values, the API
sees a changed ETag.
"""

from __future__ import annotations

import hashlib
import json

from headway.api.problems import Problem
from headway.forms import NHSFormMixin


def etag_of(form: NHSFormMixin) -> str:
    """A strong ETag for what `form` shows as saved now."""
    snapshot = json.dumps(form.saved_values(), sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(snapshot.encode()).hexdigest()[:32] + '"'


def check_if_match(if_match: str | None, current: str) -> None:
    """Refuse an update without If-Match (428) or whose If-Match is not the current ETag (412)."""
    if not if_match:
        raise Problem(
            428,
            "Send the ETag you read as an If-Match header, so an update never overwrites a change you have not seen.",
        )
    offered = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    # "*" (any version) is not taken: it would overwrite blind, which the forms never do.
    if current in offered:
        return
    raise Problem(
        412,
        "This was changed after you read it (by someone else, or by you elsewhere), so nothing has been saved. "
        "Read it again, check the changes, and send your update with the new ETag.",
        headers={"ETag": current},
    )
