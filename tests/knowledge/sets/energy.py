"""Help centre of Harbourlight Energy, a fictional UK home electricity and gas supplier (held out: written for issue 22's second report, never tuned on)."""

from tests.knowledge.sets import Q, unanswerable

DOCUMENTS = {
    "tariff-flex": """# Harbourlight Flex (variable tariff)

Harbourlight Flex is our standard variable tariff for electricity, gas or both. Your prices follow the energy price cap set by Ofgem, so they can go up or down, usually on 1 January, 1 April, 1 July and 1 October. We will always tell you at least 30 days before your prices change.

There are no exit fees on Flex, so you can switch to another tariff or another supplier whenever you like. You can pay by Direct Debit, on receipt of bill, or with a prepayment meter.

Flex prices depend on where you live, because the cost of running the local network differs. See the Flex prices page for your region. If your fixed tariff ends and you don't choose a new one, we move you onto Flex.
""",
    "tariff-fix-12": """# Fix 12 (12-month fixed tariff)

With Fix 12, your unit rates and standing charges stay the same for 12 months from your start date, whatever happens to the price cap. It's available for electricity, gas or both, and you must pay by monthly Direct Debit and get your bills online.

Typical prices, averaged across Great Britain and including VAT: electricity 24.18p per kWh with a standing charge of 51.37p per day; gas 5.91p per kWh with a standing charge of 31.20p per day. Your exact prices are shown before you sign up.

If you leave before the end of the fix, there's an exit fee of £75 per fuel. We'll write to you 49 days before your fix ends with your options, and there are no exit fees in those last 49 days.
""",
    "tariff-fix-24": """# Fix 24 (24-month fixed tariff)

With Fix 24, your unit rates and standing charges stay the same for 24 months from your start date, whatever happens to the price cap. It's available for electricity, gas or both, and you must pay by monthly Direct Debit and get your bills online. You need a smart meter, or to agree to have one fitted within 6 months of joining.

Typical prices, averaged across Great Britain and including VAT: electricity 23.64p per kWh with a standing charge of 52.10p per day; gas 5.74p per kWh with a standing charge of 30.85p per day. Your exact prices are shown before you sign up.

If you leave before the end of the fix, there's an exit fee of £150 per fuel. We'll write to you 49 days before your fix ends with your options, and there are no exit fees in those last 49 days.
""",
    "tariff-green-fix-18": """# Green Fix 18 (18-month renewable fixed tariff)

With Green Fix 18, your unit rates and standing charges stay the same for 18 months from your start date. All the electricity is matched with certified renewable generation from UK wind and solar farms, and 15% of your gas is green gas made from food waste, with the carbon from the rest offset through verified projects. You must pay by monthly Direct Debit and get your bills online.

Typical prices, averaged across Great Britain and including VAT: electricity 25.02p per kWh with a standing charge of 50.94p per day; gas 6.08p per kWh with a standing charge of 31.45p per day. Your exact prices are shown before you sign up.

If you leave before the end of the fix, there's an exit fee of £50 per fuel. We'll write to you 49 days before your fix ends with your options, and there are no exit fees in those last 49 days. Every year you stay on Green Fix, we plant a tree in your name with our partner, the Woodland Futures Trust.
""",
    "tariff-ev-night": """# EV Night Charge (electric vehicle tariff)

EV Night Charge is an electricity tariff for homes with an electric car or plug-in hybrid. Every night between 00:30 and 05:30 you pay our off-peak rate of 7.49p per kWh, for everything in your home, not just the car: set the dishwasher and washing machine to run then too. The rest of the time you pay 27.86p per kWh, and the standing charge is 53.02p per day.

You need a smart meter that sends half-hourly readings; if you don't have one, we'll fit it for free before you start. The tariff is fixed for 12 months and has an exit fee of £60. It covers electricity only: your gas can stay with us on any other tariff.

To join, upload proof that you own or lease the vehicle, such as the V5C logbook or your lease agreement. For a company car, a letter from your employer is fine. You don't need a dedicated charger, but charging from a 3-pin plug is slow: a typical 60 kWh battery takes about 26 hours from empty.
""",
    "prices-london": """# Flex prices in London

These are our Harbourlight Flex prices for homes in the London electricity region (region C on your bill). They include VAT at 5% and apply from 1 April 2025 for customers paying by Direct Debit.

- Electricity: 25.86p per kWh, standing charge 47.92p per day.
- Economy 7 electricity: day rate 30.11p per kWh, night rate 14.02p per kWh, standing charge 47.92p per day.
- Gas: 6.12p per kWh, standing charge 29.60p per day.

If you pay on receipt of bill, prices are higher; see Ways to pay. Your region is set by your home's electricity network, not your postcode area, so homes near a boundary may be in a neighbouring region.
""",
    "prices-north-west": """# Flex prices in North West England

These are our Harbourlight Flex prices for homes in the North West England electricity region (region G on your bill), which includes Manchester, Liverpool and Preston. They include VAT at 5% and apply from 1 April 2025 for customers paying by Direct Debit.

- Electricity: 24.71p per kWh, standing charge 54.33p per day.
- Economy 7 electricity: day rate 29.40p per kWh, night rate 12.85p per kWh, standing charge 54.33p per day.
- Gas: 6.01p per kWh, standing charge 30.12p per day.

If you pay on receipt of bill, prices are higher; see Ways to pay.
""",
    "prices-south-wales": """# Flex prices in South Wales

These are our Harbourlight Flex prices for homes in the South Wales electricity region (region K on your bill), which includes Cardiff, Swansea and Newport. They include VAT at 5% and apply from 1 April 2025 for customers paying by Direct Debit.

- Electricity: 25.34p per kWh, standing charge 56.80p per day.
- Economy 7 electricity: day rate 29.02p per kWh, night rate 13.60p per kWh, standing charge 56.80p per day.
- Gas: 6.05p per kWh, standing charge 30.47p per day.

If you pay on receipt of bill, prices are higher; see Ways to pay.
""",
    "prices-north-scotland": """# Flex prices in North Scotland

These are our Harbourlight Flex prices for homes in the North Scotland electricity region (region P on your bill), which includes Aberdeen, Inverness and the Highlands and Islands. They include VAT at 5% and apply from 1 April 2025 for customers paying by Direct Debit.

- Electricity: 26.02p per kWh, standing charge 61.15p per day.
- Economy 7 electricity: day rate 28.76p per kWh, night rate 15.33p per kWh, standing charge 61.15p per day.
- Gas: 6.09p per kWh, standing charge 30.88p per day.

Many homes in the north of Scotland have Total Heating Total Control (THTC) or other multi-rate meters. If you have one, call us for your rates, as they are not listed here. If you pay on receipt of bill, prices are higher; see Ways to pay.
""",
    "smart-meter-installation": """# Getting a smart meter installed

A smart meter is free: there is no charge for the meter or the installation. Book online, in the Harbourlight app or by calling 0808 157 0123. We install in most areas within 3 weeks of booking.

Appointments are either a morning slot, 8 am to 12 pm, or an afternoon slot, 12 pm to 4 pm, Monday to Saturday. The engineer will text you when they are 30 minutes away. Someone aged 18 or over must be at home for the whole visit.

Fitting both an electricity and a gas meter takes around 2 hours, or about 1 hour for one meter. Your electricity will be off for about 30 minutes, so save any work on your computer and switch off sensitive equipment. If someone in your home uses medical equipment that needs electricity, tell us when you book.

Please make sure the engineer can get to your meters: clear the cupboard, and if your meters are in a locked box outside, have the key ready (the standard meter box key is a triangular key). If we can't reach the meters, we'll have to rebook.

Every engineer carries a Harbourlight photo ID card. They will never ask you for money. If you want to check an engineer is genuine, call us before you let them in.

While fitting a gas meter, the engineer carries out a safety check on your gas appliances. If an appliance is dangerous, they are required by law to disconnect it, and they will put a warning label on it; you'll need a Gas Safe registered engineer to repair it before it's used again.

Before they leave, the engineer will set up your in-home display and take the old meters away. We photograph the final reading on your old meter, so you don't need to take one yourself.
""",
    "smart-meter-not-sending": """# My smart meter isn't sending readings

Smart meters send readings to us automatically through a secure national network run by the Data Communications Company (DCC). Most meters send a reading every day; the meters of EV Night Charge customers send one every half hour.

If we haven't had a reading for a few days, it's usually a temporary signal problem and it sorts itself out. If your in-home display shows "No WAN" or "No network", the meter has lost contact with the network. Don't unplug or reset anything on the meter itself.

If we haven't received a reading for 30 days, we'll contact you and ask you to send readings yourself while we investigate, and if needed we'll book a free engineer visit. Some older first-generation meters (SMETS1) stop working in smart mode after a change of supplier; we're moving these to the national network remotely, and there's nothing you need to do.

About 1 in 30 homes can't get a strong enough signal, usually because the meter is in a basement or behind thick walls. We can fit a signal booster, called a comms hub aerial, for free.
""",
    "in-home-display": """# Your in-home display

Your in-home display (IHD) shows how much energy you're using and what it's costing you, in pounds and pence. Electricity updates about every 10 seconds; gas updates every 30 minutes. A light shows green when you're using a little, amber for medium use and red when you're using a lot.

Keep the display plugged in within 10 metres of the electricity meter, so it can stay connected. You can set a daily budget, and the display will warn you when you go over it.

If your display stops working within 12 months of your smart meter being fitted, we'll replace it for free. After that, a replacement costs £30. You don't have to use a display at all: you can see the same information in the Harbourlight app.
""",
    "submit-meter-reading": """# Sending us a meter reading

If you don't have a smart meter, or yours isn't sending readings, please send us a reading at least every 3 months. You can send readings in the Harbourlight app, in your online account, or on our automated line, 0808 157 0124, which is open 24 hours a day.

The best time to send a reading is in the 5 days before your bill date. We email a reminder when that window opens. Readings sent after 10 pm are dated the next day.

If a reading looks much higher or lower than we expect, we'll ask you to confirm it with a photo of the meter, showing the serial number. You can upload the photo in the app.
""",
    "reading-electricity-single-rate": """# Reading a standard electricity meter

A standard (single-rate) electricity meter measures your usage in kilowatt hours (kWh). On a digital meter, write down the numbers from left to right, and ignore any numbers after a decimal point or shown in red.

On an older dial meter, read the dials from left to right and ignore the red dial. If a pointer is between two numbers, write down the lower number; if it's between 9 and 0, write down 9. Dials next to each other turn in opposite directions, so check each one carefully.

Your meter's serial number is printed on the front, usually beneath a barcode. Check it matches the number on your bill, so we know the reading is from the right meter.
""",
    "reading-electricity-economy-7": """# Reading an Economy 7 electricity meter

An Economy 7 meter records your electricity at two rates: a cheaper night rate for 7 hours, and a day rate for the rest of the time. Night hours vary by area, but are usually between 12:30 am and 7:30 am in winter (GMT). The meter doesn't change for British Summer Time, so in summer they run an hour later, from 1:30 am to 8:30 am.

Some Economy 7 meters have two rows of numbers, labelled "low" (night) and "normal" (day). Others show one reading at a time: press the blue button to cycle through the displays until you see rate 1 and rate 2. Ignore the display showing the total.

Always send us both readings. If you only send one, we'll estimate the other. To get the most from Economy 7, run storage heaters, immersion heaters and washing machines during the night hours.
""",
    "reading-gas-metric": """# Reading a metric gas meter

Most gas meters installed since the 1990s are metric and measure gas in cubic metres, shown as m³ on the meter. Write down the first 5 numbers from left to right, and ignore the numbers after the decimal point, which are usually in red.

We turn your reading into kilowatt hours (kWh) on your bill using this calculation: cubic metres used × the calorific value (about 39.5, shown on your bill) × 1.02264 (a correction for temperature and pressure) ÷ 3.6.
""",
    "reading-gas-imperial": """# Reading an imperial gas meter

Older imperial gas meters measure gas in hundreds of cubic feet, shown as ft³ or "cubic feet" on the meter. Write down the first 4 numbers from left to right, and ignore any red numbers and the numbers after them.

Imperial readings are converted to cubic metres by multiplying by 2.83 before the usual calculation into kWh. If your meter says cubic feet but your bill says m³, tell us straight away: you may have been billed incorrectly, and we'll correct your account.

We're replacing imperial meters with smart meters; if you have one, we'll be in touch to book your free upgrade.
""",
    "estimated-bills": """# Estimated bills

If we don't have a recent reading, we estimate your usage based on your past readings or, for a new customer, on typical use for a home like yours. Estimated readings are marked with an "E" on your bill; actual readings from a smart meter or meter reader are marked "A", and readings you've sent us are marked "C" (customer).

If you think an estimate is wrong, send us a reading within 14 days of your bill date and we'll send you a corrected bill.

If we've made a mistake and not billed you correctly, we can't charge you for energy you used more than 12 months ago. This is known as the back-billing rule. It doesn't apply if you've refused access to your meter or ignored our requests for readings.
""",
    "understanding-your-bill": """# Understanding your bill

If you pay by Direct Debit, you get a statement every month. If you pay on receipt of bill, you get a bill every 3 months. You can see all your bills and statements in the app and in your online account.

The first page shows your balance. If it says "in credit", you've paid more than you've used; if it says "in debit" or "amount owed", you owe us money.

Your bill shows two charges for each fuel. The unit rate is what you pay for each kilowatt hour (kWh) you use. The standing charge is a fixed daily amount that covers the cost of supplying your home, whether you use any energy or not.

VAT on home energy is charged at 5%, and it's included in the prices we show. If you qualify for the Warm Home Discount, it appears as a credit on your electricity bill.

Each bill includes a "Could you pay less?" box, which tells you if another Harbourlight tariff would have been cheaper for you over the past year, and by how much. It also shows your tariff comparison rate (TCR), a single figure in pence per kWh to help you compare tariffs.

Your account number starts with HL followed by 8 digits. Your electricity supply number (MPAN) is the 21-digit number in the box marked "S" on the back page; your gas supply number (MPRN) is up to 10 digits long. You may need these if you switch.

Bills are sent by email unless you've asked for paper. You can ask for bills in large print, in braille or as an audio recording at no cost; see the Priority Services Register.
""",
    "bill-higher-than-expected": """# Why is my bill higher than expected?

The most common reasons are: your last bill was based on an estimate that was too low, you've used more energy because of cold weather, your prices have changed, or your fixed tariff has ended and you've moved onto Flex.

Start by checking the readings on your bill against your meter. If any readings are marked "E", send us an up-to-date reading and we'll rebill you. The Bill Explainer in the app compares this bill with the same period last year.

If you still think something is wrong, you can ask us to test your meter's accuracy. The test is free if your meter turns out to be faulty, and we'll refund any overcharge. If the meter is working correctly, there's a charge of £65.
""",
    "payment-methods": """# Ways to pay

Monthly Direct Debit is the cheapest way to pay, and you can choose a fixed amount or to pay exactly what you've used each month. Customers who pay on receipt of bill pay on average 7% more, because it costs us more to collect their payments.

If you pay on receipt of bill, you'll get a bill every 3 months and must pay it within 14 days. You can pay by debit or credit card in the app or online, by phone on our automated line, at any Post Office with the payment card we send you, or by bank transfer to sort code 40-12-76, account number 91827364, using your account number as the reference.

We stopped accepting cheques on 1 March 2024.
""",
    "direct-debit": """# Paying by Direct Debit

With a fixed monthly Direct Debit, we work out how much energy you're likely to use in a year, add your standing charges, and split the total into 12 equal payments. That means you pay the same in winter as in summer.

You can choose any payment date from the 1st to the 28th of the month, and change it in the app. A new date takes effect from the following month.

In the summer you use less energy than you pay for, so your account builds up credit. In the winter you use more, and that credit is used up. It's normal for your balance to go up and down through the year.

We review your Direct Debit every 6 months, and whenever prices change. If your payment needs to change, we'll tell you at least 10 working days before the new amount is taken.

You can change the amount yourself in the app. If it's much lower than we recommend, we'll warn you that you might build up a debt, but the choice is yours.

If you prefer, choose a variable Direct Debit instead: we take exactly what your monthly statement says, 14 days after the statement date.

If a payment fails, we'll try to take it again after 5 working days. We don't charge a fee for a failed payment, but if two payments in a row fail we may ask you to pay a different way.

All Direct Debits are protected by the Direct Debit Guarantee: if a payment is taken in error, your bank will refund it immediately.
""",
    "credit-refunds": """# Getting a refund of your credit

If your account is in credit, you can ask for some or all of it back at any time in the app, online or by phone. We'll pay it into the bank account your Direct Debit is taken from within 10 working days.

We may suggest keeping some credit in the summer to cover winter bills, but it's your money and your choice. At each Direct Debit review, if you're in credit by more than £100, we refund anything over £100 automatically, unless you've asked us to keep it on your account.

If you've left us, see Leaving Harbourlight for how we refund your final balance.
""",
    "moving-out": """# Moving out

Tell us you're moving at least 2 working days before your moving date, and up to 28 days ahead. You can do it in the app under "Moving home", online, or by phone.

On the day you move, take a reading from each meter, and a photo of each. Send us the readings on the day; if you have a smart meter, we'll take a reading automatically at midnight.

Give us your new address, so we can send you your final bill. We send it within 7 days of getting your final readings.

If you'd like Harbourlight to supply your new home, we can move your account across. If you're on a fixed tariff, you can take it with you without paying an exit fee, as long as your new home is in Great Britain and we can supply it.

If you have a key or card prepayment meter, leave the key or card in the property for the next occupant. Any credit left on a smart prepayment meter when you move out is added to your final bill.

If you're a landlord or letting agent, please give us the new tenants' names and the date they moved in, if you know them.
""",
    "moving-in": """# Moving into a new home

When you move into a home that we already supply, you're automatically on our Harbourlight Flex tariff, at the prices for your region. You can choose a different tariff at any time, with no exit fee to leave Flex. Tell us your name and moving-in date within 28 days.

Take meter readings on the day you get the keys, so you only pay for energy you've used. If you don't know who supplies your home, use the Find My Supplier service for electricity, or call the Meter Number Helpline for gas.

You're not responsible for any debt left by the previous occupant. If the prepayment meter in your new home is collecting someone else's debt, call us and we'll reset it, usually within 24 hours.
""",
    "switching-to-us": """# Switching to Harbourlight

Switching is free and usually takes 5 working days. Choose your tariff online, and we'll handle everything, including telling your old supplier. You don't need to contact them yourself, and your supply won't be interrupted.

You have 14 days to change your mind after you sign up (the cooling-off period). If you cancel in that time, you'll stay with your old supplier, or go back to them.

Please give us a meter reading on your switch date, so your old supplier's final bill and our first bill are accurate. If you're on prepayment and owe your current supplier more than £500, they may object to the switch until it's paid.

Most smart meters keep working in smart mode when you switch to us; some older ones may need manual readings for a while.
""",
    "leaving-us": """# Leaving Harbourlight

To switch supplier, just sign up with your new one; they'll tell us. If you're on a fixed tariff, exit fees apply if you leave before your last 49 days. There are no exit fees on Flex.

We'll send your final bill within 6 weeks of your switch date. If you're in credit, we refund it within 10 working days of your final bill, to your bank account, or by cheque if we don't have your bank details. If you owe us money, please pay within 28 days.

If your final bill is more than 6 weeks late, we'll pay you £40 in compensation automatically.
""",
    "smart-export-payment": """# Getting paid for the electricity you export

If you generate your own electricity, for example with solar panels, a wind turbine or a home battery, you can earn money for the power you send back to the grid with Harbourlight Export, our Smart Export Guarantee (SEG) tariff.

If we also supply your electricity, you get our Export Plus rate of 15p per kWh. If another supplier supplies your electricity, you can still join Export Standard at 4.1p per kWh.

To join, you need an export-capable smart meter, so that we can measure what you export every half hour, and an MCS certificate (or equivalent) for your installation. Installations of up to 5 MW are eligible; most home systems are between 3 and 6 kW.

Apply online, uploading your MCS certificate. It usually takes up to 4 weeks to set up, and we'll backdate payments to the date you applied, as long as your smart meter was recording exports.

We pay export earnings monthly as a credit to your Harbourlight account. If you'd rather have the money in your bank, we'll pay it out every 3 months once you've earned at least £25.

You can't get SEG payments for an installation that already gets export payments under the Feed-in Tariff. If you're on the Feed-in Tariff, see our Feed-in Tariff page.
""",
    "feed-in-tariff": """# Feed-in Tariff (FiT)

The Feed-in Tariff scheme closed to new applicants on 31 March 2019, but if your installation is already registered, you'll keep getting payments for the rest of your scheme term, usually 20 or 25 years. Harbourlight is a FiT licensee, so we can make your payments even if another supplier supplies your electricity.

Send us a generation meter reading every quarter: in January, April, July and October. We email you when each reading window opens, and pay you within 30 days of your reading.

Most homes don't have an export meter, so we assume you export 50% of what you generate ("deemed export") and pay you for it. Every 2 years, we'll ask for a photo of your generation meter to check the readings.
""",
    "ev-charger-installation": """# Home EV charger installation

Through our installation partner, VoltNest, we can fit a 7.4 kW smart home charger for £849, including a standard installation. A standard installation includes up to 10 metres of cable between your fuse box and the charger, and mounting on an outside wall.

You'll need off-street parking, such as a driveway or garage. Before booking, you'll send VoltNest photos of your fuse box, your meter and where you'd like the charger, and they'll confirm the price. Installation is usually within 3 weeks.

The charger comes with a 3-year warranty and works with our EV Night Charge tariff: the app can schedule charging for the cheap hours automatically.
""",
    "boiler-cover-essentials": """# Boiler Cover Essentials

Boiler Cover Essentials costs £9 a month and covers repairs to your gas boiler and its controls, such as the thermostat and timer. It does not include a yearly boiler service.

There's an excess of £95 for each callout, and we'll pay up to £1,000 per claim for parts and labour. An engineer will visit within 48 hours of your call. If your boiler can't be repaired, Essentials doesn't pay towards a new one.

Your boiler must be less than 15 years old and in working order when you take out cover. You can't make a claim in the first 14 days, unless you've moved from another provider's cover with no gap.
""",
    "boiler-cover-plus": """# Boiler Cover Plus

Boiler Cover Plus costs £15 a month and covers repairs to your gas boiler, its controls and your central heating system, including radiators, pipes and the hot water cylinder. It includes a yearly boiler service.

There's an excess of £60 for each callout, and we'll pay up to £1,500 per claim for parts and labour. An engineer will visit within 24 hours of your call. If your boiler can't be repaired and it's under 7 years old, we'll pay £500 towards a new one.

Your boiler must be less than 15 years old and in working order when you take out cover. You can't make a claim in the first 14 days, unless you've moved from another provider's cover with no gap.
""",
    "boiler-cover-complete": """# Boiler Cover Complete

Boiler Cover Complete costs £22 a month and covers your gas boiler, its controls and your central heating, plus your home's plumbing, drains and electrical wiring. It includes a yearly boiler service.

There's no excess, and we'll pay up to £2,000 per claim for parts and labour. An engineer will visit the same day if you call before 12 noon, or the next day otherwise. If your boiler can't be repaired and it's under 10 years old, we'll replace it with a new one.

Your boiler must be less than 15 years old and in working order when you take out cover. You can't make a claim in the first 14 days, unless you've moved from another provider's cover with no gap.
""",
    "boiler-breakdown": """# Reporting a boiler breakdown

If you have Harbourlight boiler cover, report a breakdown in the app or call our breakdown line on 0808 157 0456, open 24 hours a day, 365 days a year.

Before you call, check a few things. Is the pressure gauge between 1 and 1.5 bar? If it's lower, you may need to top it up using the filling loop; your boiler manual shows how. Try resetting the boiler once. In freezing weather, a frozen condensate pipe (the plastic pipe running outside) is a common cause: thaw it with warm water, never boiling.

If you smell gas, don't call us: call the National Gas Emergency Service on 0800 111 999.

The engineer will text you when they're on the way. If they need to order a part, we aim to fit it within 3 working days and can lend you up to 2 electric heaters in the meantime.
""",
    "priority-services-register": """# Priority Services Register

The Priority Services Register (PSR) is a free service for customers who need extra support. You can join if you're of State Pension age, have a disability or long-term illness, have a child under 5, are pregnant, have a hearing or sight impairment, have difficulty speaking or reading English, or rely on medical equipment that needs electricity. You can also join for a short time, for example after an operation.

Sign up in the app, online or by calling us. We'll share your details with your local electricity and gas network operators, so they can help you too. You only need to register once.

If a planned power cut is coming, your network operator will give you advance notice. During an unplanned cut, they'll give you priority updates and, where they can, extra support such as hot meals or a generator for medical equipment.

You can set up a password with us. Anyone we send to your home, such as a meter reader or engineer, will say the password, so you know they're genuine.

We can send your bills and letters in large print, braille or audio, or to someone you trust, like a relative or carer (a nominee), who can also speak to us on your behalf.

If you can't safely reach or read your meter, we'll move it free of charge. If you have a prepayment meter and can't get out to top up, we'll find another way for you, which could mean moving you onto a credit meter.

If you get means-tested benefits, own your home and no one else in it is able to arrange one, we offer a free gas safety check every 12 months.

We'll contact you every 2 years to check your details are still right.
""",
    "power-cuts": """# Power cuts

If your power goes off, first check whether your neighbours have power. If they do, look at your fuse box: a trip switch may have flipped to off. Switch off your appliances, then push it back up.

If the whole street is off, it's a power cut. Power cuts are handled by your local network operator, not by us. Call 105 for free from any phone, day or night, to report it or get updates.

If your power is off for 12 hours or more in normal weather, your network operator must pay you £95 in compensation, plus £45 for every further 12 hours. You may need to claim within 3 months.
""",
    "gas-emergency": """# Smell gas? What to do

If you smell gas, or think there might be carbon monoxide in your home, call the National Gas Emergency Service straight away on 0800 111 999. It's free and open 24 hours a day.

Open doors and windows, and turn off the gas at the emergency control valve, usually next to your gas meter: move the lever so it's at a right angle to the pipe. Don't use light switches, electrical plugs or naked flames, and don't smoke. If you feel unwell, leave the building.

Signs of carbon monoxide poisoning include headaches, dizziness, nausea and tiredness that get better when you go outside. A yellow or orange flame on a gas hob, instead of a blue one, or black marks around a gas fire can be warning signs.
""",
    "complaints": """# Making a complaint

We're sorry if something has gone wrong. Tell us by phone on 0808 157 0123, in the app, by email to complaints@harbourlightenergy.co.uk, or by post to Harbourlight Energy, Customer Relations, PO Box 7731, Bristol BS99 6HL.

We'll acknowledge your complaint within 1 working day and try to resolve it within 5 working days. We'll give you a named contact who will keep you updated.

If you're not happy with our answer, ask for your complaint to go to our Customer Relations team. They'll review it and reply within 10 working days.

If we can't agree, we'll send you a final response letter (sometimes called a deadlock letter) that explains your options.

You can take your complaint to the Energy Ombudsman, for free, once 8 weeks have passed since you first complained, or sooner if we've sent you a final response letter. You must go to the Ombudsman within 12 months of our final response. The Ombudsman can order us to apologise, explain, fix the problem or pay you compensation, and we must do what they decide.

For some failures, we pay you compensation automatically under Ofgem's Guaranteed Standards: for example, £40 if we miss a smart meter appointment, paid within 10 working days.

You can also get free, independent advice from the Citizens Advice consumer service.
""",
    "payment-difficulties": """# If you're struggling to pay

If you're worried about paying your energy bills, please talk to us as early as you can. We'll never judge, and the sooner we know, the more we can do. Call our Support Team on 0808 157 0190, Monday to Friday 8 am to 6 pm.

We can agree an affordable payment plan, spreading what you owe over up to 24 months, on top of paying for the energy you use. We'll look at your income and outgoings together to find an amount you can manage.

If you're getting debt advice, we can put collection on hold for 30 days, a breathing space, while you sort out your finances. We don't charge late payment fees.

Our Harbourlight Helping Hand Fund gives grants of up to £750 to clear energy debt for customers in hardship. You can apply once every 2 years, through our partner, Brightpath Debt Advice, who will also help you with a full budget check.

If you get Universal Credit or certain other benefits, you may be able to pay your energy debt straight from your benefits through the government's Fuel Direct scheme.

We'll only ever fit a prepayment meter because of debt as a last resort. We will never do so without your agreement if anyone in your home is aged 75 or over, or you have a child under 2, or someone relies on medical equipment that needs electricity.

Free, confidential debt advice is also available from charities such as StepChange and National Debtline.
""",
    "warm-home-discount": """# Warm Home Discount

The Warm Home Discount is a one-off £150 discount on your electricity bill each winter, between October and March. It's a government scheme, and we take part.

In England and Wales, most eligible customers get it automatically if they receive the Guarantee Credit element of Pension Credit, or are on a low income and get certain means-tested benefits. The government will write to you if you qualify. In Scotland, you need to apply to us directly when the scheme opens each autumn.

If you have a prepayment meter, we'll send the discount as a voucher by text or post; you need to redeem it within 90 days at a shop that sells top-ups.
""",
    "prepayment-topping-up": """# Topping up your prepayment meter

With a smart prepayment meter, you can top up in the Harbourlight app, online, by phone, or at any shop with the PayPoint or Payzone sign. Credit usually reaches your meter within 30 minutes; if it hasn't arrived after 2 hours, call us.

You can set up auto top-up in the app, so that when your balance falls below £5 we add £20 (or an amount you choose) from your card.

With a key or card meter, top up your key or card at a PayPoint or Payzone shop or a Post Office, then put it in the meter until the credit shows. The minimum top-up in a shop is £1.

If you lose your key or card, order a new one in the app or by phone. It's free, and we post it within 3 working days; if you're out of credit, we can arrange an emergency replacement the same day.
""",
    "prepayment-emergency-credit": """# Emergency and friendly credit

If your credit runs low, you can use emergency credit: £10 for electricity and £15 for gas. On a smart meter, press A and then enter, or accept it in the app; on a key meter, press the red button. You'll pay the emergency credit back automatically the next time you top up.

Friendly credit means your supply won't go off at times when it may be hard to top up: between 6 pm and 9 am on weekdays, and all day at weekends and on bank holidays. You'll pay back anything you use when you next top up.

If you can't afford to top up, call us on 0808 157 0190. We may be able to give you extra credit of up to £50, to be repaid over time.
""",
    "prepayment-switch-to-credit": """# Switching from prepayment to a credit meter

You can ask to switch from prepayment to paying by Direct Debit or on receipt of bill. It's free. If you have a smart prepayment meter, we can switch it remotely, usually within 24 hours; a key or card meter needs an engineer visit to swap it.

We'll do a credit check. If it doesn't meet our criteria, we may ask for a security deposit of up to £150 per fuel, which we refund after 12 months of on-time payments.

If you owe money on the meter, you'll keep repaying it at the same weekly rate through your new payment method. Our prepayment prices are the same as our Direct Debit prices.
""",
    "contact-us": """# Contact us

Call us on 0808 157 0123, Monday to Friday 8 am to 8 pm and Saturday 9 am to 2 pm. We're closed on Sundays and bank holidays. Calls are free from mobiles and landlines.

You can chat with us in the Harbourlight app from 8 am to 10 pm every day, or email help@harbourlightenergy.co.uk; we reply to emails within 2 working days. If you use Relay UK, dial 18001 before our number. For help in Welsh, call 0808 157 0129.

Boiler breakdowns: 0808 157 0456, 24 hours. Power cuts: 105. Smell gas: 0800 111 999.
""",
}

