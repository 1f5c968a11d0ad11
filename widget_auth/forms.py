"""The admin's form for widget policies: origins one per line, the HMAC secret write-only."""

from __future__ import annotations

from django import forms

from widget_auth.models import WidgetPolicy
from widget_auth.validators import clean_origin_patterns


class OriginsField(forms.CharField):
    """A textarea of origin patterns, one a line, stored as a normalised list."""

    widget = forms.Textarea(attrs={"rows": 5, "placeholder": "https://app.example.com\nhttps://*.example.com"})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return clean_origin_patterns([line.strip() for line in (value or "").splitlines() if line.strip()])


class WidgetPolicyForm(forms.ModelForm):
    allowed_origins = OriginsField(
        required=False,
        help_text="One a line: *, an exact origin (https://app.example.com) or a host wildcard "
        "(https://*.example.com matches example.com and its subdomains). Empty = no site may embed the agent.",
    )
    hmac_secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Write-only: leave blank to keep the current secret. Used only with the HMAC-SHA256 scheme.",
    )

    class Meta:
        model = WidgetPolicy
        fields = ["agent", "enabled", "allowed_origins", "key_scheme", "public_key", "hmac_secret", "accept_legacy_auth_context", "notes"]
        labels = {"accept_legacy_auth_context": "Also accept legacy authContext"}
        help_texts = {
            "accept_legacy_auth_context": 'Off: only the bound format "v2:{agentId}:{origin}:{timestamp}:{userId}" verifies, so a '
            "context signed for another agent or site is refused even where the key is shared.",
        }

    def clean_public_key(self):
        return (self.cleaned_data.get("public_key") or "").strip()

    def clean_hmac_secret(self):
        secret = self.cleaned_data.get("hmac_secret") or ""
        # Blank keeps what is stored: the form never shows the secret back.
        return secret or (self.instance.hmac_secret if self.instance.pk else "")

    def _post_clean(self):
        # The model's clean() needs the scheme-specific field that goes with it;
        # drop key material the chosen scheme does not use before validating.
        scheme = self.cleaned_data.get("key_scheme")
        if scheme != WidgetPolicy.KeyScheme.HMAC_SHA256:
            self.cleaned_data["hmac_secret"] = ""
        if scheme != WidgetPolicy.KeyScheme.ED25519:
            self.cleaned_data["public_key"] = ""
        super()._post_clean()
