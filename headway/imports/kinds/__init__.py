"""The kinds of record that can be imported, one module each, by the name used in addresses and
on the command line (`import_data KIND FILE`)."""

from __future__ import annotations

from headway.imports.kinds.checkpoints import Checkpoints
from headway.imports.kinds.funding import Funding
from headway.imports.kinds.initiatives import Initiatives
from headway.imports.kinds.metrics import Metrics
from headway.imports.kinds.metrics_observations import MetricObservations
from headway.imports.kinds.risks import Risks
from headway.imports.plan import Kind

KINDS: dict[str, type[Kind]] = {
    kind.slug: kind for kind in (Initiatives, Checkpoints, Risks, Metrics, MetricObservations, Funding)
}
