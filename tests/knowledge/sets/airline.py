"""Help centre of Skerry Air, a fictional regional airline (held out: written after the
tuning of issue 13 and kept untouched until its final report)."""

from tests.knowledge.sets import Q, unanswerable

DOCUMENTS = {
    "baggage-cabin": """# Cabin baggage

Every passenger may bring one small personal item, such as a handbag or a laptop bag, that fits under the seat in front: at most 40 x 30 x 20 cm.

Classic and Flex fares also include one cabin bag of up to 8 kg and 55 x 40 x 23 cm, which goes in the overhead locker.
""",
    "baggage-checked": """# Checked baggage

Classic fares include one checked bag of up to 23 kg. Flex fares include two checked bags of up to 23 kg each. Light fares include no checked bag; add one in **My bookings** for 25 euros per flight, or 45 euros at the airport.
""",
    "baggage-overweight": """# Overweight and extra bags

A checked bag between 23 and 32 kg costs 40 euros per flight as an overweight bag. No single bag may weigh more than 32 kg; heavier items must be sent as cargo. An extra bag costs 35 euros per flight when you add it online.
""",
    "baggage-sports": """# Sports equipment

Skis, snowboards, golf bags and surfboards up to 23 kg travel as sports equipment for 30 euros per flight, booked in advance. Bicycles must be in a bike box with the pedals removed and the handlebars turned, and cost 50 euros per flight.
""",
    "baggage-musical-instruments": """# Musical instruments

A small instrument such as a violin or a trumpet can travel as your cabin bag if it fits in the overhead locker. A cello or another large instrument needs its own seat, booked at the fare of an extra passenger under the name "CBBG".
""",
    "baggage-lost": """# Delayed or lost baggage

If your bag does not arrive, report it at the baggage desk in the arrivals hall before you leave the airport, and keep your reference number. We track every bag and most are delivered to your address within 48 hours.

While you wait, you can buy essentials such as toiletries and a change of clothes, and we reimburse reasonable costs up to 50 euros a day when you send the receipts. A bag missing for 21 days is treated as lost, and you can then claim for its contents.
""",
    "baggage-damaged": """# Damaged baggage

Report damage at the baggage desk before leaving the airport, or within 7 days by the online form. We repair the bag or pay for a replacement of similar value. Normal wear, such as scuffs and scratches, is not covered.
""",
    "fare-light": """# Light fare

Light is our lowest fare: a personal item only, seat assigned at check-in, and no changes or refunds. You can still cancel within 24 hours of booking for a full refund if the flight departs more than 7 days later.
""",
    "fare-classic": """# Classic fare

Classic includes a cabin bag, one checked bag of 23 kg and free standard seat selection. You can change the date or time of your flight for a fee of 40 euros plus any fare difference. Classic tickets are not refundable.
""",
    "fare-flex": """# Flex fare

Flex includes two checked bags, any seat including extra legroom, and free changes up to 2 hours before departure (you pay only any fare difference). A Flex ticket can be refunded in full until 2 hours before departure.
""",
    "fare-comparison": """# Which fare is right for me?

Choose Light for a short trip with a small bag, Classic when you need a suitcase, and Flex when your plans might change. You can upgrade from Light to Classic in **My bookings** until check-in opens, paying the price difference.
""",
    "booking-change": """# Changing a flight

Change the date, time or route of a Classic or Flex booking in **My bookings**. Name changes are not possible, but we correct a misspelt name of up to 3 letters free of charge; contact us to do it.
""",
    "booking-cancel": """# Cancelling a booking

If you cancel a non-refundable ticket, you can still claim back the airport taxes, which we refund within 30 days of your request. Request it from **My bookings > Cancel**. Flex tickets are refunded in full to the original payment method.
""",
    "refund-timing": """# When will I get my refund?

Refunds are paid to the card or account you paid with, within 7 working days of our confirming them. Refunds for vouchers are issued as a new voucher.
""",
    "travel-vouchers": """# Travel vouchers

A travel voucher can pay for any Skerry Air flight or extra, in whole or in part, and is valid for 12 months from the date it was issued. If your booking costs less than the voucher, the rest stays on it for your next booking.
""",
    "check-in-online": """# Online check-in

Online check-in opens 30 hours before departure and closes 1 hour before. Check in in the app or on our website and download your boarding pass, or add it to your phone's wallet.
""",
    "check-in-airport": """# Checking in at the airport

Check-in desks open 2 hours before departure and close 40 minutes before. Checking in at the desk is free. If you have checked in online, go straight to bag drop with your boarding pass.
""",
    "boarding": """# Boarding

Boarding starts 40 minutes before departure and the gate closes 15 minutes before. We board by group, and the group is printed on your boarding pass. Passengers who need assistance and families with children under 2 board first.
""",
    "seats": """# Choosing your seat

Standard seats cost 9 euros on Light fares and are free on Classic and Flex. Extra legroom seats in rows 1 and 12 cost 19 euros, and are free on Flex. If you do not choose a seat, one is assigned at check-in.
""",
    "seats-emergency-exit": """# Emergency exit rows

Seats in the emergency exit rows have extra legroom, but you must be at least 16, able to help in an evacuation and willing to do so. These seats cannot be given to passengers travelling with an infant or a pet.
""",
    "seats-together": """# Sitting together

To make sure your group sits together, choose your seats when you book. We always seat children under 12 next to at least one adult of their booking, free of charge, even on a Light fare.
""",
    "infants": """# Travelling with an infant

A child under 2 travels on an adult's lap for 25 euros per flight, with a 10 kg baggage allowance. Each adult may travel with one infant. You may also bring a folding pushchair and a car seat free of charge; hand in the pushchair at the aircraft door.
""",
    "unaccompanied-minors": """# Children travelling alone

Children aged 6 to 11 can fly alone with our escort service, which costs 60 euros per flight and must be booked by phone at least 48 hours before departure. Young people aged 12 to 15 may fly alone without it. Children under 6 must travel with someone aged 16 or over.
""",
    "pets": """# Pets in the cabin

Small dogs and cats can travel in the cabin in a soft carrier of up to 40 x 30 x 20 cm, and together with their carrier they must weigh no more than 8 kg. A pet costs 45 euros per flight, and only two pets are allowed on each flight, so add yours when you book.

The carrier counts as your personal item and must stay under the seat for the whole flight. Larger animals cannot travel with us, except recognised assistance dogs, which fly free of charge.
""",
    "special-assistance": """# Special assistance

If you use a wheelchair, have a hidden disability or need help getting through the airport, request assistance in **My bookings** at least 48 hours before your flight. The service is free. We carry up to two mobility aids per passenger, such as a wheelchair and a walking frame, free of charge.
""",
    "medical-conditions": """# Flying with a medical condition

Most people with a medical condition can fly without any special arrangements. Carry your medicines in your hand luggage, in their original packaging, together with a copy of your prescription.

Liquid medicines of more than 100 ml are allowed through security if you show a doctor's letter. You can bring a portable oxygen concentrator of an approved type if you tell us 72 hours before departure.

If you have had surgery, a heart attack or a stroke recently, ask your doctor whether you are fit to fly. We may ask for a medical certificate, dated no more than 7 days before the flight, if there is doubt.
""",
    "pregnancy": """# Flying while pregnant

You can fly until the end of week 35 of a single pregnancy, or week 32 of a multiple pregnancy. From week 28, bring a letter from your doctor or midwife confirming your due date and that you are fit to fly.
""",
    "delays-compensation": """# Compensation for delays and cancellations

When your flight arrives more than 3 hours late or is cancelled at short notice, you may be entitled to compensation under EU rules. The amount depends on the distance of the flight: 250 euros for flights up to 1,500 km and 400 euros for flights between 1,500 and 3,500 km.

Compensation is not due when the delay was caused by extraordinary circumstances, such as bad weather, air traffic control restrictions or strikes by airport staff.

Claim within 2 years of the flight with our online claim form. You do not need a claims agency: they usually keep up to 35% of what you are paid.
""",
    "delays-care": """# Meals and hotels during a delay

If your flight is delayed by more than 2 hours, we give you meal vouchers at the gate. If you must stay overnight, we book and pay for a hotel and the transport to it. If we could not arrange it, keep your receipts and we will reimburse reasonable costs.
""",
    "missed-connection": """# Missed connections

If both flights are on one booking and you miss your connection because the first flight was late, we rebook you on the next available flight at no cost. If your flights were booked separately, we are not responsible for the connection.
""",
    "loyalty-programme": """# Skerry Miles

Join Skerry Miles for free and earn 5 miles for every euro you spend on flights. Miles are valid for 3 years and can pay for flights, seats and bags. You cannot earn miles on flights paid for with miles.
""",
    "loyalty-silver": """# Silver status

Earn 2,000 status miles in a year to reach Silver. Silver members get priority check-in and a free standard seat on every flight, and earn 25% more miles.
""",
    "loyalty-gold": """# Gold status

Earn 5,000 status miles in a year to reach Gold. Gold members get lounge access for themselves and one guest, an extra checked bag of 23 kg, priority boarding, and earn 50% more miles. Gold status lasts until the end of the following year.
""",
    "lounges": """# Airport lounges

Our lounges in Dublin, Edinburgh and Bergen open 2 hours before the first departure. Entry costs 35 euros and is free for Gold members and for Flex passengers on flights over 2 hours. Children under 2 enter free.
""",
    "onboard-food": """# Food and drinks on board

On flights longer than 1 hour we sell hot and cold drinks, sandwiches and snacks from our menu. We take cards only, not cash. Pre-order a hot meal in **My bookings** up to 24 hours before departure for 12 euros.
""",
    "onboard-wifi": """# Wi-Fi on board

Our A220 aircraft have Wi-Fi. A messaging pass costs 3 euros and a streaming pass 8 euros, for the whole flight. Our smaller turboprop aircraft have no Wi-Fi.
""",
    "liquids-security": """# Liquids and security

Liquids in your hand luggage must be in containers of at most 100 ml, all together in one clear resealable bag of up to 1 litre. Baby food and medicines are the exceptions. Some airports with new scanners allow larger containers, but the rules at your return airport may differ.
""",
    "dangerous-goods": """# Items you cannot bring

Spare lithium batteries and power banks must travel in your hand luggage, never in checked baggage, and each must be below 100 Wh. E-cigarettes are allowed in the cabin but must not be used or charged on board. Fireworks, gas canisters and flammable liquids are not allowed at all.
""",
    "travel-documents": """# Passports and ID

On flights within the Schengen area, EU citizens may travel with a valid national ID card. Everyone else needs a passport valid for the whole stay. On flights to and from the UK, every passenger needs a passport. It is your responsibility to have the right documents.
""",
    "group-bookings": """# Group bookings

For 10 or more passengers travelling together, book through our group desk. A group booking holds the fare for 14 days with a 10% deposit, and you can give us the names up to 7 days before departure.
""",
    "payment-methods": """# Ways to pay

We accept Visa, Mastercard, American Express, PayPal and Apple Pay. Paying by card has no fee. You can split a payment between a travel voucher and a card.
""",
    "price-alerts": """# Price alerts and low fares

Our lowest fares are released about 11 months before departure. Set a price alert on any route in the app and we email you when the fare drops. We do not offer a price match.
""",
    "contact": """# Contacting us

Chat with us in the app at any time. Our phone line, +353 1 555 0140, is open every day from 7 am to 10 pm Irish time. For an urgent problem on the day of travel, talk to our staff at the airport.
""",
    "account": """# Your Skerry account

Create an account to manage bookings, save passenger details and collect miles. To delete your account, go to **Profile > Privacy > Delete account**; your miles are lost when you do.
""",
}

