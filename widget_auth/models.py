"""An agent's embed policy: which sites may embed it, and the key that vouches for their users."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import models

from widget_auth.validators import validate_ed25519_public_key, validate_origin_patterns


class WidgetPolicy(models.Model):
    class KeyScheme(models.TextChoices):
        NONE = "", "no key (authContext refused)"
        ED25519 = "ed25519", "Ed25519 public key"
        HMAC_SHA256 = "hmac-sha256", "HMAC-SHA256 shared secret (compatibility)"

    # The column is still agent_id; the policy now points at a registered agent.
    agent = models.OneToOneField("agents.Agent", on_delete=models.CASCADE, related_name="embed_policy")
    # A list of origin patterns: "*", "https://app.example.com", "https://*.example.com".
    allowed_origins = models.JSONField(default=list, blank=True, validators=[validate_origin_patterns])
    key_scheme = models.CharField(max_length=16, choices=KeyScheme.choices, default=KeyScheme.NONE, blank=True)
    # Base64 of the 32-byte Ed25519 public key; the host keeps the private key.
    public_key = models.CharField(max_length=64, blank=True, validators=[validate_ed25519_public_key])
    # Needed in clear to verify HMAC signatures; never shown back after it is set.
    hmac_secret = models.CharField(max_length=512, blank=True)
    # A policy that also accepts the legacy "{userId}:{timestamp}" authContext, which
    # names neither the agent nor the origin; off = only the bound "v2:" format.
    accept_legacy_auth_context = models.BooleanField(default=True)
    # A disabled policy refuses every session for the agent (AGENT_NOT_AUTHORIZED).
    enabled = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "widget policy"
        verbose_name_plural = "widget policies"

    def __str__(self) -> str:
        return f"policy for agent {self.agent_id}"

    def clean(self) -> None:
        if self.key_scheme == self.KeyScheme.ED25519 and not self.public_key:
            raise ValidationError({"public_key": "An Ed25519 policy needs the host's public key."})
        if self.key_scheme == self.KeyScheme.HMAC_SHA256 and not self.hmac_secret:
            raise ValidationError({"hmac_secret": "An HMAC-SHA256 policy needs a shared secret."})

    @property
    def key_fingerprint(self) -> str:
        """A short label telling keys apart. Only public keys get one: a hash of a
        weak shared secret would be material for guessing it."""
        if self.key_scheme == self.KeyScheme.ED25519 and self.public_key:
            return "sha256:" + hashlib.sha256(self.public_key.encode()).hexdigest()[:12]
        if self.key_scheme == self.KeyScheme.HMAC_SHA256:
            return "secret set" if self.hmac_secret else "secret missing"
        return ""
