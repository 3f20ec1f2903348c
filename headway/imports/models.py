from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.accounts.models import Organisation


class UploadQuerySet(models.QuerySet["Upload"]):
    def for_organisation(self, organisation: Organisation) -> UploadQuerySet:
        return self.filter(organisation=organisation)


class Upload(models.Model):
    """A file uploaded to be imported, kept between its preview and its confirmation (ADR 33).
    What an import changed is in the history of each record it wrote; this row says which file
    it was, who uploaded it, and whether and when it was imported, so it is imported once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="uploads")
    kind = models.CharField(max_length=30)
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=200, blank=True)
    # The file's contents are let go `IMPORT_FILES_KEPT_DAYS` after its import (they may hold
    # people's names and emails); the row stays, saying what was imported, by whom and when.
    file_removed_at = models.DateTimeField(null=True, blank=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-uploaded_at"])]

    def __str__(self) -> str:
        return self.filename
