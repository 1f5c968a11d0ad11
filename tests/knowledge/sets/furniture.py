"""Help centre of Hollin & Oak, a fictional online furniture shop (held out: never tuned on)."""

from tests.knowledge.sets import Q, unanswerable

DOCUMENTS = {
    "delivery-standard": """# Standard delivery

Small items such as lamps, cushions and rugs are sent by courier and arrive in 3 to 5 working days. Standard delivery costs 4.95 pounds and is free on orders over 60 pounds.
""",
    "delivery-two-person": """# Two-person delivery

Large items such as sofas, beds and wardrobes are delivered by a two-person team, who carry the item to the room of your choice. Two-person delivery costs 39 pounds per order. We call you 2 days before to agree a 2-hour time slot.
""",
    "delivery-express": """# Express delivery

Order small items before 1 pm on a weekday and we deliver them the next working day for 9.95 pounds. Express delivery is not available for large items or to the Scottish Highlands and islands.
""",
    "delivery-international": """# Delivery outside the UK

We deliver to Ireland, France, Belgium and the Netherlands. International delivery of large items costs 99 pounds. Import duties are included in the price, so there is nothing more to pay on arrival.
""",
    "assembly-service": """# Assembly service

Add assembly at checkout and our delivery team will build your furniture in the room and take the packaging away. Assembly costs 25 pounds for a small item such as a bedside table and 60 pounds for a wardrobe or bed frame.
""",
    "assembly-instructions": """# Lost assembly instructions

Every product page has the assembly instructions as a PDF under **Downloads**. Search for the product name or the article number printed on the box.
""",
    "missing-parts": """# Missing or damaged parts

If a screw, fitting or panel is missing or damaged, order a free replacement from **My orders > Request a part** within 90 days of delivery. Parts are posted within 5 working days. You do not need to return the item.
""",
    "returns-policy": """# Returning an item

You can return most items within 30 days of delivery for a full refund, as long as they are unused and in their original packaging.

Custom-made items, such as sofas in a fabric you chose and cut-to-size worktops, cannot be returned unless they are faulty. Mattresses can be returned only if the hygiene seal is intact.
""",
    "returns-large": """# Returning a large item

We collect large items from your home. Book a collection from **My orders > Return an item**; collection costs 39 pounds, which we take from your refund. The item must be dismantled and ready at the front door.
""",
    "returns-small": """# Returning a small item

Return small items for free at any post office with the label from **My orders > Return an item**, or drop them at one of our showrooms.
""",
    "refund-timing": """# When will I get my refund?

We refund to your original payment method within 5 working days of receiving the returned item. Your bank may take another 3 to 5 days to show it. Delivery charges are refunded only if the whole order is returned.
""",
    "mattress-trial": """# 100-night mattress trial

Every Hollin & Oak mattress comes with a 100-night trial, so you can sleep on it before you decide. Your body needs time to get used to a new mattress, so please keep it for at least 30 nights before asking to return it.

If it is not right for you, contact us between night 30 and night 100. We collect the mattress for free and refund you in full; we donate returned mattresses to charity. The trial is limited to one mattress return per household.
""",
    "sofa-fabrics": """# Choosing a sofa fabric

Our sofas come in three families of fabric. Weave fabrics are soft and textured, and suit homes without pets. Velvet is rich and warm, but shows marks and is not recommended in sunny rooms, because strong light fades it over time. Performance fabrics are made for busy homes: they resist stains, and most spills can be wiped away with a damp cloth.

If you have cats or dogs, choose a tightly woven performance fabric, which claws are less likely to catch on. Every fabric has a rub count on its product page; anything above 40,000 rubs is rated for heavy domestic use.

Before you decide, order up to 6 free fabric swatches. They arrive by post within 3 working days, and you do not need to send them back.
""",
    "sofa-care": """# Caring for your sofa

Plump the cushions every week and rotate them every month to keep them even. Vacuum the fabric with a soft brush. For spills, blot, never rub. Removable covers on weave sofas can be washed at 30 degrees; velvet covers must be dry-cleaned.
""",
    "wood-care": """# Caring for solid wood furniture

Solid wood is a natural material, and it moves: it expands a little in humid weather and shrinks in dry weather, so small gaps that open and close with the seasons are normal and not a fault. Keep wooden furniture at least 30 centimetres away from radiators and out of direct sunlight, which can dry and discolour the surface.

Dust with a soft, dry cloth. Clean with a cloth that is damp, not wet, and dry the surface straight away. Never use spray polish that contains silicone, because it builds up on the surface and stops the wood from breathing.

Oiled finishes need a new coat of oil once or twice a year, or whenever the wood looks dry. Apply a thin coat with a lint-free cloth, leave it for 15 minutes, and then wipe off what is left. Lacquered finishes need no oil.

Water rings can often be removed by rubbing gently along the grain with a little furniture wax.
""",
    "warranty": """# Guarantee

All our furniture has a 2-year guarantee against manufacturing faults. Sofa and chair frames are guaranteed for 10 years. The guarantee does not cover normal wear, accidental damage, or damage from not following the care instructions.
""",
    "faulty-item": """# My item arrived damaged

Tell us within 7 days of delivery and send a photo of the damage from **My orders > Report a problem**. We will send a replacement part, a replacement item or a refund, whichever you prefer, at no cost.
""",
    "order-tracking": """# Tracking your order

Small items: the courier's tracking link is in your dispatch email. Large items: the delivery date appears under **My orders** once your slot is booked, and on the day you get a text with a one-hour window.
""",
    "order-change": """# Changing or cancelling an order

You can change or cancel an order free of charge until it is dispatched, from **My orders**. Custom-made items can be cancelled only within 24 hours of ordering, because we start making them straight away.
""",
    "made-to-order": """# Made-to-order furniture

Sofas and armchairs in your choice of fabric are made to order in our workshop in Lancashire. They take 8 to 10 weeks to make, and we will give you a delivery date when your piece is ready.
""",
    "out-of-stock": """# Out of stock items

Click **Notify me** on the product page and we email you as soon as the item is back in stock. We do not take orders for out-of-stock items, except made-to-order pieces.
""",
    "payment-methods": """# Ways to pay

We accept Visa, Mastercard, American Express, PayPal, Apple Pay and Google Pay. Payment is taken when you place your order.
""",
    "finance": """# Spreading the cost

Orders over 500 pounds can be paid over 12 months at 0% APR, subject to status. Choose **Pay monthly** at checkout. The finance is provided by our partner, and a credit check is made when you apply.
""",
    "gift-cards": """# Gift cards

E-gift cards from 10 to 500 pounds are sent by email and can be used online and in our showrooms. They are valid for 24 months.
""",
    "discount-codes": """# Discount codes

Enter a discount code in the basket before you pay. Only one code can be used per order, and codes cannot be used on items already on sale or for gift cards.
""",
    "price-promise": """# Price promise

If we lower the price of something you bought within 14 days of your order, we refund the difference. Contact us with your order number.
""",
    "trade-programme": """# Trade programme for designers

Interior designers, architects and property developers get 15% off every order with a trade account. Apply with your company details; we approve applications within 3 working days.
""",
    "showrooms": """# Our showrooms

Visit our showrooms in London, Manchester and Bristol, open Monday to Saturday from 10 am to 6 pm and Sunday from 11 am to 5 pm. You can book a free design appointment with a stylist.
""",
    "design-service": """# Free design service

Our stylists help you plan a room, online or in a showroom. Appointments last 45 minutes and are free, with no obligation to buy. Book from the **Design service** page.
""",
    "bed-sizes": """# Bed sizes explained

| Size | Mattress width x length |
| --- | --- |
| Single | 90 x 190 cm |
| Double | 135 x 190 cm |
| King | 150 x 200 cm |
| Super king | 180 x 200 cm |

Our bed frames are made for UK sizes. European mattresses are a slightly different size and may not fit.
""",
    "mattress-firmness": """# Choosing mattress firmness

Side sleepers usually prefer a medium-soft mattress, back sleepers medium-firm, and stomach sleepers firm. Every mattress page shows a firmness score from 1 (soft) to 10 (firm).
""",
    "measuring": """# Will it fit?

Before ordering a large item, measure your doorways, hallways and stairs. Each product page lists the item's packaged dimensions. As a rule, a sofa fits through a door if the door is at least 5 centimetres wider than the sofa's depth.
""",
    "old-furniture-removal": """# Removing your old furniture

When we deliver a new sofa, bed or mattress, we can take away your old one for 35 pounds per item. Add it at checkout. The old item must be ready to carry and free of bedding.
""",
    "sustainability": """# Sustainability

All our solid wood is certified by the FSC. We plant a tree for every order, and our packaging is 90% recyclable.
""",
    "outdoor-furniture": """# Outdoor furniture

Our garden furniture is made of acacia wood or powder-coated aluminium. Cover it or store it indoors over winter. Acacia needs oiling twice a year to keep its colour.
""",
    "lighting": """# Lamps and light bulbs

Our lamps take standard E27 or E14 bulbs, shown on each product page. Bulbs are not included unless the page says so. We recommend LED bulbs of up to 9 watts.
""",
    "rugs": """# Rugs

Wool rugs shed fibres for the first few weeks; this is normal and stops with regular vacuuming. Use a rug pad on hard floors to stop slipping.
""",
    "account": """# Your account

Create an account to track orders, save favourites and book returns. To change your email or password, go to **Account > Settings**. To delete your account, contact customer service.
""",
    "newsletter": """# Newsletter

Sign up for our newsletter to hear about new collections and sales first, and get 10% off your first order. Unsubscribe at any time with the link at the bottom of each email.
""",
    "contact": """# Contact us

Call us on 0330 100 2000, Monday to Friday from 9 am to 7 pm and Saturday from 9 am to 5 pm, or use live chat on the website. Email help@hollinoak.example and we reply within 1 working day.
""",
}

