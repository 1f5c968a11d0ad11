"""Help centre of Parla Mobile, a fictional mobile and home-broadband provider (the tuning set)."""

from tests.knowledge.sets import Q, unanswerable

DOCUMENTS = {
    "plan-basic": """# Basic plan

The **Basic** plan costs 12 euros a month and includes 5 GB of mobile data, unlimited texts and 200 minutes of calls within the country.

| What | Basic |
| --- | --- |
| Data | 5 GB |
| Minutes | 200 |
| Price | 12 euros / month |

Unused data does not roll over to the next month.
""",
    "plan-plus": """# Plus plan

The **Plus** plan costs 22 euros a month and includes 30 GB of mobile data, unlimited texts and unlimited national calls.

| What | Plus |
| --- | --- |
| Data | 30 GB |
| Minutes | unlimited |
| Price | 22 euros / month |

Up to 10 GB of unused data rolls over to the next month on Plus.
""",
    "plan-unlimited": """# Unlimited plan

The **Unlimited** plan costs 35 euros a month: unlimited data, calls and texts, with 5G where available.

After 150 GB in a month, speeds are reduced to 10 Mbps until the next billing date, under our fair use policy.
""",
    "plan-family": """# Family plan

Share one bill across up to five SIM cards. The first line costs 35 euros a month and each extra line costs 15 euros a month.

All lines on a Family plan share a pool of 100 GB of data. The account holder can set a data cap on each line in the app.
""",
    "roaming-eu": """# Roaming in the EU

Use your plan in every EU country at no extra cost: calls, texts and data come out of your allowance as they would at home.

Fair use applies: if you spend more time abroad than at home over four months, we may add a surcharge of 2 euros per GB.
""",
    "roaming-world": """# Roaming outside the EU

Outside the EU, add a **World Pass** in the app before you travel. It costs 7 euros a day and gives you 1 GB of data and 60 minutes of calls for each day you use it.

Without a World Pass, data costs 10 euros per MB-block of 50 MB, so turn data roaming off if you do not need it.
""",
    "esim-activate": """# Activating an eSIM

1. Open the Parla app and choose **Add eSIM**.
2. Scan the QR code we emailed you, or tap **Install on this phone**.
3. Restart the phone.

The QR code can be used only once. If you lose it or change phones, request a new code in the app; a replacement eSIM is free.
""",
    "physical-sim": """# Ordering a physical SIM card

Order a SIM card from the app or the website. It arrives by post in 2 to 3 working days and works as soon as you insert it.

A replacement SIM card for a lost or damaged one costs 5 euros.
""",
    "port-in": """# Keeping your number when you switch to Parla

Ask your current provider for your PAC code (a transfer code), then enter it when you order. We move your number on the next working day, and your old contract ends automatically.

The PAC code is valid for 30 days.
""",
    "port-out": """# Taking your number to another provider

To leave Parla and keep your number, text PAC to 65075. We reply with your transfer code within a minute. Give the code to your new provider; there is no fee for moving your number.
""",
    "bill-explained": """# Understanding your bill

Your bill has three parts. The first is your monthly plan charge, which is billed in advance: the bill you receive on the 1st covers the month ahead. The second part is anything outside your plan, such as calls to premium numbers, roaming passes or extra data, which is billed in arrears, so it appears on the bill after the month in which you used it. The third part is one-off charges, for example a replacement SIM card or a late payment fee.

If you joined in the middle of a month, your first bill is larger than usual: it includes a pro-rata charge for the days between your start date and the 1st, as well as the full month ahead.

Prices on your bill include VAT. Business customers can ask for a VAT invoice from the billing page.

If you think a charge is wrong, you can dispute it within 60 days of the bill date from the billing page in the app. While we look into it, you do not have to pay the disputed amount, and we will not add a late fee for it.
""",
    "payment-methods": """# Ways to pay

We take direct debit, credit and debit cards, and PayPal. Direct debit customers get a 1 euro monthly discount.

You can change your payment method at any time in the app under **Billing > Payment method**.
""",
    "late-payment": """# If a payment fails

If a payment fails, we try again after 3 days. If the second attempt fails too, we add a late payment fee of 8 euros and send you a reminder.

After 14 days without payment, outgoing calls and data are suspended until the balance is paid. Incoming calls and calls to emergency numbers keep working.
""",
    "data-add-on": """# Buying extra data

Ran out of data? Buy a data add-on in the app: 2 GB for 4 euros or 10 GB for 10 euros. Add-ons last until the end of your billing month.
""",
    "data-usage": """# Checking how much data you have used

Open the app's home screen to see your data, minutes and texts used this month. We also send a text when you have used 80% and 100% of your data.
""",
    "hotspot": """# Using your phone as a hotspot

Tethering and hotspot use are included on every plan and count towards your normal data allowance. On the Unlimited plan, hotspot use is capped at 50 GB a month.
""",
    "5g-coverage": """# 5G coverage

Our 5G network covers the main cities and most large towns. Check the coverage map on our website by entering your postcode.

You need a 5G phone and the Plus, Unlimited or Family plan to use 5G. On Basic, your phone connects to 4G.
""",
    "no-signal": """# No signal or poor coverage

Sometimes your phone has no signal at all, or calls drop often. Before you contact us, it helps to rule out a few common causes, because most signal problems are solved on the phone itself.

First, turn airplane mode on and off again, which makes the phone search for the network from scratch. If that does not help, restart the phone. Check that your SIM card is seated properly, or for an eSIM, that the line is switched on in the phone's settings.

Next, look at the coverage map on our website. Planned maintenance and known outages are shown there as well, with the time we expect them to end. If your area is affected, there is nothing you need to do.

Indoors, thick walls and basements weaken the signal. If the signal is weak only at home, you can turn on Wi-Fi calling so that calls go over your home broadband.

If nothing works and the map shows no outage, report it in the app under **Help > Report a network problem**. For a fault that lasts more than 3 days in a row, we credit one week of your monthly plan charge to your next bill.
""",
    "wifi-calling": """# Wi-Fi calling

Wi-Fi calling lets you make and receive calls over any Wi-Fi network, at no extra cost. Turn it on in your phone's settings under **Mobile data > Wi-Fi calling**. It works on most phones made after 2019.
""",
    "voicemail": """# Voicemail

Call 1750 to listen to your voicemail. The first time, you will be asked to set a four-digit PIN. Messages are kept for 30 days after you listen to them, and unheard messages are kept for 14 days.
""",
    "lost-phone": """# Lost or stolen phone

Call us on 150 from another phone, or use **Block my SIM** on the website, as soon as possible. We block your SIM straight away so nobody can run up charges, and you are not charged for use after you report the loss.

Then order a replacement SIM or a new eSIM, and report a theft to the police to get a crime reference number for your insurance.
""",
    "insurance": """# Phone insurance

Parla Protect covers loss, theft, accidental damage and breakdown for 7 euros a month. A claim has an excess of 50 euros for damage and 100 euros for loss or theft. You can make at most two claims in any 12 months.
""",
    "upgrade": """# Upgrading your phone

You can upgrade to a new phone once you have paid off your current device plan, or at any time by paying the rest of it. Upgrades are ordered in the app under **My phone > Upgrade**.
""",
    "trade-in": """# Trading in your old phone

Send us your old phone and we pay you for it. Get a quote in the app, post the phone with the free label, and we credit the value to your bill within 10 working days of receiving it. Phones with a cracked screen get a lower quote.
""",
    "device-plan": """# Paying for a phone in instalments

A device plan spreads the price of a phone over 24 or 36 months at 0% interest. It is separate from your airtime plan, so you can change your airtime plan without changing your device plan.
""",
    "contract-cancel": """# Cancelling your contract

You can cancel your airtime plan at any time with 30 days' notice; there is no cancellation fee after your minimum term.

How to cancel:

- In the app, go to **Account > Cancel my plan**.
- Or call us on 150.

If you cancel during your minimum term of 12 months, you pay an early termination fee equal to the monthly charges left, minus 20% for the services we no longer provide.

Cancelling your airtime plan does not end a device plan: you keep paying the device instalments until the phone is paid off.
""",
    "cooling-off": """# Changing your mind

You can cancel a new contract within 14 days of receiving your SIM or phone, with no fee, and return the phone unused in its original packaging for a full refund.
""",
    "change-plan": """# Changing your plan

You can move to a bigger plan at any time and it starts straight away. Moving to a smaller plan is possible after your minimum term, and the change takes effect from your next billing date.
""",
    "broadband-plans": """# Home broadband plans

| Plan | Download speed | Price |
| --- | --- | --- |
| Fibre 100 | 100 Mbps | 25 euros / month |
| Fibre 500 | 500 Mbps | 32 euros / month |
| Fibre 1000 | 1 Gbps | 40 euros / month |

Every plan includes a Wi-Fi 6 router and no data limits. Mobile customers get 5 euros off broadband each month.
""",
    "broadband-install": """# Broadband installation

After you order, we book an engineer visit, usually within 10 working days. The visit takes about two hours and someone aged 18 or over must be at home. Installation is free; a missed appointment without 24 hours' notice costs 30 euros.
""",
    "router-reset": """# Restarting or resetting your router

Most connection problems are fixed by restarting the router: unplug it for 30 seconds and plug it back in.

A factory reset erases your Wi-Fi name and password. To reset, hold the pinhole button on the back for 15 seconds until the lights flash. The default Wi-Fi name and password are printed on the sticker under the router.
""",
    "broadband-slow": """# Slow broadband

Speeds are measured at the router, so test with a cable plugged into the router, not over Wi-Fi. If your speed is below the minimum guaranteed speed in your contract for three days in a row, tell us and we will try to fix it within 30 days; if we cannot, you may leave without a fee.
""",
    "moving-home": """# Moving home

Tell us at least 2 weeks before you move and we will move your broadband to your new address. Moving is free if you have been with us for more than 12 months; otherwise it costs 40 euros. Your mobile plan does not change when you move.
""",
    "parental-controls": """# Parental controls

Content filters block adult websites on a SIM; they are on by default for new lines of customers under 18. The account holder can turn them on or off in the app under **Settings > Content filters**. Turning them off requires age verification.
""",
    "spam-calls": """# Spam and scam calls

We block known scam numbers on our network. To report a scam text, forward it for free to 7726. We will never ask for your password or full card number by phone or text.
""",
    "account-security": """# Securing your account

Turn on two-step verification in the app under **Settings > Security**: every sign-in then needs a code from your phone. To protect you from SIM swap fraud, we ask for a one-time code before we issue a new SIM or eSIM.
""",
    "pay-as-you-go": """# Pay as you go

With pay as you go there is no contract. Top up from 10 euros in the app, online or in shops. Credit never expires as long as you use your number at least once every 6 months.

Bundles of data and minutes last 30 days.
""",
    "student-discount": """# Student and youth discount

Students and customers aged 18 to 25 get 20% off the monthly charge of the Plus and Unlimited plans. Verify your status in the app; we check again once a year.
""",
    "accessibility": """# Accessibility

Bills are available in large print and braille on request. Customers who are deaf or hard of hearing can contact us by text relay on 18001 150. Calls to the directory enquiries service are free for registered blind or partially sighted customers.
""",
    "contact": """# Contacting us

Chat with us in the app, every day from 8 am to 10 pm. Call 150 from your Parla phone, or 0800 150 150 from any other phone, Monday to Saturday from 9 am to 6 pm. Calls to customer service are free.
""",
}

