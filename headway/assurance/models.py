"""The board's questions, kept as reference data (ADR 27).

The wording, the guide's reference and whether a question is asked live in the database, editable
in the admin with history, because a board rewords its questions and adds its own. What answers a
question is code: `assurance.ratings` holds one rule per question `key`, and a question whose key
has no rule is shown as not yet answered from the data.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class QuestionQuerySet(models.QuerySet["Question"]):
    def active(self) -> QuestionQuerySet:
        return self.filter(active=True)


class Question(models.Model):
    key = models.SlugField(
        max_length=50, unique=True, help_text="Names the rule that answers it; change it only with the code."
    )
    wording = models.TextField(help_text="The question as the board asks it.")
    guide_reference = models.CharField(
        "the guide's reference",
        max_length=300,
        blank=True,
        help_text="Where the question comes from, for example a section of the NHS digital delivery guide for boards.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised each time the wording changes.")
    active = models.BooleanField(default=True, help_text="Only active questions are asked on the page.")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.wording
