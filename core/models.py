"""Abstract bases shared by the apps' models."""

from django.db import models


class Timestamped(models.Model):
    """created_at / updated_at, as every domain type of the spec carries them."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