QUESTIONS = [
    # plans (near-duplicates)
    Q("how much is the basic plan", "plan-basic", "12 euros", "near-duplicate", "short"),
    Q("How much data do I get with Plus?", "plan-plus", "30 GB", "near-duplicate"),
    Q("does leftover data carry over on the plus plan", "plan-plus", "10 GB", "near-duplicate", "paraphrase"),
    Q("does unused data roll over on basic", "plan-basic", "does not roll over", "near-duplicate"),
    Q("is unlimited really unlimited or do you slow me down", "plan-unlimited", "150 GB", "near-duplicate", "paraphrase"),
    Q("how many sims can I have on one family bill", "plan-family", "five", "near-duplicate", "paraphrase"),
    Q("price of an extra line on family", "plan-family", "15 euros", "near-duplicate", "short"),
    Q("unlimted plan price", "plan-unlimited", "35 euros", "near-duplicate", "typo", "short"),
    # roaming (near-duplicates)
    Q("Can I use my data in Spain without paying more?", "roaming-eu", "no extra cost", "near-duplicate", "paraphrase"),
    Q("what does it cost to use my phone in the USA", "roaming-world", "7 euros a day", "near-duplicate", "paraphrase"),
    Q(
        "I'm going to Thailand next month for three weeks, my husband says I need to buy something before I go or the data will cost a fortune, what do I actually need to do and how much is it",
        "roaming-world",
        "World Pass",
        "near-duplicate",
        "long",
    ),
    Q("is there a surcharge if I live abroad most of the year in france", "roaming-eu", "2 euros per GB", "near-duplicate"),
    Q("romaing charges europe", "roaming-eu", "no extra cost", "near-duplicate", "typo", "short"),
    # SIM and numbers
    Q("I changed phones and my esim qr code is gone", "esim-activate", "request a new code", "paraphrase"),
    Q("how do I set up an esim", "esim-activate", "Add eSIM", "short"),
    Q("how long does a sim card take to arrive", "physical-sim", "2 to 3 working days"),
    Q("replacement sim cost", "physical-sim", "5 euros", "short"),
    Q("I want to bring my old number over from my previous carrier", "port-in", "PAC code", "near-duplicate", "paraphrase"),
    Q("how long is a pac code valid", "port-in", "30 days", "near-duplicate", "short"),
    Q("I'm leaving, how do I get my transfer code to keep my number", "port-out", "65075", "near-duplicate", "paraphrase"),
    Q("is there a fee to move my number to a new provider", "port-out", "no fee", "near-duplicate"),
    # billing (deep)
    Q("why is my first bill so high", "bill-explained", "pro-rata", "deep", "paraphrase"),
    Q("there's a charge on my bill I don't recognise, how long do I have to dispute it", "bill-explained", "60 days", "deep"),
    Q("do I have to pay a disputed charge while you investigate", "bill-explained", "do not have to pay", "deep"),
    Q("are prices on the bill including vat", "bill-explained", "include VAT", "deep", "short"),
    Q("why do roaming charges show up a month late", "bill-explained", "in arrears", "deep", "paraphrase"),
    Q("is there a discount for paying by direct debit", "payment-methods", "1 euro"),
    Q("can I pay with paypal", "payment-methods", "PayPal", "short"),
    Q("what happens if my payment bounces", "late-payment", "3 days", "paraphrase"),
    Q("how much is the late fee", "late-payment", "8 euros", "short"),
    Q(
        "my payment didn't go through two weeks ago and now my data stopped working, can I still call 112? I'm worried because I'm alone with my kid",
        "late-payment",
        "emergency",
        "long",
    ),
    # data
    Q("I've run out of data, can I buy more", "data-add-on", "2 GB for 4 euros", "paraphrase"),
    Q("extra 10gb price", "data-add-on", "10 euros", "short"),
    Q("how can I see how much data I have left", "data-usage", "home screen"),
    Q("will you warn me before my data runs out", "data-usage", "80%", "paraphrase"),
    Q("can I tether my laptop", "hotspot", "included on every plan", "paraphrase", "short"),
    Q("is there a hotspot limit on unlimited", "hotspot", "50 GB"),
    Q("do I get 5g on the basic plan", "5g-coverage", "4G"),
    Q("which plans include 5g", "5g-coverage", "Plus, Unlimited or Family"),
    # network (deep)
    Q("my phone says no service", "no-signal", "airplane mode", "paraphrase", "short"),
    Q("do I get money back when the network has been down in my area for a week", "no-signal", "one week", "deep", "paraphrase"),
    Q("calls keep dropping in my basement flat, anything I can do", "no-signal", "Wi-Fi calling", "deep", "paraphrase"),
    Q("where can I see if there is an outage", "no-signal", "coverage map", "deep"),
    Q("how do I turn on wifi calling", "wifi-calling", "Wi-Fi calling", "short"),
    Q("does wifi calling cost extra", "wifi-calling", "no extra cost"),
    Q("what number do I call for voicemail", "voicemail", "1750"),
    Q("how long are voicemails kept", "voicemail", "30 days"),
    Q("voicemial pin", "voicemail", "four-digit PIN", "typo", "short"),
    # devices
    Q("someone stole my phone on the train", "lost-phone", "block your SIM", "paraphrase"),
    Q("will I be charged for calls the thief makes", "lost-phone", "not charged", "paraphrase"),
    Q("what's the excess on phone insurance for a cracked screen", "insurance", "50 euros"),
    Q("how many insurance claims can I make", "insurance", "two claims"),
    Q("when can I get a new phone", "upgrade", "paid off"),
    Q("how long until I get paid for my trade in", "trade-in", "10 working days"),
    Q("can I pay for my phone monthly", "device-plan", "24 or 36 months", "paraphrase"),
    Q("is there interest on a device plan", "device-plan", "0% interest"),
    # contracts (deep)
    Q("how much does it cost to leave before my 12 months are up", "contract-cancel", "early termination fee", "deep", "paraphrase"),
    Q("how much notice to cancel", "contract-cancel", "30 days", "short"),
    Q("if I cancel my sim do I still pay for the phone", "contract-cancel", "device instalments", "deep", "paraphrase"),
    Q("I just got my phone yesterday and I don't like it, can I send it back", "cooling-off", "14 days", "paraphrase"),
    Q("can I downgrade my plan", "change-plan", "next billing date", "paraphrase"),
    Q("if I upgrade to a bigger plan when does it start", "change-plan", "straight away"),
    # broadband (near-duplicates)
    Q("how fast is fibre 500", "broadband-plans", "500 Mbps", "near-duplicate", "short"),
    Q("is there a data cap on home internet", "broadband-plans", "no data limits", "paraphrase"),
    Q("do mobile customers get a broadband discount", "broadband-plans", "5 euros off"),
    Q("how long until an engineer comes to install broadband", "broadband-install", "10 working days"),
    Q("what if I miss the installation appointment", "broadband-install", "30 euros", "paraphrase"),
    Q("how do I factory reset the router", "router-reset", "15 seconds", "near-duplicate"),
    Q("where is the default wifi password", "router-reset", "sticker", "near-duplicate", "paraphrase"),
    Q("my internet is way slower than what I pay for, can I leave", "broadband-slow", "without a fee", "near-duplicate", "paraphrase"),
    Q("how should I test my broadband speed", "broadband-slow", "cable", "near-duplicate"),
    Q(
        "we're moving flat next month, what happens to our broadband and does it cost anything? we've been customers for about 2 years",
        "moving-home",
        "free",
        "long",
    ),
    Q("how much notice do you need when I move house", "moving-home", "2 weeks", "paraphrase"),
    # other
    Q("how do I turn off the content filter", "parental-controls", "age verification", "paraphrase"),
    Q("where do I forward a scam text", "spam-calls", "7726"),
    Q("how do I turn on 2fa", "account-security", "two-step verification", "paraphrase", "short"),
    Q("does pay as you go credit expire", "pay-as-you-go", "6 months", "paraphrase"),
    Q("minimum top up", "pay-as-you-go", "10 euros", "short"),
    Q("is there a student discount", "student-discount", "20%"),
    Q("can I get my bill in braille", "accessibility", "braille", "short"),
    Q("what are your opening hours for phone support", "contact", "9 am to 6 pm", "paraphrase"),
    Q("is it free to call customer servise", "contact", "Calls to customer service are free", "typo"),
    Q("how do I cancle my contract", "contract-cancel", "Cancel my plan", "typo"),
    Q(
        "hi, so I got a text saying I'd used 80 percent of my data and it's only the 12th, I don't want to upgrade my whole plan, is there a way to just get a bit more for this month?",
        "data-add-on",
        "2 GB for 4 euros",
        "long",
        "paraphrase",
    ),
    Q(
        "my daughter is 16 and getting her first phone on our account, I want to make sure she can't get to adult sites, is that something you do automatically or do I have to set it up",
        "parental-controls",
        "on by default",
        "long",
    ),
    Q(
        "hello I dropped my phone in the bath yesterday and it won't turn on, I pay for your insurance thing, how much will a claim cost me",
        "insurance",
        "50 euros",
        "long",
        "paraphrase",
    ),
    Q("wat is the hotspot limit", "hotspot", "50 GB", "typo", "short"),
    Q("how much is fibre 1000 per month", "broadband-plans", "40 euros", "near-duplicate"),
    Q("tranfer my numbr to parla", "port-in", "PAC code", "typo", "near-duplicate"),
    Q("isurance excess for theft", "insurance", "100 euros", "typo"),
    # unanswerable
    unanswerable("do you sell tablets with keyboards"),
    unanswerable("how do I cancel my gym membership"),
    unanswerable("can I get satellite TV with my broadband"),
    unanswerable("what is the weather going to be like tomorrow"),
    unanswerable("do you offer landline phones for businesses with 50 employees"),
    unanswerable("how do I unlock my car with the app"),
    unanswerable("what is your company's carbon footprint"),
    unanswerable("do you have a loyalty points scheme for long-time customers"),
    unanswerable("who is the CEO of parla"),
    unanswerable("do you have a shop in Berlin"),
    unanswerable("how do I recover deleted photos from my phone"),
]
