"""Keep each initiative's newest-checkpoint summary true, whatever saved the checkpoint
(the weekly form, the admin, a command or an import)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from headway.portfolio.models import Checkpoint, Initiative


@receiver(post_save, sender=Checkpoint)
@receiver(post_delete, sender=Checkpoint)
def refresh_checkpoint_summary(sender: type[Checkpoint], instance: Checkpoint, **kwargs: Any) -> None:
    Initiative.objects.filter(pk=instance.initiative_id).refresh_checkpoint_summaries()
