"""What several kinds share: finding this organisation's initiatives by reference."""

from __future__ import annotations

from collections.abc import Iterable

from headway.accounts.models import Organisation
from headway.imports.columns import CellError, Lookups
from headway.lib.tables import Cell, text_of
from headway.portfolio.models import Initiative


def reference(cell: Cell, lookups: Lookups) -> str:
    value = text_of(cell).upper()
    if len(value) > 20:
        raise CellError("a reference has at most 20 characters, for example RZZ-012.")
    return value


def initiatives_by_reference(organisation: Organisation, references: Iterable[str]) -> dict[str, Initiative]:
    """This organisation's initiatives with these references (in any case), by upper-case reference.
    Another organisation's reference finds nothing, as if it did not exist."""
    wanted = {r.upper() for r in references if r}
    ids = [
        pk
        for ref, pk in Initiative.objects.for_organisation(organisation).values_list("reference", "pk")
        if ref.upper() in wanted
    ]
    return {i.reference.upper(): i for i in Initiative.objects.filter(pk__in=ids)}


def unknown_initiative(reference: str) -> tuple[str, str]:
    return ("initiative", f"there is no initiative with the reference ‘{reference}’ in your organisation.")