QUESTIONS = [
    # tariffs (four fixed/variable look-alikes and the EV tariff)
    Q("if I'm on your variable tariff can I leave whenever I want or is there a fee", "tariff-flex", "no exit fees", "paraphrase"),
    Q("exit fee fix 12", "tariff-fix-12", "£75 per fuel", "near-duplicate", "short"),
    Q("whats the gas unit rate on the one year fix", "tariff-fix-12", "5.91p per kWh", "near-duplicate", "paraphrase"),
    Q(
        "I'm tempted by the two year fixed deal but there's a chance we'll move abroad next summer. How much would it cost me to get out of it early?",
        "tariff-fix-24",
        "£150 per fuel",
        "near-duplicate",
        "long",
        "paraphrase",
    ),
    Q("fix 24 electricity standing charge", "tariff-fix-24", "52.10p per day", "near-duplicate"),
    Q(
        "is the gas on your green tariff actually green or is it just the electric",
        "tariff-green-fix-18",
        "15% of your gas",
        "near-duplicate",
        "paraphrase",
    ),
    Q("how much to leave the green fix early", "tariff-green-fix-18", "£50 per fuel", "near-duplicate", "paraphrase"),
    Q(
        "if i run the washing machine overnight on the EV tariff do i get the cheap price too or is it only for the car",
        "tariff-ev-night",
        "not just the car",
        "paraphrase",
    ),
    Q(
        "I've got a company car through work so the V5 isn't in my name. Can I still get your EV tariff?",
        "tariff-ev-night",
        "letter from your employer",
        "long",
        "paraphrase",
    ),
    Q("ev tarrif night rate", "tariff-ev-night", "7.49p per kWh", "typo", "short", "paraphrase"),
    # regional Flex prices (near-duplicates)
    Q("standing charge for electric in london", "prices-london", "47.92p per day", "near-duplicate"),
    Q(
        "I live in Cardiff, what do you charge per unit for gas on flex",
        "prices-south-wales",
        "6.05p per kWh",
        "near-duplicate",
        "paraphrase",
    ),
    Q(
        "Why is my standing charge so high up here in Inverness?? It's over 61p a day and my sister down south pays way less. Is that actually right?",
        "prices-north-scotland",
        "61.15p per day",
        "near-duplicate",
        "long",
        "paraphrase",
    ),
    Q(
        "we have a THTC meter in the Highlands, where do I find the rates",
        "prices-north-scotland",
        "call us for your rates",
        "near-duplicate",
    ),
    Q("Manchester gas standing charge", "prices-north-west", "30.12p per day", "near-duplicate", "short", "paraphrase"),
    # smart meters
    Q("smart meter instalation how long does it take", "smart-meter-installation", "around 2 hours", "typo"),
    Q(
        "Does somebody have to be in for the smart meter fitting? My son is 16 and he'll be home from school that day.",
        "smart-meter-installation",
        "18 or over",
        "long",
        "paraphrase",
    ),
    Q(
        "The man who fitted my smart meter turned off my gas fire and stuck a do not use sticker on it. Is he even allowed to do that?? Now I've got no heating in the lounge.",
        "smart-meter-installation",
        "disconnect it",
        "deep",
        "long",
        "paraphrase",
    ),
    Q(
        "do I need to write down the reading on my old meter before the engineer takes it",
        "smart-meter-installation",
        "photograph the final reading",
        "deep",
        "paraphrase",
    ),
    Q("my in home display says No WAN what does that mean", "smart-meter-not-sending", "lost contact with the network"),
    Q(
        "meter is down in the cellar and never gets signal, anything you can do",
        "smart-meter-not-sending",
        "comms hub aerial",
        "paraphrase",
    ),
    Q("my smart meter dispaly has died, it's 2 years old, do I have to pay for a new one", "in-home-display", "£30", "typo", "paraphrase"),
    # meter readings (meter-type look-alikes)
    Q("meter reading phone number", "submit-meter-reading", "0808 157 0124", "short"),
    Q(
        "old electric meter with the little clock dials, the pointer is between 9 and 0, which do I put",
        "reading-electricity-single-rate",
        "write down 9",
        "near-duplicate",
        "paraphrase",
    ),
    Q("E7 summer night hours", "reading-electricity-economy-7", "1:30 am to 8:30 am", "near-duplicate", "short", "paraphrase"),
    Q(
        "my economy 7 meter only shows one number at a time, how do I get to the other one",
        "reading-electricity-economy-7",
        "blue button",
        "near-duplicate",
    ),
    Q("ecconomy seven do i send both numbers", "reading-electricity-economy-7", "both readings", "near-duplicate", "typo"),
    Q("how do you turn my gas meter reading into kwh on the bill", "reading-gas-metric", "1.02264", "near-duplicate", "paraphrase"),
    Q(
        "my gas meter says cubic feet but my bill says m3, is that a problem",
        "reading-gas-imperial",
        "billed incorrectly",
        "near-duplicate",
    ),
    Q("imperal gas meter conversion", "reading-gas-imperial", "2.83", "near-duplicate", "typo", "short"),
    # estimates and bills
    Q(
        "You've just sent me a catch-up bill for nearly two years of gas because apparently you'd been estimating wrong the whole time. I never refused access or ignored any letters. Do I really have to pay all of that?",
        "estimated-bills",
        "more than 12 months ago",
        "long",
        "paraphrase",
    ),
    Q("what's a standing charge", "understanding-your-bill", "fixed daily amount", "short"),
    Q("where is my mpan", "understanding-your-bill", "21-digit number", "deep", "short"),
    Q("what is the TCR thing on my bill", "understanding-your-bill", "pence per kWh", "deep"),
    Q("my bill says in debit, what does that mean", "understanding-your-bill", "you owe us money"),
    Q(
        "can I get my bills in braille for my mum, she's blind. does that cost extra?",
        "understanding-your-bill",
        "at no cost",
        "deep",
        "paraphrase",
    ),
    Q(
        "My bill this quarter is almost double what it normally is and nothing has changed in the house. I honestly think the meter is broken. Can you test it, and will I have to pay for that?",
        "bill-higher-than-expected",
        "£65",
        "long",
        "paraphrase",
    ),
    # paying
    Q("paying by cheque", "payment-methods", "1 March 2024", "short"),
    Q("is it actually cheaper to pay by direct debit", "payment-methods", "7% more", "paraphrase"),
    Q("can I move my direct debit date to the 30th, that's when I get paid", "direct-debit", "1st to the 28th", "paraphrase"),
    Q("how often do you reveiw my monthly payment amount", "direct-debit", "every 6 months", "deep", "typo"),
    Q(
        "i want to just pay whatever i actually used each month instead of the same amount",
        "direct-debit",
        "variable Direct Debit",
        "deep",
        "paraphrase",
    ),
    Q("my direct debit bounced last week, are you going to charge me for that", "direct-debit", "don't charge a fee", "deep", "paraphrase"),
    Q(
        "I've got £400 in credit on my account, can I have it back and how long does it take?",
        "credit-refunds",
        "10 working days",
        "paraphrase",
    ),
    # moving home and switching
    Q("how far in advance do i need to tell you im moving", "moving-out", "2 working days", "paraphrase"),
    Q("can I take my fixed deal to my new house, I've still got 8 months left on it", "moving-out", "without paying an exit fee", "deep"),
    Q("what happens to the credit on my smart prepay meter when I move out", "moving-out", "added to your final bill", "deep"),
    Q(
        "just moved in and the prepay meter is taking money off me for the last tenant's debt!! that's not fair",
        "moving-in",
        "within 24 hours",
        "paraphrase",
    ),
    Q("how long does swtiching to you take", "switching-to-us", "5 working days", "typo"),
    Q("I signed up yesterday and I've changed my mind, can I cancel?", "switching-to-us", "14 days", "paraphrase"),
    Q("I'm on prepay and owe my current supplier about £600, can I still switch to you", "switching-to-us", "more than £500"),
    Q("I left you two months ago and still haven't had a final bill, what now?", "leaving-us", "£40 in compensation", "paraphrase"),
    # solar export and EV charging
    Q("how much do you pay for the solar I send back to the grid", "smart-export-payment", "15p per kWh", "paraphrase"),
    Q("my electricity is with another company but can I sell my solar to you", "smart-export-payment", "4.1p per kWh", "paraphrase"),
    Q(
        "Our panels went in back in May and I've only just got round to applying for the export payments. Do I lose all the money from before I applied?",
        "smart-export-payment",
        "backdate payments",
        "deep",
        "long",
        "paraphrase",
    ),
    Q(
        "can I get my export money paid into my bank instead of knocked off my bill",
        "smart-export-payment",
        "at least £25",
        "deep",
        "paraphrase",
    ),
    Q("when do I send my FIT readings", "feed-in-tariff", "January, April, July and October"),
    Q("how much to fit an electirc car charger at home", "ev-charger-installation", "£849", "typo", "paraphrase"),
    # boiler cover (near-duplicates)
    Q("cheapest boiler cover price", "boiler-cover-essentials", "£9 a month", "near-duplicate", "short", "paraphrase"),
    Q("essentials claim limit", "boiler-cover-essentials", "£1,000 per claim", "near-duplicate", "short"),
    Q("excess on plus cover", "boiler-cover-plus", "£60", "near-duplicate", "short"),
    Q(
        "I'm on Boiler Cover Plus and the engineer says my 5 year old boiler is beyond repair, do you pay for a new one?",
        "boiler-cover-plus",
        "£500 towards a new one",
        "near-duplicate",
    ),
    Q(
        "which of your boiler plans covers blocked drains and the electrics",
        "boiler-cover-complete",
        "Boiler Cover Complete",
        "near-duplicate",
        "paraphrase",
    ),
    Q("on complete cover if I ring at 10am will someone come out today", "boiler-cover-complete", "same day", "near-duplicate"),
    Q("what should the pressure on my boiler be", "boiler-breakdown", "between 1 and 1.5 bar", "paraphrase"),
    Q(
        "It's minus 5 outside and the boiler has stopped, there's a white plastic pipe outside that looks frozen solid. What do I do? I've got a baby in the house.",
        "boiler-breakdown",
        "never boiling",
        "long",
        "paraphrase",
    ),
    Q("boiler breakdown number", "boiler-breakdown", "0808 157 0456", "short"),
    # extra support and emergencies
    Q("I'm 7 months pregnant, can I go on your priority list", "priority-services-register", "are pregnant", "paraphrase"),
    Q(
        "my nan can't reach her meter, it's right up high in a cupboard",
        "priority-services-register",
        "move it free of charge",
        "deep",
        "paraphrase",
    ),
    Q(
        "my dad's on a home oxygen machine, what happens if there's a power cut",
        "priority-services-register",
        "generator for medical equipment",
        "paraphrase",
    ),
    Q("free gas safety check", "priority-services-register", "every 12 months", "deep", "short"),
    Q("we had a power cut for 15 hours last week, do we get anything for that", "power-cuts", "£95", "paraphrase"),
    Q("who do I call in a power cut", "power-cuts", "call 105"),
    Q("I can smell gas in the kitchen", "gas-emergency", "0800 111 999"),
    # complaints
    Q("email address for complaints", "complaints", "complaints@harbourlightenergy.co.uk", "short"),
    Q(
        "I've been complaining for over 2 months about a wrong bill and I'm getting absolutely nowhere. Is there anyone above you I can go to?",
        "complaints",
        "Energy Ombudsman",
        "deep",
        "long",
        "paraphrase",
    ),
    Q("how long have i got to go to the ombudsman after your final letter", "complaints", "within 12 months", "deep"),
    Q(
        "your engineer never turned up for my smart meter appointment, do I get anything for the wasted day off",
        "complaints",
        "£40 if we miss",
        "deep",
        "paraphrase",
    ),
    # payment difficulties and prepayment
    Q(
        "I can't pay my bill this month, I've lost my job. Please don't cut me off, I have two kids. What can you do?",
        "payment-difficulties",
        "up to 24 months",
        "long",
        "paraphrase",
    ),
    Q("do you give grants to help clear energy debt", "payment-difficulties", "up to £750", "deep"),
    Q("pay energy debt from universal credit", "payment-difficulties", "Fuel Direct", "deep", "paraphrase"),
    Q("can you force a prepay meter on my mum, she's 80", "payment-difficulties", "75 or over", "deep", "paraphrase"),
    Q("how much is the warm home discout", "warm-home-discount", "£150", "typo"),
    Q("I live in Glasgow, will I get the warm home discount automatically?", "warm-home-discount", "apply to us directly", "paraphrase"),
    Q("lost my gas key", "prepayment-topping-up", "3 working days", "short", "paraphrase"),
    Q("emergancy credit gas how much", "prepayment-emergency-credit", "£15 for gas", "typo"),
    Q(
        "Ran out of credit on a Saturday night, will my electric go off?",
        "prepayment-emergency-credit",
        "all day at weekends",
        "paraphrase",
    ),
    Q("can't afford to top up at all this week and the kids are freezing", "prepayment-emergency-credit", "up to £50", "paraphrase"),
    Q("I want to come off prepay, will you make me pay a deposit?", "prepayment-switch-to-credit", "up to £150 per fuel"),
    # contact
    Q("saturday opening hours", "contact-us", "9 am to 2 pm", "short"),
    Q("I'm deaf and use Relay UK, how do I call you", "contact-us", "18001"),
    # nothing in the set answers these
    unanswerable("can I get broadband from you as well, do you do bundles"),
    unanswerable("do you install heat pumps? our boiler is on its last legs and we want to go electric"),
    unanswerable("is there a discount for having both gas and electric with you"),
    unanswerable("do you have a refer a friend bonus"),
    unanswerable("does your boiler cover come with a landlord gas safety certificate, I rent out a flat"),
    unanswerable("can you supply electricity to my small cafe"),
    unanswerable("are there any grants through you for loft or cavity wall insulation"),
    unanswerable("what's the flex standing charge in the east midlands"),
    unanswerable("do you have a tariff where the price changes every half hour with the wholesale market"),
    unanswerable("my dad passed away last month and the account is in his name, what do I need to do"),
    unanswerable("I got married, how do I change the name on my account"),
    unanswerable("do you fit solar panels"),
    unanswerable("can I get a discount if I pay for the whole year upfront"),
    unanswerable("do you do an economy 10 tariff"),
    unanswerable("can you upgrade my house to a three phase supply so I can get a faster car charger"),
]
