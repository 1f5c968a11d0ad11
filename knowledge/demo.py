"""The demo knowledge a fresh install answers from: the "policies" set."""

from __future__ import annotations

from knowledge.sources import SourceDocument

DEMO_SET = "policies"

DEMO_DOCUMENTS = [
    SourceDocument(
        source="smooth-demo/policies/returns.md",
        title="Returns policy",
        type="markdown",
        content=(
            "# Returns policy\n\n"
            "## Return window\n\n"
            "You can return any unused item within 17 days of delivery for a full refund. "
            "The return window is exactly 17 days; items returned after that cannot be refunded.\n\n"
            "## How to return an item\n\n"
            "Start a return from your order page, print the prepaid label and drop the parcel at any carrier point. "
            "Refunds reach your original payment method within 5 business days of the item arriving at our warehouse."
        ),
    ),
    SourceDocument(
        source="smooth-demo/policies/shipping.md",
        title="Shipping policy",
        type="markdown",
        content=(
            "# Shipping policy\n\n"
            "## Delivery times\n\n"
            "Standard shipping takes 5 to 7 business days. Expedited shipping takes 2 business days. "
            "Orders placed before 2 pm ship the same business day.\n\n"
            "## Shipping costs\n\n"
            "Standard shipping is free on orders over 50 dollars; expedited shipping costs 15 dollars."
        ),
    ),
    SourceDocument(
        source="smooth-demo/policies/warranty.md",
        title="Warranty",
        type="markdown",
        content=(
            "# Warranty\n\n"
            "Every product carries a one-year warranty against manufacturing defects. "
            "To make a warranty claim, contact support with your order number and a photo of the defect."
        ),
    ),
    SourceDocument(
        source="smooth-demo/policies/contact.md",
        title="Contacting support",
        type="markdown",
        content=(
            "# Contacting support\n\n## Opening hours\n\n"
            "Our support team answers by chat and by email at support@example.com, Monday to Friday, 9 am to 6 pm."
        ),
    ),
]