QUESTIONS = [
    # baggage (near-duplicates)
    Q("how big can my carry on be", "baggage-cabin", "55 x 40 x 23 cm", "near-duplicate", "paraphrase"),
    Q("can I take a laptop bag on a light fare", "baggage-cabin", "personal item", "near-duplicate"),
    Q("how heavy can the cabin bag be", "baggage-cabin", "8 kg", "near-duplicate"),
    Q("does classic include a suitcase in the hold", "baggage-checked", "one checked bag", "near-duplicate", "paraphrase"),
    Q("price to add a bag at the airport", "baggage-checked", "45 euros", "near-duplicate"),
    Q("how many bags with flex", "baggage-checked", "two checked bags", "near-duplicate", "short"),
    Q("my suitcase is 28 kilos, what happens", "baggage-overweight", "40 euros", "near-duplicate", "paraphrase"),
    Q("what is the maximum weight for one bag", "baggage-overweight", "32 kg", "near-duplicate"),
    Q("how much to bring my skis", "baggage-sports", "30 euros", "near-duplicate", "paraphrase"),
    Q("can I fly with my bike", "baggage-sports", "bike box", "near-duplicate", "paraphrase"),
    Q("do I need to buy a seat for my cello", "baggage-musical-instruments", "its own seat", "paraphrase"),
    Q("my luggage didn't turn up at the destination", "baggage-lost", "baggage desk", "near-duplicate", "paraphrase"),
    Q(
        "the airline lost my bag on the way to Bergen and I had to buy clothes and a toothbrush, will you pay me back for that",
        "baggage-lost",
        "50 euros a day",
        "near-duplicate",
        "long",
        "deep",
    ),
    Q("when is a missing bag considered lost", "baggage-lost", "21 days", "near-duplicate", "deep"),
    Q("the wheel of my suitcase broke on the flight", "baggage-damaged", "7 days", "near-duplicate", "paraphrase"),
    Q("are scratches on my case covered", "baggage-damaged", "not covered", "near-duplicate", "paraphrase"),
    Q("bagage allowence", "baggage-checked", "23 kg", "typo", "short", "near-duplicate"),
    # fares (near-duplicates)
    Q("can I get my money back on a light ticket", "fare-light", "no changes or refunds", "near-duplicate", "paraphrase"),
    Q("I booked by mistake an hour ago, can I cancel", "fare-light", "within 24 hours", "near-duplicate", "paraphrase"),
    Q("how much to change the date of a classic ticket", "fare-classic", "40 euros", "near-duplicate"),
    Q("is classic refundable", "fare-classic", "not refundable", "near-duplicate", "short"),
    Q("until when can I change a flex flight for free", "fare-flex", "2 hours before departure", "near-duplicate"),
    Q("do I get a full refund on flex", "fare-flex", "refunded in full", "near-duplicate"),
    Q("which fare should I pick if my plans may change", "fare-comparison", "Flex", "near-duplicate", "paraphrase"),
    Q("can I upgrade my light ticket later", "fare-comparison", "until check-in opens", "near-duplicate"),
    Q("flexx fare refund", "fare-flex", "refunded in full", "typo", "near-duplicate", "short"),
    # bookings
    Q("my surname is spelt wrong on the ticket", "booking-change", "3 letters", "paraphrase"),
    Q("can I put my ticket in my friend's name", "booking-change", "Name changes are not possible", "paraphrase"),
    Q("can I get the taxes back if I don't fly", "booking-cancel", "airport taxes", "paraphrase"),
    Q("how long does a refund take", "refund-timing", "7 working days", "short"),
    Q("how long is a travel voucher valid", "travel-vouchers", "12 months"),
    Q("what happens to the rest of my voucher", "travel-vouchers", "stays on it", "paraphrase"),
    Q("can I pay with a voucher and a card", "payment-methods", "split a payment", "paraphrase"),
    Q("is there a card fee", "payment-methods", "no fee", "short"),
    # check-in and airport
    Q("when does online check in open", "check-in-online", "30 hours before", "near-duplicate"),
    Q("when does the desk at the airport close", "check-in-airport", "40 minutes before", "near-duplicate", "paraphrase"),
    Q("do you charge for checking in at the airport", "check-in-airport", "free", "near-duplicate"),
    Q("what time does the gate close", "boarding", "15 minutes before", "short"),
    Q("who gets on the plane first", "boarding", "board first", "paraphrase"),
    Q("chek in closing time online", "check-in-online", "1 hour before", "typo", "near-duplicate"),
    # seats (near-duplicates)
    Q("how much is a seat on light", "seats", "9 euros", "near-duplicate", "short"),
    Q("which rows have extra legroom", "seats", "rows 1 and 12", "near-duplicate"),
    Q("can my 14 year old sit in the exit row", "seats-emergency-exit", "at least 16", "near-duplicate", "paraphrase"),
    Q("will my kids be seated with me if I don't pay for seats", "seats-together", "children under 12", "near-duplicate", "paraphrase"),
    Q("emergancy exit seat rules", "seats-emergency-exit", "evacuation", "typo", "near-duplicate"),
    # families and special needs
    Q("how much does a baby cost to fly", "infants", "25 euros", "paraphrase"),
    Q("can I bring the buggy", "infants", "pushchair", "paraphrase", "short"),
    Q("can my 8 year old fly on her own", "unaccompanied-minors", "escort service", "paraphrase"),
    Q("from what age can a teenager travel alone without the escort", "unaccompanied-minors", "12 to 15"),
    Q("can I take my cat on the plane", "pets", "45 euros", "paraphrase"),
    Q("how heavy can my dog be", "pets", "8 kg", "paraphrase"),
    Q(
        "we are moving abroad and want to bring our labrador, he is about 30 kilos, can he come in the cabin with us or is there another way",
        "pets",
        "cannot travel with us",
        "long",
        "deep",
    ),
    Q("do guide dogs pay", "pets", "fly free of charge", "paraphrase", "deep"),
    Q("I need a wheelchair at the airport", "special-assistance", "48 hours", "paraphrase"),
    Q("how many mobility aids can I bring", "special-assistance", "two mobility aids"),
    Q("can I take my insulin in hand luggage", "medical-conditions", "hand luggage", "paraphrase"),
    Q("can I bring a large bottle of liquid medicine through security", "medical-conditions", "doctor's letter", "deep"),
    Q("oxygen concentrator on board", "medical-conditions", "72 hours", "deep", "short"),
    Q("I had an operation last week, can I fly", "medical-conditions", "medical certificate", "deep", "paraphrase"),
    Q("until which week can I fly pregnant", "pregnancy", "week 35"),
    Q("pregnent with twins flying", "pregnancy", "week 32", "typo"),
    # disruption (deep)
    Q("my flight was 4 hours late, do I get money", "delays-compensation", "250 euros", "paraphrase", "deep"),
    Q("is there compensation when the delay is because of a storm", "delays-compensation", "extraordinary circumstances", "deep"),
    Q("how long do I have to make a delay claim", "delays-compensation", "2 years", "deep"),
    Q("should I use a claims company", "delays-compensation", "35%", "deep", "paraphrase"),
    Q("do you give food when the flight is delayed", "delays-care", "meal vouchers", "paraphrase"),
    Q("who pays for the hotel if I'm stuck overnight", "delays-care", "hotel", "paraphrase"),
    Q("I missed my connecting flight because the first was late", "missed-connection", "next available flight", "paraphrase"),
    # loyalty (near-duplicates)
    Q("how many miles do I earn per euro", "loyalty-programme", "5 miles", "near-duplicate"),
    Q("do miles expire", "loyalty-programme", "3 years", "near-duplicate", "short"),
    Q("how do I reach silver", "loyalty-silver", "2,000 status miles", "near-duplicate"),
    Q("what do gold members get", "loyalty-gold", "lounge access", "near-duplicate"),
    Q("can I take a friend into the lounge with gold", "loyalty-gold", "one guest", "near-duplicate", "paraphrase"),
    Q("lounge entry price", "lounges", "35 euros", "short"),
    Q("which airports have a skerry lounge", "lounges", "Dublin, Edinburgh and Bergen"),
    # on board
    Q("can I pay cash for a sandwich on board", "onboard-food", "cards only", "paraphrase"),
    Q("can I order a hot meal in advance", "onboard-food", "12 euros", "paraphrase"),
    Q("is there internet on the plane", "onboard-wifi", "Wi-Fi", "paraphrase"),
    Q("how much is streaming wifi", "onboard-wifi", "8 euros", "short"),
    # security and documents
    Q("how much shampoo can I bring in my hand luggage", "liquids-security", "100 ml", "paraphrase"),
    Q("can my power bank go in the hold", "dangerous-goods", "never in checked baggage", "paraphrase"),
    Q("can I vape on the plane", "dangerous-goods", "must not be used", "paraphrase"),
    Q("can I fly to Paris with my ID card", "travel-documents", "national ID card", "paraphrase"),
    Q("do I need a passport for London", "travel-documents", "every passenger needs a passport", "paraphrase"),
    # other
    Q("we are 15 people going to a wedding, how do we book", "group-bookings", "group desk", "paraphrase"),
    Q("when are the cheapest tickets released", "price-alerts", "11 months", "paraphrase"),
    Q("do you price match", "price-alerts", "do not offer a price match", "short"),
    Q("what is your phone number", "contact", "+353 1 555 0140", "short"),
    Q("what happens to my miles if I delete my account", "account", "miles are lost"),
    # nothing in the set answers these
    unanswerable("how do I cancel my gym membership"),
    unanswerable("do you fly to Tokyo"),
    unanswerable("can I rent a car at the airport through you"),
    unanswerable("what is the pilot's name on my flight"),
    unanswerable("is there a smoking room in the Dublin lounge"),
    unanswerable("can I bring my horse"),
    unanswerable("do you sell travel insurance"),
    unanswerable("how many aircraft does skerry air have"),
    unanswerable("what is the best restaurant in Bergen"),
    unanswerable("can I pay in bitcoin"),
    unanswerable("do you have a student discount"),
]
