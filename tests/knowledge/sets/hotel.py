"""Help centre of Alder House Hotels, a fictional European group of five city hotels (held out: written for issue 22's second report, never tuned on)."""

from tests.knowledge.sets import Q, unanswerable

DOCUMENTS = {
    "booking-online": """# Booking a room

You can book at alderhouse.eu, in the Alder House app, or by calling central reservations. Rooms can be booked up to 365 days ahead. When you are logged in as an Alder Circle member you see the Member Rate, which is 5% below the public price.

Our Best Rate Promise: if you find the same room, dates and rate conditions cheaper on another website within 24 hours of booking, send us a link and we will match that price and take another 10% off.

Your confirmation email arrives within 15 minutes and contains your booking reference, which starts with AH followed by eight digits. If it has not arrived, check your spam folder before calling us.
""",
    "booking-changes": """# Changing your booking

Most changes can be made yourself under Manage booking on alderhouse.eu or in the app; you need your booking reference and the last name on the booking. You can change dates and room type, and add breakfast, parking or an airport transfer.

On the Flexible Rate you can change dates free of charge until 18:00 on the day of arrival. On the Saver Rate, your first date change is free if you make it at least 72 hours before arrival; any further change costs €20 each. Advance Purchase bookings cannot be changed.

If the new dates are more expensive, you pay the difference. If they are cheaper, we refund the difference on Flexible bookings only.

To change the name of the guest, email reservations@alderhouse.eu at least 24 hours before arrival with the booking reference and the new guest's full name.
""",
    "booking-cancellation": """# Cancelling a booking

Cancel under Manage booking on alderhouse.eu or in the app. You will receive an email with a cancellation number starting with CX; keep it until any refund has arrived.

Whether you pay anything depends on your rate: see the Flexible, Saver, Advance Purchase and Long Stay rate pages. If you neither arrive nor cancel (a no-show), we charge the first night on every rate and release the rest of the booking.

Refunds go back to the card used for payment and take 5 to 10 working days to appear on your statement.

If you booked through a travel agent or a website such as Booking.com or Expedia, we cannot cancel or change the booking for you. Please contact them directly, as their own conditions apply.
""",
    "rate-flexible": """# Flexible Rate

The Flexible Rate is our most adaptable price. You can cancel or change it free of charge until 18:00 local time on the day of arrival. Nothing is taken in advance: we only need a card to guarantee the booking, and you pay at the hotel when you check out.

If you cancel after 18:00 on the day of arrival, or do not arrive, the first night is charged.
""",
    "rate-saver": """# Saver Rate

The Saver Rate is up to 12% cheaper than the Flexible Rate. You can cancel free of charge until 72 hours before arrival (15:00 hotel time, three days before your arrival date). If you cancel later, the first night is charged.

We charge the first night when you book, as a deposit. It is deducted from your bill at checkout, or refunded if you cancel in time. One free date change is allowed when made at least 72 hours before arrival.
""",
    "rate-advance-purchase": """# Advance Purchase Rate

The Advance Purchase Rate saves up to 20% on the Flexible Rate when you book at least 14 days before arrival. The full stay is paid when you book and is non-refundable: it cannot be cancelled, changed or transferred to another guest.

If you need to shorten your stay once you are at the hotel, the unused nights are not refunded. We recommend taking out travel insurance when you book this rate.
""",
    "rate-long-stay": """# Long Stay Rate

For stays of 7 nights or more you can book the Long Stay Rate, which is 15% below the Flexible Rate. Stays of 28 nights or more get 25% off.

You can cancel free of charge until 7 days before arrival; after that, the first 3 nights are charged. Rooms on a Long Stay are cleaned twice a week rather than daily, with fresh towels whenever you ask for them.

The Long Stay Rate is offered at our hotels in Vienna, Copenhagen and Prague.
""",
    "payment-and-deposits": """# Payment, deposits and card holds

We accept Visa, Mastercard and American Express, and Apple Pay and Google Pay at reception. We do not accept Diners Club or cheques.

When you check in, we place a pre-authorisation on your card for incidentals such as the bar, room service and the minibar: €50 per night, up to a maximum of €250 for the whole stay. This is a hold, not a charge, and only what you actually spend is taken at checkout.

Your room itself is paid according to your rate: at checkout on the Flexible Rate, the first night at booking on the Saver Rate, and the whole stay at booking on the Advance Purchase Rate.

After checkout we release the hold straight away, but your bank can take up to 7 working days to show the money as available again. Unfortunately we cannot speed this up.

If you prefer not to use a card, you can leave a cash deposit of €150 at check-in instead of the card hold; whatever is not spent is returned in cash at checkout. This is not possible at our Copenhagen hotel, which is cashless.

Copenhagen charges in Danish kroner and Prague in Czech koruna. The card terminal may offer to charge you in euros or in your home currency instead; we advise choosing the local currency, as your own bank usually gives a better exchange rate.

If someone else is paying for your room, such as a parent or an employer, ask us for a third-party payment authorisation form. It must reach the hotel at least 48 hours before arrival, together with a copy of the front of the card.

Prepaid and virtual cards are accepted for paying a booking in advance, but not for the hold at check-in.
""",
    "check-in-and-check-out": """# Check-in and check-out times

Check-in is from 15:00 and check-out is by 11:00 at all Alder House hotels. Reception is open 24 hours, so you can arrive late at night; if you will arrive after midnight, let the hotel know so that your room is not given away.

Online check-in opens 48 hours before arrival in the Alder House app. Once you have checked in online, your digital room key appears in the app at 15:00 on the day of arrival and you can go straight to your room.

Everyone checking in must show a passport or national ID card, and the main guest on the booking must be at least 18 years old.
""",
    "early-check-in": """# Early check-in

Rooms are ready from 15:00. If you arrive earlier, we will check you in as soon as a room is ready, free of charge. Meanwhile you can leave your luggage with us and use the lobby, the gym and showers.

To be sure of having your room from 12:00, book guaranteed early check-in under Manage booking for €30.

If you arrive on an early morning flight and want your room straight away, book the previous night as well. That is the only way to guarantee a room before 12:00.
""",
    "late-checkout": """# Late checkout

Standard check-out is 11:00. On the morning of departure, ask at reception for a later checkout; we offer it whenever the room is not needed for the next guest:

- until 13:00: €25
- until 15:00: €45
- until 18:00: half the nightly room rate

After 18:00 the full nightly rate applies. Alder Circle members get a free late checkout; your tier page shows until what time.
""",
    "hotel-amsterdam": """# Alder House Amsterdam Canal

Alder House Amsterdam Canal fills three 17th-century canal houses at Herengracht 214, 1016 BT Amsterdam, and has 86 rooms. Reception: +31 20 555 0140.

Getting here: from Schiphol Airport, take the train to Amsterdam Centraal (about 17 minutes), then walk 12 minutes or take tram 2 or 12 to Dam. A taxi from the airport takes about 25 minutes and costs around €55.

Restaurant and bar: our restaurant Kade serves dinner from 17:30 to 22:00 and is closed on Mondays. The bar stays open until 01:00.

Facilities: a gym in the basement, and city bikes to rent at reception for €15 per day. Your own bike can stay in our locked bike shed in the courtyard.

Parking: there is no parking at the hotel, and the canal street is for loading only. Guests pay a reduced €35 per 24 hours at the Q-Park De Kolk garage, 450 metres away; collect a discount ticket at reception before you drive out of the garage.

Good to know: as a listed building, the hotel has steep, narrow staircases. A lift serves every floor of the main house, but the 12 rooms in the rear house are reached by stairs only. Ask for a room with lift access when you book if stairs are difficult for you.
""",
    "hotel-lisbon": """# Alder House Lisbon Chiado

Alder House Lisbon Chiado is at Rua Garrett 88, 1200-204 Lisboa, in the heart of the Chiado district, and has 112 rooms. Reception: +351 21 555 0162.

Getting here: from Humberto Delgado Airport, take the metro red line and change to the blue line, getting off at Baixa-Chiado; the journey takes about 35 minutes. A taxi takes around 25 minutes and costs about €18.

Restaurant and bar: restaurant Miradouro on the 7th floor serves dinner from 19:00 to 23:00 every day, with views over the Tagus. The rooftop bar is open from 12:00 to midnight.

Facilities: a gym on the 1st floor, and a rooftop pool and treatment rooms; see Spa and rooftop pool, Alder House Lisbon.

Parking: the streets of Chiado are narrow and mostly closed to traffic, so we offer valet parking for €28 per night. Leave the car at the hotel entrance and the valet takes it to a garage nearby; call reception 30 minutes before you need it back.

Good to know: the hotel is on a steep hill, so wear comfortable shoes. Tram 28 stops 100 metres from the door, and the Baixa-Chiado metro station is a 3-minute walk.
""",
    "hotel-vienna": """# Alder House Vienna Ringstrasse

Alder House Vienna Ringstrasse is at Schubertring 11, 1010 Wien, on the Ring boulevard opposite the Stadtpark, and has 140 rooms. Reception: +43 1 555 0175.

Getting here: from Vienna Airport, the City Airport Train runs to Wien Mitte in 16 minutes; from there it is an 8-minute walk. A taxi takes about 25 minutes.

Restaurant and café: restaurant Ringsalon serves Viennese dishes for dinner from 18:00 to 22:30. Our café serves coffee and cakes, including a house Sachertorte, from 14:00 to 17:00 every day.

Facilities: a gym and the Alder Spa Vienna on the lower ground floor; see Alder Spa Vienna.

Parking: the hotel has its own underground garage with 38 spaces at €34 per night, which you can book in advance. The entrance has a height limit of 1.90 metres; vans and cars with roof boxes must use the public garage at Stadtpark, 300 metres away.

Good to know: the concierge can book tickets for the State Opera, a 6-minute walk away, and for concerts at the Musikverein, for a €10 fee per booking. December fills up early because of the Christmas markets, so book ahead.
""",
    "hotel-copenhagen": """# Alder House Copenhagen Harbour

Alder House Copenhagen Harbour is at Havnegade 39, 1058 København K, on the quay between Nyhavn and the Knippelsbro bridge, and has 98 rooms. Reception: +45 33 55 01 88.

Getting here: from Copenhagen Airport, take the M2 metro to Kongens Nytorv (about 15 minutes), then walk 6 minutes along the harbour. A taxi takes about 20 minutes.

Restaurant and bar: restaurant Havn serves New Nordic dinners from 17:30 to 22:00, Tuesday to Saturday. The harbour-view bar is open every day from 16:00 to midnight.

Facilities: a gym, and a floating harbour sauna in front of the hotel; see Harbour sauna, Alder House Copenhagen. Guests can borrow one of our 20 free bikes for up to 4 hours at a time.

Parking: the hotel has no garage, and street parking in central Copenhagen is expensive. In our courtyard there are 4 spaces with electric car chargers at DKK 225 per night, charging included; book one in advance, as there are only four. Otherwise, the public garage at Kongens Nytorv costs around DKK 400 per day.

Good to know: in summer you can swim at the Islands Brygge harbour bath, a 10-minute walk across the Inner Harbour bridge. Rooms facing the harbour have floor-to-ceiling windows and blackout curtains for the light summer nights.
""",
    "hotel-prague": """# Alder House Prague Old Town

Alder House Prague Old Town is in a baroque house at Celetná 27, 110 00 Praha 1, between the Old Town Square and the Powder Tower, and has 64 rooms. Reception: +420 222 555 019.

Getting here: from Václav Havel Airport, take the Airport Express bus to the main station and then metro line C and line B to Náměstí Republiky, about 45 minutes in all. A taxi takes about 30 minutes.

Restaurant and bar: our cellar restaurant Sklep serves Czech dishes from 18:00 to 23:00. The courtyard garden bar is open from April to October.

Facilities: a small gym on the ground floor. There is no spa at the Prague hotel.

Parking: Celetná is a pedestrian street, so you cannot drive to the door. The nearest garage is at the Palladium shopping centre, 700 metres away, at CZK 650 per day; there is no guest discount there.

Good to know: the building is protected, and the lift goes up to the 3rd floor only. The attic rooms on the 4th floor are one flight of stairs above the lift. Quiet hours are from 22:00 to 07:00, when the courtyard bar is closed.
""",
    "pets": """# Travelling with pets

Dogs and cats are welcome at our Amsterdam, Vienna and Copenhagen hotels. Our Lisbon and Prague hotels accept assistance dogs only.

We charge €25 per pet per night (DKK 190 in Copenhagen), which covers the extra cleaning. You can bring up to 2 pets per room, each weighing up to 25 kg. Please add your pet to the booking under Manage booking, so that we can give you a suitable room on a lower floor.

On arrival your pet gets a welcome pack with a bed, bowls and treats. Pets can join you on the restaurant terrace and in the bar, but not in the restaurant itself, the breakfast room or the spa. Please do not leave your pet alone in the room unless it is in a travel crate; reception can recommend a local dog-walker.

Assistance dogs are welcome at every hotel free of charge.
""",
    "breakfast": """# Breakfast

Our buffet breakfast is served from 07:00 to 10:30 Monday to Friday, and from 07:30 to 11:00 at weekends and on public holidays.

Breakfast costs €24 per adult when you add it to your booking in advance, or €29 if you pay at the hotel on the day. Children aged 4 to 12 pay half price, and children under 4 eat free.

There is always gluten-free bread, plant milks and a vegan hot dish. Tell us about any allergy and the kitchen will prepare your breakfast separately.

Leaving early? Order a breakfast bag at reception the evening before: coffee, juice, a sandwich and fruit for €9, ready from 05:00. Breakfast served in your room costs the same as the buffet, plus €8 per tray.
""",
    "loyalty-programme": """# Alder Circle: how our loyalty programme works

Alder Circle is our free loyalty programme; join at alderhouse.eu or in the app. It has four tiers: Green, Silver, Gold and Platinum. Every member starts on Green.

You earn 10 points for every €1 you spend on rooms, on food and drink charged to your room, and on spa treatments. Higher tiers earn bonus points on top.

Your tier depends on the nights you stay in a calendar year: Silver from 10 nights, Gold from 25 nights and Platinum from 50 nights.

Once you reach a tier, you keep it for the rest of that year and for the whole of the next calendar year.

Nights booked through travel agents or websites such as Booking.com and Expedia don't earn points and don't count towards a tier. Bookings made by your employer through our corporate portal do count.

If a stay is missing from your account, you can claim it up to 90 days after checkout under Account > Missing stay, with your booking reference.

Points expire if your account has no activity for 24 months. Staying with us, redeeming points and buying points all count as activity.
""",
    "loyalty-green": """# Alder Circle Green

Green is the tier every Alder Circle member starts on. As a Green member you get:

- the Member Rate, 5% below the public price, when you book logged in;
- 10 points for every €1 you spend;
- a free late checkout until 12:00, when the room is not needed;
- member offers by email, such as weekend deals and early access to sales.
""",
    "loyalty-silver": """# Alder Circle Silver

Silver is the second tier of Alder Circle. As a Silver member you get everything in Green, plus:

- 25% bonus points, so 12.5 points for every €1;
- a free late checkout until 13:00, when the room is not needed;
- a welcome drink at the bar on every stay;
- a separate check-in desk at busy times.
""",
    "loyalty-gold": """# Alder Circle Gold

Gold is the third tier of Alder Circle. As a Gold member you get everything in Silver, plus:

- 50% bonus points, so 15 points for every €1;
- a free late checkout until 14:00, when the room is not needed;
- an upgrade by one room category when one is free at check-in (excluding suites);
- free breakfast for you on Saturdays and Sundays (guests sharing your room pay the normal price).
""",
    "loyalty-platinum": """# Alder Circle Platinum

Platinum is our highest tier. As a Platinum member you get everything in Gold, plus:

- 100% bonus points, so 20 points for every €1;
- a guaranteed late checkout until 16:00;
- breakfast for two every day;
- an upgrade up to a Junior Suite when one is free at check-in;
- a guaranteed room: book any date with at least 72 hours' notice, even when the hotel shows as sold out;
- a dedicated Platinum phone line, +31 20 555 0199.

After 75 nights in a calendar year, you can give Gold status to a friend or family member.
""",
    "loyalty-points": """# Using your Alder Circle points

Reward nights start from 20,000 points for a Classic room; the number of points depends on the hotel and the date. Book reward nights under Rewards in the app or on alderhouse.eu. A reward night can be cancelled free of charge until 48 hours before arrival, and the points go back to your account.

You can also use points as money: 2,000 points give you €10 off your bill at checkout, in blocks of 2,000. Points cannot be used to pay the city tax.

If you are a few points short, you can buy up to 30,000 points a year, at €12 per 1,000 points.
""",
    "accessibility": """# Accessibility

All five Alder House hotels have a step-free entrance and rooms adapted for wheelchair users. We are happy to talk through your needs before you book.

Amsterdam has 3 accessible rooms, Lisbon 4, Vienna 6, Copenhagen 5 and Prague 2. Every accessible room has a roll-in shower with a fold-down seat, grab rails beside the toilet and the shower, and doors at least 90 cm wide.

You can book an accessible room online, but if you need particular details, such as the height of the bed or which side the toilet transfer is on, call central reservations and we will confirm them in writing.

For guests who are deaf or hard of hearing, every hotel has hearing-access kits with a vibrating pillow alarm that is linked to the fire alarm, and a flashing doorbell. Ask for one at check-in, or when you book.

Every hotel can lend you a manual wheelchair free of charge during your stay; please reserve it in advance. Mobility scooters can be charged in your room.

Parking: the Vienna garage has 2 accessible spaces right next to the lift. In Lisbon the valet service can collect your car at the door. In Prague, a taxi can drive to our door on the pedestrian street for guests with reduced mobility.

In Prague the accessible rooms are on the 1st floor. Our Prague restaurant Sklep is in the cellar, down 14 steps with no lift, so we serve dinner in the courtyard or in your room instead at no extra cost.

Assistance dogs are welcome at every hotel, with a water bowl and a blanket waiting in your room.
""",
    "children-and-extra-beds": """# Children, cots and extra beds

Children under 12 stay free in their parents' room when they use the existing beds. Cots are free for children under 3, one per room; please ask for one when you book.

An extra (rollaway) bed costs €40 per night. It fits in Superior rooms and above; Classic rooms are too small for one. There is a maximum of one extra bed per room.

Family Rooms at our Lisbon and Copenhagen hotels sleep up to 4, with a double bed and bunk beds.

Need an evening out? Reception can arrange a babysitter through a trusted local agency if you ask 48 hours ahead. It costs around €18 per hour, paid to the babysitter directly. For children's breakfast prices, see Breakfast.
""",
    "group-bookings": """# Group bookings

A booking of 9 or more rooms for the same dates is a group booking and cannot be made online. Fill in the request form at alderhouse.eu/groups, and our groups team will reply within 2 working days with a quote.

Group prices depend on the season and the hotel. For every 20 paid rooms, the 21st is free, up to a maximum of 3 free rooms per group.

Once you accept the quote, we send a contract. A 30% deposit is due within 14 days of signing it, and the balance is due 21 days before arrival.

Please send us the rooming list, with the names of all guests and who shares with whom, 14 days before arrival.

You can release up to 10% of the rooms free of charge until 30 days before arrival. Rooms released after that are charged in full.

Coaches can stop at the door of our Vienna and Copenhagen hotels. In Amsterdam, coaches must use the Prins Hendrikkade coach stop, 900 metres from the hotel; in Lisbon the drop-off point is Praça Luís de Camões, 150 metres away; and in Prague it is Náměstí Republiky, 300 metres away.

For groups we offer a set dinner menu from €38 per person and an early group breakfast from 06:30 on request. We can put the whole group on a single invoice, or let each guest pay their own bill.
""",
    "invoices": """# Invoices and receipts

You receive an invoice at checkout, printed or by email. If you need a company invoice, give reception the company name, address and VAT number before you check out.

After checkout we can only reissue an invoice with different details within 30 days; email invoices@alderhouse.eu with your booking reference.

For prepaid bookings, you can download a receipt as a PDF under Manage booking. If a travel agent paid for your stay, your invoice comes from the agent.

We can split the bill, for example the room on a company card and the bar and minibar on your own card; just ask at checkout.
""",
    "lost-property": """# Lost property

Left something behind? Email lost@alderhouse.eu with the hotel, your room number, the dates of your stay and a description of the item. We reply within 3 working days.

We keep found items for 90 days. Passports and ID cards are handed to the police after 7 days. Food, drinks and opened cosmetics are thrown away straight away.

We can send items back by courier: you pay the postage plus a €10 handling fee, charged to your card before we send it. Someone else can also collect the item for you with your written permission and a copy of your ID.
""",
    "spa-vienna": """# Alder Spa Vienna

The Alder Spa Vienna, on the lower ground floor of the Vienna hotel, has a 15-metre indoor pool, a Finnish sauna, a steam bath and a relaxation room. It is open daily from 07:00 to 22:00 and is free for hotel guests; bathrobes and towels are in your room.

Children under 16 may use the pool only from 09:00 to 12:00, with an adult. The sauna area is for adults only.

Treatments include a 60-minute classic massage for €95 and a 90-minute hot stone massage for €135. Book at the spa reception or dial 7 from your room. Cancel at least 6 hours before, or the full price is charged.

As is usual in Austria, the sauna area is textile-free: please wear no swimwear in the saunas, and sit on a towel.
""",
    "spa-lisbon": """# Spa and rooftop pool, Alder House Lisbon

The rooftop pool on the 8th floor is open from May to October, from 08:00 to 20:00, and is heated to 26 °C. Sun loungers cannot be reserved. Children are welcome until 17:00 with an adult.

We have two treatment rooms: a 50-minute facial costs €80 and a 60-minute massage €90. Book in the app or at reception, and cancel at least 12 hours before to avoid being charged.

There is no sauna at the Lisbon hotel. The poolside bar serves drinks and light lunches from 12:00 to 18:00.
""",
    "sauna-copenhagen": """# Harbour sauna, Alder House Copenhagen

Our wood-fired sauna floats on the harbour in front of the hotel and takes up to 10 people. Sessions last 75 minutes and cost DKK 150 per person; book them in the app. The sauna is open from 07:00 to 21:00 all year round.

Between rounds you can climb down the ladder into the harbour. There is no lifeguard, so you swim at your own risk; in winter the water is around 3 °C.

Swimwear must be worn in the sauna. Robes and towels are provided in the sauna hut. The minimum age is 12. There are no massage treatments at the Copenhagen hotel.
""",
    "fitness-centres": """# Gyms

All five hotels have a gym with cardio machines and free weights, free for guests. The gyms in Amsterdam, Lisbon, Vienna and Copenhagen are open 24 hours with your room key card; the Prague gym is open from 06:00 to 23:00.

In Vienna you can book a personal trainer for €60 per hour, at least 24 hours ahead at reception.

Copenhagen offers a free yoga class on Saturdays at 08:00 in the gym studio; mats are provided.

Like to run? Reception has running maps for each city, such as a 5 km canal loop in Amsterdam and an 8 km route through the Prater in Vienna.
""",
    "airport-transfers": """# Airport transfers

We can book a private car with a driver to take you from the airport to the hotel. Book at least 48 hours before you land, under Manage booking or by emailing the hotel.

Prices are per car, one way, for up to 3 passengers with luggage. For 4 to 7 passengers, or bulky luggage such as skis or golf bags, we send a minivan for 50% more.

Amsterdam (Schiphol): €65, about 25 minutes.

Lisbon (Humberto Delgado): €45, about 25 minutes.

Vienna (Schwechat): €59, about 30 minutes.

Copenhagen (Kastrup): DKK 495, about 20 minutes.

Prague (Václav Havel): CZK 1,400, about 35 minutes. The car stops at the end of Celetná street and our staff come to help with your luggage.

Your driver meets you in arrivals with a name sign and waits up to 60 minutes after landing. We track your flight, so there is no extra charge if it is delayed. Child seats are free on request. You can cancel free of charge up to 24 hours before pick-up.
""",
    "room-types": """# Room types

Classic: 18 m², with a double bed (140 cm) and a shower. For one or two guests. Classic rooms are double only.

Superior: 24 m², with a king-size bed or two single beds, and room for an extra bed.

Deluxe: 30 m², with a king-size bed, a seating area and a bathtub, and a view of the canal, river or harbour.

Junior Suite: 42 m², with a separate living area, a sofa bed and a coffee machine, and turndown service in the evening.

Family Room: 35 m², at our Lisbon and Copenhagen hotels only, with a double bed and bunk beds; it sleeps four.
""",
    "wifi": """# Wi-Fi and working at the hotel

Wi-Fi is free everywhere in our hotels. Join the network AlderHouse_Guest and log in with your room number and last name. Speeds of up to 200 Mbit/s are fast enough for video calls, and you can connect up to 5 devices per room.

Every lobby has a quiet co-working corner with desks and sockets. Reception will print up to 20 pages free of charge, for example boarding passes or tickets; email them to the hotel from the address on your booking.
""",
    "luggage-storage": """# Luggage storage

We store your luggage for free on the day of arrival before check-in, and on the day of departure after check-out.

If you are taking a side trip, we can keep bags for up to 7 days at €5 per bag per day. Bags must be closed, and we cannot store cash, jewellery or other valuables.

You can also send parcels to the hotel for your stay: we accept them from 5 days before arrival. Write your name and arrival date on the label.
""",
    "gift-vouchers": """# Gift vouchers

Buy gift vouchers at alderhouse.eu/gift, from €50 up to €1,000. Choose an e-voucher, sent by email straight away, or a printed card in a gift envelope, posted for €4.

Vouchers are valid for 24 months from purchase and can be used for rooms, restaurants, bars and spa treatments at any Alder House hotel. If you don't spend the whole amount, the rest stays on the voucher; vouchers cannot be exchanged for cash.

To use a voucher for a room, enter its code when you pay on alderhouse.eu. Vouchers work with every rate except Advance Purchase.
""",
    "smoking": """# Smoking

All our rooms and indoor areas are non-smoking, and this includes e-cigarettes and vapes. If someone smokes in a room, we charge a cleaning fee of €250.

You can smoke outside in marked areas: on the terrace corner of the rooftop bar in Lisbon, in the courtyard in Prague, and at the marked spots beside the entrance in Amsterdam, Vienna and Copenhagen.
""",
    "room-service-and-minibar": """# Room service and minibar

Room service is available from 06:30 to 23:00; order from the tablet in your room or dial 3. There is a €5 tray charge per order. Between 23:00 and 06:30 a shorter night menu of sandwiches, soups and salads is available.

Two bottles of water in the minibar are free each day; everything else is charged at the prices on the menu card. If you need to keep medicine or baby milk cold, ask reception for an empty fridge.
""",
    "housekeeping": """# Housekeeping and sustainability

Rooms are cleaned every day between 09:00 and 15:00. If you skip a day of cleaning, with our Green Choice, you get 500 Alder Circle points or a €5 bar voucher for each night; tell reception by 22:00 the evening before.

We change towels that are left on the floor, and sheets every 3 days or whenever you ask. Our toiletries come in refillable dispensers.

Forgotten something? Toothbrushes, razors and sewing kits are free at reception.
""",
    "celebrations": """# Celebrations and special requests

Celebrating? Our celebration package (a bottle of prosecco, a small cake and decorations in your room) costs €65; order it at least 72 hours before arrival. Flowers in your room start from €45.

Tell us about birthdays and anniversaries when you book, and we will do our best. We can't guarantee a particular room number, a high floor or rooms next to each other.

Connecting rooms are available in Vienna and Copenhagen only; book them by phone with central reservations.
""",
    "city-taxes": """# City and tourist taxes

Every city we are in charges a tourist tax. It is not included in our room prices, unless the price says "incl. taxes", and you pay it at the hotel.

Amsterdam: 12.5% of the room price.

Lisbon: €4 per person per night, for up to 7 nights. Children under 13 do not pay.

Vienna: 3.2% of the room price, without breakfast and VAT.

Copenhagen: DKK 30 per person per night.

Prague: CZK 50 per person per night. Guests under 18 do not pay.
""",
    "contact-us": """# Contact us

Central reservations: +31 20 555 0100, Monday to Friday from 08:00 to 20:00 and Saturday from 09:00 to 17:00 (Central European Time); closed on Sundays. Email reservations@alderhouse.eu and we will reply within 1 working day.

For anything during your stay, call the hotel directly: the numbers are on each hotel's page. You can also chat with us in the app from 07:00 to 23:00.

If something went wrong during your stay, email guestcare@alderhouse.eu. We reply within 5 working days.
""",
}