QUESTIONS = [
    # delivery (near-duplicates)
    Q("how much is delivery", "delivery-standard", "4.95 pounds", "near-duplicate", "short"),
    Q("when is delivery free", "delivery-standard", "over 60 pounds", "near-duplicate"),
    Q(
        "will the delivery guys carry the sofa upstairs to the bedroom",
        "delivery-two-person",
        "room of your choice",
        "near-duplicate",
        "paraphrase",
    ),
    Q("how much does it cost to have a wardrobe delivered", "delivery-two-person", "39 pounds", "near-duplicate", "paraphrase"),
    Q("can I get a lamp tomorrow", "delivery-express", "next working day", "near-duplicate", "paraphrase"),
    Q("is express delivery available for a bed", "delivery-express", "not available for large items", "near-duplicate"),
    Q("do you ship to france", "delivery-international", "France", "near-duplicate", "short"),
    Q("will I pay customs on an order to ireland", "delivery-international", "nothing more to pay", "near-duplicate", "paraphrase"),
    Q("how much notice do I get for a sofa delivery", "delivery-two-person", "2 days", "near-duplicate", "paraphrase"),
    Q("delivary to netherlands price", "delivery-international", "99 pounds", "near-duplicate", "typo"),
    # assembly
    Q("can you assemble the wardrobe for me", "assembly-service", "60 pounds", "paraphrase"),
    Q("I lost the instructions for my chest of drawers", "assembly-instructions", "PDF", "paraphrase"),
    Q("a screw is missing from my bed frame", "missing-parts", "free replacement", "paraphrase"),
    Q("how long do replacement parts take", "missing-parts", "5 working days"),
    Q("do I have to send the table back if a leg is damaged", "missing-parts", "do not need to return", "paraphrase"),
    # returns (near-duplicates)
    Q("what is your returns policy", "returns-policy", "30 days", "near-duplicate", "short"),
    Q("can I return a sofa I had made in a custom fabric", "returns-policy", "cannot be returned", "near-duplicate", "paraphrase"),
    Q("how do I send back a sofa", "returns-large", "collection", "near-duplicate", "paraphrase"),
    Q("do I pay for returning a bed", "returns-large", "39 pounds", "near-duplicate", "paraphrase"),
    Q("how do I return a cushion", "returns-small", "post office", "near-duplicate", "paraphrase"),
    Q("is it free to return small things", "returns-small", "for free", "near-duplicate"),
    Q("when will I get my money back", "refund-timing", "5 working days", "paraphrase"),
    Q("do you refund the delivery charge", "refund-timing", "whole order", "paraphrase"),
    Q("retrun a rug", "returns-small", "post office", "near-duplicate", "typo", "short"),
    Q("can I return a mattress", "returns-policy", "hygiene seal", "near-duplicate", "short"),
    # mattress trial (deep)
    Q("how long is the mattress trial", "mattress-trial", "100-night", "deep", "short"),
    Q("the mattress feels too firm after a week, can I send it back now", "mattress-trial", "30 nights", "deep", "paraphrase"),
    Q("what do you do with returned mattresses", "mattress-trial", "charity", "deep"),
    Q("do I pay for the mattress pickup if I return it during the trial", "mattress-trial", "for free", "deep", "paraphrase"),
    Q(
        "we bought two mattresses for the kids, can we return both under the trial",
        "mattress-trial",
        "one mattress return per household",
        "deep",
        "paraphrase",
    ),
    # fabrics and care (deep)
    Q("which sofa fabric is best with a dog", "sofa-fabrics", "performance fabric", "deep", "paraphrase"),
    Q("can I get fabric samples", "sofa-fabrics", "6 free fabric swatches", "deep", "paraphrase"),
    Q("will velvet fade in a bright room", "sofa-fabrics", "fades", "deep"),
    Q("what rub count do I need for a family sofa", "sofa-fabrics", "40,000", "deep", "paraphrase"),
    Q("can I wash the sofa covers", "sofa-care", "30 degrees"),
    Q("how do I clean a velvet sofa cover", "sofa-care", "dry-cleaned", "paraphrase"),
    Q("a gap has appeared in my oak table top over winter, is it broken?", "wood-care", "normal", "deep", "paraphrase"),
    Q("how often do I oil an oiled oak sideboard", "wood-care", "once or twice a year", "deep"),
    Q("how far from the radiator should the dresser be", "wood-care", "30 centimetres", "deep", "paraphrase"),
    Q("can I use pledge on my dining table", "wood-care", "silicone", "deep", "paraphrase"),
    Q("how do I get a water ring off a wooden table", "wood-care", "furniture wax", "deep"),
    # guarantee and faults
    Q("how long is the guarantee", "warranty", "2-year", "short"),
    Q("is the sofa frame guaranteed", "warranty", "10 years"),
    Q("my table arrived with a big scratch", "faulty-item", "7 days", "paraphrase"),
    Q("guarentee on chairs", "warranty", "10 years", "typo", "short"),
    # orders
    Q("where is my order", "order-tracking", "tracking link", "short"),
    Q("when will my bed arrive", "order-tracking", "My orders", "paraphrase"),
    Q("can I cancel my order", "order-change", "until it is dispatched"),
    Q(
        "I ordered a sofa in a custom fabric yesterday evening and changed my mind this morning, is it too late",
        "order-change",
        "24 hours",
        "paraphrase",
        "long",
    ),
    Q("how long does a made to order sofa take", "made-to-order", "8 to 10 weeks"),
    Q("where are your sofas made", "made-to-order", "Lancashire", "paraphrase"),
    Q("the armchair I want is sold out, can I reserve one", "out-of-stock", "Notify me", "paraphrase"),
    # payment
    Q("do you take amex", "payment-methods", "American Express", "paraphrase", "short"),
    Q("can I pay monthly for a sofa", "finance", "12 months", "paraphrase"),
    Q("is there a credit check for finance", "finance", "credit check"),
    Q("do gift cards expire", "gift-cards", "24 months"),
    Q("can I use two discount codes", "discount-codes", "one code", "paraphrase"),
    Q("my discount code doesn't work on sale items", "discount-codes", "already on sale"),
    Q("the price dropped a week after I bought my bed", "price-promise", "refund the difference", "paraphrase"),
    Q("do you do trade discounts for interior designers", "trade-programme", "15%"),
    Q("newsletter discount", "newsletter", "10% off", "short"),
    # showrooms and service
    Q("where are your showrooms", "showrooms", "London, Manchester and Bristol"),
    Q("are you open on sundays", "showrooms", "11 am to 5 pm", "paraphrase"),
    Q("can someone help me plan my living room", "design-service", "45 minutes", "paraphrase"),
    Q("is the design appointment free", "design-service", "no obligation"),
    # sizes and fit
    Q("how wide is a king size bed", "bed-sizes", "150 x 200", "paraphrase"),
    Q("will my european mattress fit your bed frame", "bed-sizes", "may not fit"),
    Q("I sleep on my side, which mattress firmness should I get", "mattress-firmness", "medium-soft", "paraphrase"),
    Q("will a sofa fit through my front door", "measuring", "5 centimetres", "paraphrase"),
    Q(
        "we live in a third floor flat with a narrow staircase and I'm really worried the corner sofa won't get up the stairs, what should I check before I order it",
        "measuring",
        "measure your doorways",
        "long",
    ),
    Q("can you take my old sofa away", "old-furniture-removal", "35 pounds", "paraphrase"),
    # other
    Q("is your wood sustainably sourced", "sustainability", "FSC", "paraphrase"),
    Q("should I bring the garden table inside in winter", "outdoor-furniture", "over winter", "paraphrase"),
    Q("what bulb does the floor lamp need", "lighting", "E27", "paraphrase"),
    Q("my new wool rug keeps shedding", "rugs", "normal"),
    Q("how do I change my password", "account", "Account > Settings"),
    Q("what is your phone number", "contact", "0330 100 2000", "short"),
    Q("how quickly do you reply to emails", "contact", "1 working day"),
    Q("how do i delet my account", "account", "contact customer service", "typo"),
    Q("matress firmness scale", "mattress-firmness", "1 (soft) to 10 (firm)", "typo", "short"),
    Q(
        "hi there, my partner and I just moved into a new house and we're buying a bed and mattress from you, but we still have the old bed which is in decent shape, is there any way you can get rid of it when you drop off the new one?",
        "old-furniture-removal",
        "take away your old one",
        "long",
        "paraphrase",
    ),
    # unanswerable
    unanswerable("do you sell kitchen appliances like fridges"),
    unanswerable("how do I cancel my gym membership"),
    unanswerable("can I rent furniture by the month"),
    unanswerable("what is the wifi password in the showroom"),
    unanswerable("do you have a showroom in Edinburgh"),
    unanswerable("can you paint my walls when you deliver"),
    unanswerable("what is the best recipe for lasagne"),
    unanswerable("do you offer a student discount"),
    unanswerable("how do I fix a leaking tap"),
    unanswerable("are your employees paid the living wage"),
    unanswerable("can I pay cash on delivery in bitcoin"),
]