QUESTIONS = [
    # booking, changing, cancelling
    Q(
        "I found the exact same room cheaper on another site an hour after booking with you, can you match it",
        "booking-online",
        "10% off",
        "paraphrase",
    ),
    Q("I already moved my saver booking once, what does it cost to move it again", "booking-changes", "€20 each", "paraphrase"),
    Q("what happens if we just don't show up", "booking-cancellation", "first night on every rate", "paraphrase"),
    Q("I booked through expedia and need to cancel, can you do it for me", "booking-cancellation", "contact them directly"),
    Q(
        "Hi, I cancelled our room in Vienna last Tuesday because my mum is in hospital. I got the cancellation email but the money "
        "still hasn't come back to my card and honestly we really need it. How long is this supposed to take?",
        "booking-cancellation",
        "5 to 10 working days",
        "long",
        "paraphrase",
    ),
    # rates (near-duplicates)
    Q("latest time I can cancel for free on the flexible rate", "rate-flexible", "18:00 local time", "near-duplicate"),
    Q("do you take the money upfront on the fully flexible price", "rate-flexible", "pay at the hotel", "near-duplicate", "paraphrase"),
    Q("saver rate cancelation deadline", "rate-saver", "72 hours before arrival", "near-duplicate", "typo", "short"),
    Q(
        "why have you already taken money off my card, I booked the saver price",
        "rate-saver",
        "first night when you book",
        "near-duplicate",
        "paraphrase",
    ),
    Q(
        "I paid upfront for the cheapest non-refundable deal and now my flight's been cancelled, can I get my money back",
        "rate-advance-purchase",
        "cannot be cancelled",
        "near-duplicate",
        "paraphrase",
    ),
    Q(
        "we have to leave 2 days early on our prepaid stay, do we get those nights back",
        "rate-advance-purchase",
        "not refunded",
        "near-duplicate",
        "paraphrase",
    ),
    Q("staying a whole month for a work project, is there a discount", "rate-long-stay", "25% off", "near-duplicate", "paraphrase"),
    Q("can I get the long stay rate in lisbon", "rate-long-stay", "Vienna, Copenhagen and Prague", "near-duplicate"),
    # payment (deep)
    Q("checked out 4 days ago and the hold is still sitting on my account", "payment-and-deposits", "7 working days", "deep", "paraphrase"),
    Q(
        "the card machine asked if I want to pay in euros or kroner, which is better",
        "payment-and-deposits",
        "local currency",
        "deep",
        "paraphrase",
    ),
    Q(
        "my dad wants to pay for my room with his card but he won't be there",
        "payment-and-deposits",
        "third-party payment authorisation",
        "deep",
        "paraphrase",
    ),
    Q("can I leave cash instead of a card deposit in copenhagen", "payment-and-deposits", "cashless", "deep"),
    # check-in and check-out
    Q("chek out time", "check-in-and-check-out", "by 11:00", "short", "typo"),
    Q("our flight lands at 1am, will anyone be at the desk", "check-in-and-check-out", "open 24 hours", "paraphrase"),
    Q("can I skip reception and just use my phone to open the door", "check-in-and-check-out", "digital room key", "paraphrase"),
    Q(
        "Our flight from Toronto gets into Lisbon at 6:40 in the morning and we'll have been up all night with a baby. I really can't "
        "face sitting in a lobby till 3pm. What can we do to get into a room straight away?",
        "early-check-in",
        "previous night",
        "long",
        "paraphrase",
    ),
    Q("how much to keep the room till 3pm", "late-checkout", "€45", "paraphrase"),
    Q(
        "My train back to Munich isn't until 7 in the evening and I'd love to keep the room until about 5 so the kids can nap. "
        "What would that cost? I'm not a member of anything.",
        "late-checkout",
        "half the nightly room rate",
        "long",
        "paraphrase",
    ),
    # hotels (near-duplicates, deep)
    Q("amsterdm parking", "hotel-amsterdam", "€35 per 24 hours", "near-duplicate", "short", "deep", "typo"),
    Q(
        "my knees are bad, will I have to climb lots of stairs at the canal hotel",
        "hotel-amsterdam",
        "stairs only",
        "near-duplicate",
        "deep",
        "paraphrase",
    ),
    Q("can I hire a bike from the hotel in amsterdam", "hotel-amsterdam", "€15 per day", "near-duplicate", "paraphrase"),
    Q("how do I get from lisbon airport to the hotel on the metro", "hotel-lisbon", "Baixa-Chiado", "near-duplicate"),
    Q("we're driving down to lisbon, what do we do with the car", "hotel-lisbon", "valet parking", "near-duplicate", "deep", "paraphrase"),
    Q("which tram stops near the chiado hotel", "hotel-lisbon", "Tram 28", "near-duplicate", "deep"),
    Q(
        "we've got a camper van with a roof box, will it fit in the vienna hotel garage",
        "hotel-vienna",
        "1.90 metres",
        "near-duplicate",
        "deep",
        "paraphrase",
    ),
    Q("can the hotel get us opera tickets in vienna", "hotel-vienna", "€10 fee", "near-duplicate", "deep"),
    Q(
        "I drive an electric car, can I charge it at the copenhagen hotel",
        "hotel-copenhagen",
        "DKK 225 per night",
        "near-duplicate",
        "deep",
    ),
    Q("can we have dinner at the copenhagen hotel on a sunday", "hotel-copenhagen", "Tuesday to Saturday", "near-duplicate", "paraphrase"),
    Q(
        "can I pull up outside the prague hotel to drop our bags",
        "hotel-prague",
        "pedestrian street",
        "near-duplicate",
        "deep",
        "paraphrase",
    ),
    Q("prague parking price", "hotel-prague", "CZK 650 per day", "near-duplicate", "short", "deep"),
    Q("we booked an attic room in prague, does the lift go all the way up", "hotel-prague", "3rd floor", "near-duplicate", "deep"),
    # pets, breakfast
    Q("can I bring my dog to the lisbon hotel", "pets", "assistance dogs only"),
    Q(
        "We're driving over from Cologne with our two little dachshunds for a long weekend in Amsterdam. Do they need to be added "
        "to the booking somehow, and is there a charge for them?",
        "pets",
        "€25 per pet per night",
        "long",
    ),
    Q("pets per rom max", "pets", "up to 2 pets per room", "typo", "short"),
    Q("breakfst times weekend", "breakfast", "07:30 to 11:00", "typo", "short"),
    Q("early flight, can I grab something to take away before I leave", "breakfast", "breakfast bag", "paraphrase"),
    Q("my daughter is coeliac, is there anything she can eat in the morning", "breakfast", "gluten-free bread", "paraphrase"),
    # loyalty (near-duplicates, deep)
    Q("how many nights do I need for gold", "loyalty-programme", "25 nights", "near-duplicate"),
    Q("I made silver in march, when do I lose it", "loyalty-programme", "next calendar year", "deep", "paraphrase"),
    Q("my stay booked on booking.com didn't give me any points??", "loyalty-programme", "don't earn points", "deep"),
    Q(
        "I travel for work maybe 30 nights a year and my company books everything through its own travel portal with you. A "
        "colleague told me those nights don't count for status. Is that true? I'd really like to make Gold this year.",
        "loyalty-programme",
        "corporate portal",
        "long",
        "deep",
    ),
    Q("what does the lowest membership level actually get me", "loyalty-green", "Member Rate", "near-duplicate", "paraphrase"),
    Q("silver late checkout time", "loyalty-silver", "until 13:00", "near-duplicate", "short"),
    Q("do gold members get free breakfast", "loyalty-gold", "Saturdays and Sundays", "near-duplicate"),
    Q("now I'm gold will you bump me up to a suite", "loyalty-gold", "excluding suites", "near-duplicate", "paraphrase"),
    Q("platinum guaranteed checkout", "loyalty-platinum", "until 16:00", "near-duplicate", "short"),
    Q(
        "the hotel says it's full but I'm platinum, can I still get a room",
        "loyalty-platinum",
        "72 hours' notice",
        "near-duplicate",
        "paraphrase",
    ),
    Q("can I give my wife status too", "loyalty-platinum", "75 nights", "near-duplicate", "paraphrase"),
    Q("im about 3000 points short of a free nite, can i buy some", "loyalty-points", "€12 per 1,000 points", "typo"),
    # accessibility (deep)
    Q("I'm deaf, how will I know if the fire alarm goes off at night", "accessibility", "vibrating pillow alarm", "deep", "paraphrase"),
    Q("my chair is 70cm wide, will it get through the bathroom door", "accessibility", "90 cm", "paraphrase"),
    Q("my husband uses a wheelchair, can he eat at the prague restaurant", "accessibility", "14 steps", "deep", "paraphrase"),
    Q(
        "My mother is 82 and uses a wheelchair, and we're taking her to Vienna for her birthday, driving from Salzburg. Is there a "
        "proper disabled parking space, or will she have to go a long way from the car?",
        "accessibility",
        "2 accessible spaces",
        "long",
        "deep",
    ),
    # children
    Q("do kids stay free", "children-and-extra-beds", "under 12", "short"),
    Q(
        "we'd love one evening out without the kids, can you find us someone to watch them",
        "children-and-extra-beds",
        "local agency",
        "paraphrase",
    ),
    # groups (deep)
    Q("when do we need to send the names of everyone in our group", "group-bookings", "14 days before arrival", "deep", "paraphrase"),
    Q(
        "if 3 people drop out of our group 2 weeks before, do we still have to pay for their rooms",
        "group-bookings",
        "charged in full",
        "deep",
        "paraphrase",
    ),
    Q("where can our coach drop us off in amsterdam", "group-bookings", "Prins Hendrikkade", "deep"),
    Q("grup booking deposit", "group-bookings", "30% deposit", "typo", "short"),
    Q(
        "Hello, I'm organising a choir trip to Prague next spring, about 40 singers in 22 rooms. The balance is a big amount for our "
        "little choir so I need to plan ahead. When would the final payment be due?",
        "group-bookings",
        "21 days before arrival",
        "long",
        "deep",
    ),
    # invoices, lost property
    Q("forgot to give my company details at checkout, can I still get a company invoice", "invoices", "within 30 days", "paraphrase"),
    Q("can the room go on the company card and the bar stuff on mine", "invoices", "split the bill", "paraphrase"),
    Q("can you post my jacket back to me in Ireland, what does that cost", "lost-property", "€10 handling fee"),
    Q(
        "I'm such an idiot, I left my passport in the safe at the Prague hotel and only noticed when I got home to Manchester. I "
        "can't get back there for at least two weeks. Will you still have it?",
        "lost-property",
        "police after 7 days",
        "long",
        "paraphrase",
    ),
    # spa and gyms (near-duplicates)
    Q("vienna spa opening hours", "spa-vienna", "07:00 to 22:00", "near-duplicate", "short"),
    Q("can my 10 year old go in the pool in vienna", "spa-vienna", "09:00 to 12:00", "near-duplicate", "paraphrase"),
    Q("do I need to bring swimmers for the sauna in vienna", "spa-vienna", "textile-free", "near-duplicate", "paraphrase"),
    Q("is the rooftop pool in lisbon open in march", "spa-lisbon", "May to October", "near-duplicate", "paraphrase"),
    Q("how much is a sauna sesion in copenhagen", "sauna-copenhagen", "DKK 150", "near-duplicate", "typo"),
    Q("can my 10 yr old come in the sauna with me in copenhagen", "sauna-copenhagen", "minimum age is 12", "near-duplicate", "paraphrase"),
    Q("prague gym hours", "fitness-centres", "06:00 to 23:00", "short"),
    # airport transfers (deep)
    Q("schiphol private car price", "airport-transfers", "€65", "deep", "short"),
    Q("how much is the airport pickup in prague", "airport-transfers", "CZK 1,400", "deep", "paraphrase"),
    Q(
        "our plane might be a couple of hours late, will the driver charge us for waiting",
        "airport-transfers",
        "no extra charge",
        "deep",
        "paraphrase",
    ),
    # rooms, wifi, luggage, vouchers
    Q("which rooms have a bath and not just a shower", "room-types", "bathtub"),
    Q("wifi password", "wifi", "room number and last name", "short"),
    Q(
        "we're going to porto for 3 days in the middle of our lisbon trip, can we leave a suitcase with you",
        "luggage-storage",
        "€5 per bag per day",
        "paraphrase",
    ),
    Q("can I use my voucher on a non refundable booking", "gift-vouchers", "except Advance Purchase", "paraphrase"),
    # smoking, room service, housekeeping, celebrations
    Q("can I vape in the room if I open the window", "smoking", "€250", "paraphrase"),
    Q("I need somewhere to keep my insulin cold", "room-service-and-minibar", "empty fridge", "paraphrase"),
    Q("what do I get if I skip having my room cleaned", "housekeeping", "500 Alder Circle points", "paraphrase"),
    Q("it's our anniversary, could you put some fizz and a cake in the room", "celebrations", "€65", "paraphrase"),
    # city taxes (deep), contact
    Q("is tourist tax included in the price", "city-taxes", "not included"),
    Q("tourst tax lisbon kids", "city-taxes", "under 13", "deep", "short", "typo"),
    Q("prague tax per person", "city-taxes", "CZK 50", "deep", "short"),
    # nothing in the set answers these
    unanswerable("do you do dry cleaning? I've got a suit that needs pressing before a wedding"),
    unanswerable("can I move my Alder Circle points over to my husband's account"),
    unanswerable("is there a pillow menu, I need a really firm one for my back"),
    unanswerable("is there a kids club at the Lisbon hotel"),
    unanswerable("is the meat at breakfast halal"),
    unanswerable("what temperature is the pool at the Vienna spa"),
    unanswerable("is there a charger for electric cars at the Vienna hotel"),
    unanswerable("can I rent a bike at the Prague hotel"),
    unanswerable("do you give a discount to students"),
    unanswerable("can we hold our wedding reception at Alder House Prague"),
    unanswerable("how heavy do the dumbbells go in the Copenhagen gym"),
    unanswerable("are you hiring reception staff in Copenhagen"),
    unanswerable("is there a hairdryer in the Classic rooms"),
    unanswerable("is there a minimum stay over New Year's Eve in Vienna"),
    unanswerable("are the canal-side rooms in Amsterdam noisy at night"),
]
