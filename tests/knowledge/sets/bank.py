"""Help centre of Larkspur Bank, a fictional online-only bank (held out: written for issue 22
and never tuned on)."""

from tests.knowledge.sets import Q, unanswerable

DOCUMENTS = {
    "plan-standard": """# Larkspur Standard

Standard is our free plan: no monthly fee. You get a contactless debit card, instant transfers in euros and up to 2 virtual cards. Withdraw up to 200 euros a month from ATMs outside the eurozone without a fee; above that we charge 2% of the amount. Exchange up to 1,000 euros a month into other currencies at the interbank rate, then 1% on top. A replacement card costs 7 euros.
""",
    "plan-plus": """# Larkspur Plus

Plus costs 3.99 euros a month. You get a contactless debit card, instant transfers in euros and up to 5 virtual cards. Withdraw up to 400 euros a month from ATMs outside the eurozone without a fee; above that we charge 2% of the amount. Exchange up to 3,000 euros a month into other currencies at the interbank rate, then 1% on top. Plus also includes purchase protection on items up to 1,000 euros for 90 days, and one free replacement card a year.
""",
    "plan-premium": """# Larkspur Premium

Premium costs 8.99 euros a month. You get a contactless debit card, instant transfers in euros and up to 10 virtual cards. Withdraw up to 800 euros a month from ATMs outside the eurozone without a fee; above that we charge 2% of the amount. Exchange any amount into other currencies at the interbank rate, with no monthly cap. Premium includes worldwide travel insurance for you and your partner, and a bonus rate of 0.5% on savings.
""",
    "plan-ultra": """# Larkspur Ultra

Ultra costs 15.99 euros a month. You get a steel debit card, instant transfers in euros and unlimited virtual cards. Withdraw up to 2,000 euros a month from ATMs outside the eurozone without a fee; above that we charge 2% of the amount. Exchange any amount into other currencies at the interbank rate, with no monthly cap. Ultra includes worldwide travel insurance for your whole family, insurance for your phone with up to 2 claims a year, and a bonus rate of 1% on savings.
""",
    "plan-switching": """# Changing your plan

Change your plan in the app under **Profile > Plan**. An upgrade starts at once, and we charge the new monthly fee from that day. A downgrade takes effect at the end of your current billing month.

Paid plans have a minimum term of 1 month. If you downgrade within 14 days of upgrading, we refund the fee in full. Annual billing is available for Premium and Ultra: you pay 10 months' price for 12 months.
""",
    "card-debit": """# Your debit card

Every Larkspur account comes with a physical Visa debit card, linked to your euro balance. Use it in shops, online and at ATMs, and tap to pay for amounts up to 50 euros without a PIN. The card is valid for 5 years; we send you a new one a month before it expires. You can have one physical debit card per account.
""",
    "card-virtual": """# Virtual cards

A virtual card is a Visa card that lives in the app only, linked to your euro balance. Use it online and in Apple Pay or Google Pay; it has no PIN, so it cannot be used at ATMs. Create one in **Cards > Add card** in seconds. A single-use virtual card changes its number after every payment, which keeps your details safe on websites you don't know.
""",
    "card-credit": """# Larkspur credit card

The Larkspur credit card is a Visa card with a credit limit of 500 to 10,000 euros, separate from your euro balance. Pay off the full balance by the due date and you pay no interest; otherwise the rate is 18.9% APR. Each month you must repay at least 3% of the balance or 25 euros, whichever is higher. It has no annual fee, and you can apply once you have been with us for 3 months.
""",
    "card-lost-stolen": """# Lost or stolen card

If you can't find your card, freeze it in **Cards > Freeze**: nobody can use it, and you can unfreeze it if it turns up. If you're sure it's gone, tap **Report lost or stolen** to cancel it for good and order a replacement, which arrives within 5 working days. Your virtual cards keep working. If you see payments you don't recognise, report them on the same screen.
""",
    "card-declined": """# Why was my card declined?

The most common reasons are that your balance is too low, the card is frozen, you entered the wrong PIN, or the shop is in a category you have blocked in **Cards > Security**. Online payments fail if the 3-D Secure check is not approved in the app within 5 minutes. Some merchants, such as car rental firms and hotels, hold a deposit larger than the bill and release it a few days later. If none of these apply, chat with us.
""",
    "card-pin": """# Your PIN

Your PIN is shown in the app under **Cards > Show PIN** after you confirm with your face, fingerprint or passcode. You can change it at any ATM in the eurozone with the option "PIN services". If you enter the wrong PIN 3 times in a row, the card's PIN is locked; unlock it in the app under **Cards > Unblock PIN**.
""",
    "card-limits": """# Card spending limits

By default you can spend up to 5,000 euros a day with your card and withdraw up to 600 euros a day from ATMs. You can lower these limits, or turn off online, contactless, magnetic-stripe or ATM use, in **Cards > Limits**. To raise the daily spending limit above 5,000 euros, up to 20,000 euros, ask us in chat; we may ask where the money comes from.
""",
    "transfers-domestic": """# Sending money in euros

Transfers in euros to any bank in the SEPA area are free. We send them as SEPA Instant, and they normally arrive within 10 seconds. If the receiving bank does not support instant payments, the transfer goes as a standard SEPA credit transfer and arrives by the next business day. Before the first payment to a new recipient, we check that the name matches the account.
""",
    "transfers-international": """# International transfers

You can send money in 30 currencies to more than 60 countries from **Payments > Send abroad**. We show the exchange rate, the fee and the arrival date before you confirm. The fee is 0.5% of the amount, at least 1.50 euros. Most transfers arrive within 1 to 3 business days; transfers to the US in dollars arrive the same day if you send them before 3 pm Irish time.
""",
    "currency-balances": """# Holding other currencies

You can hold money in 25 currencies alongside your euros, in **Accounts > Currencies**. Exchange between them in the app at any time, at the interbank rate up to your plan's monthly allowance. When you pay by card in a currency you hold, we take it from that balance without converting. You also get local account details in GBP, USD and CHF, so people in the UK, the US and Switzerland can pay you as they would pay someone at home.
""",
    "standing-orders": """# Standing orders and scheduled payments

A standing order sends a fixed amount to the same account on a regular date, for example your rent on the 1st of each month. Set one up in **Payments > Scheduled**, choosing weekly, monthly or yearly. Payments go out early in the morning of the chosen day; if there isn't enough money, we try again at 2 pm and then skip the payment. You can edit or cancel a standing order until 11 pm the day before.
""",
    "transfer-wrong-recipient": """# Sent money to the wrong account

Instant transfers cannot be stopped once they have been sent, so check the name and IBAN before you confirm. If you have made a mistake, tell us straight away in chat, with the date and amount of the payment.

We contact the receiving bank and ask them to return the money. Most banks reply within 10 business days, but we cannot force them or the recipient to pay it back.

If the recipient does not agree to return the money, we give you the information the receiving bank shares with us, so that you can claim it back yourself, for example through the small claims procedure.

A scheduled transfer that has not gone out yet can still be cancelled in **Payments > Scheduled**.
""",
    "direct-debits": """# Direct debits

Companies such as your energy supplier or gym can collect payments from your account by SEPA direct debit, using your IBAN and a mandate you sign with them. You see every active mandate in **Payments > Direct debits**, and can cancel one there. If a direct debit was taken without your permission, you can ask for a refund within 13 months; for one you authorised, you can ask within 8 weeks of the payment, no questions asked.
""",
    "cheques": """# Cheques

Larkspur does not support cheques. We cannot issue a chequebook, and you cannot pay in a cheque made out to you. Ask the person paying you to send a bank transfer to your IBAN instead. If you need a guaranteed payment, for example when buying a house, we can send a same-day high-value transfer.
""",
    "adding-money": """# Adding money to your account

The quickest way to add money is a bank transfer from another account to your Larkspur IBAN, which you'll find in **Account > Details**; transfers in euros arrive in seconds. You can also top up with a debit card from another bank in **Home > Add money**: up to 3 top-ups a month are free, then we charge 0.3%. To have your salary paid straight into your account, give your employer your IBAN and our BIC, LARKIE2D.
""",
    "atm-withdrawals": """# Taking out cash

You can use your debit card at any ATM that shows the Visa sign. Withdrawals in the eurozone are free on every plan. Outside the eurozone, each plan has a monthly fee-free allowance; above it we charge 2%. The ATM owner may add its own fee, which the machine shows before you confirm; we cannot refund it. Always choose to be charged in the local currency.
""",
    "spending-abroad": """# Using your card abroad

Your Larkspur card works in more than 200 countries, and you don't need to tell us before you travel. When you pay in another currency, we convert at the interbank rate, up to your plan's monthly exchange allowance.

If a shop or ATM asks whether you want to pay in euros or in the local currency, always choose the local currency. If you choose euros, the shop does the conversion at its own rate, which is often 5% to 8% worse.

From Friday 11 pm to Sunday midnight, Irish time, currency markets are closed, so we add 0.5% to the rate to cover price changes over the weekend. This does not apply to Ultra.

Keep a second card or another way to pay with you, in case yours is lost while you are away.
""",
    "mobile-wallets": """# Apple Pay and Google Pay

Add your Larkspur debit or virtual card to Apple Pay or Google Pay from the card's screen in the app, in one tap. Payments with your phone or watch have no contactless limit set by us, because you confirm each one with your face, fingerprint or passcode. Smartwatches from Garmin and Fitbit are supported too. Samsung Pay is not supported.
""",
    "savings-easy-access": """# Easy Access Savings

Easy Access Savings pays 2.1% AER on your balance, with interest calculated every day and paid on the first day of each month. Add or withdraw money at any time, as often as you like, and it moves to your current account instantly. You can save up to 250,000 euros. Premium and Ultra customers earn a bonus rate on top.
""",
    "savings-fixed-term": """# Fixed Term Savings

Fixed Term Savings pays 3.2% AER for 12 months or 3.5% AER for 24 months, fixed for the whole term. Put in between 1,000 and 250,000 euros in one go within 14 days of opening; you cannot add money later. You cannot withdraw early, except in hardship, and interest is paid at the end of the term. If you do nothing, the money moves to Easy Access Savings when the term ends.
""",
    "savings-pots": """# Savings pots and round-ups

Pots let you set money aside inside your current account, for a holiday or a new phone. You can create up to 20 pots, each with its own goal and picture. Turn on round-ups and we round each card payment up to the next euro and move the difference into a pot. Pots pay no interest; move the money to Easy Access Savings to earn it.
""",
    "deposit-protection": """# Is my money safe?

Larkspur Bank is a licensed bank regulated by the Central Bank of Ireland. Your deposits, including savings, are protected by the Deposit Guarantee Scheme up to 100,000 euros per person. Money in a joint account is protected up to 100,000 euros for each account holder. Your money is held by Larkspur itself, not by a partner bank.
""",
    "loans-personal": """# Personal loans

Borrow from 1,000 to 50,000 euros over 1 to 7 years, for a car, home improvements or anything else except business or gambling. Check your rate in the app in 2 minutes; checking does not affect your credit score.

Our rates start at 6.4% APR for loans over 15,000 euros. The rate you get depends on your circumstances and is fixed for the whole loan. There is no arrangement fee.

If we approve your loan, the money arrives in your current account within minutes of signing. You can change your monthly payment date once a year.

You have 14 days after signing to withdraw from the loan: you repay what you borrowed plus interest for the days you had it, and nothing else.
""",
    "loans-early-repayment": """# Paying off a loan early

You can repay part or all of your loan early at any time in **Loans > Repay**. We show you the amount needed to settle the loan, valid for 28 days. There is no early repayment charge on loans up to 10,000 euros; above that, we may charge up to 1% of the amount repaid early. Overpaying lowers your monthly payment, unless you choose to shorten the term instead.
""",
    "overdraft": """# Arranged overdraft

An arranged overdraft lets your balance go below zero, up to a limit we agree with you, from 100 to 2,500 euros. Apply in **Account > Overdraft**; we check your credit file and income.

Interest is 14.9% EAR on the amount you use, calculated daily and taken from your account at the start of the following month. The first 50 euros of overdraft are interest-free on Plus, Premium and Ultra.

If a payment would take you past your limit, we usually decline it, and we never charge a fee for that. You can lower your limit or remove the overdraft whenever you like, once your balance is back above zero.
""",
    "financial-difficulty": """# If you are struggling with payments

If you think you may miss a loan, credit card or overdraft payment, talk to us as early as you can. We can agree a payment break of up to 3 months, lower payments for a while, or a plan to clear arrears. We never charge a late payment fee. A missed payment is reported to the Central Credit Register after 30 days, so contact us before then. Free, independent advice is also available from a money advice service.
""",
    "account-opening": """# Opening an account

You can open a Larkspur account in the app in about 10 minutes. You need to be 18 or over, live in Ireland, Spain, Germany or the Netherlands, and have a smartphone with iOS 16 or Android 10 or newer. Have your passport or national ID card ready; we ask for a selfie video to confirm that it's you. Most accounts are ready the same day, and your card arrives within 5 working days.
""",
    "identity-verification": """# Verifying your identity

By law we must confirm who you are before you can use your account. In the app, photograph your passport, national ID card or residence permit, then record a short selfie video. Driving licences are not accepted.

Most checks are done automatically within minutes. If we need to look more closely, a member of our team reviews your documents within 2 working days.

We may also ask you to prove your address, with a utility bill or a bank statement from the last 3 months in your name. From time to time, we ask existing customers to update their documents; if you do not respond within 30 days, we may restrict your account.
""",
    "account-joint": """# Joint accounts

A joint account is shared by two people, who each have their own card and full access in their own app. Both must already have a personal Larkspur account; one of you invites the other in **Accounts > Add joint account**.

Either of you can spend, send money or set up direct debits without the other's approval. Both of you are responsible for the whole balance, including any overdraft.

To close a joint account, both holders must agree in the app, and the balance must be zero. If you separate and cannot agree, chat with us: we can freeze the account so that every payment out needs both of you.
""",
    "account-business": """# Business accounts

Larkspur Business is for sole traders and limited companies registered in Ireland, with up to 50 employees. Apply in the app in about 15 minutes; we need your company registration number and the ID of every director and of every owner of 25% or more.

The Business Starter plan is free, with 50 free transfers a month and then 0.20 euros each. Business Grow costs 19 euros a month and includes 500 transfers, expense cards for your team and a connection to accounting software such as Xero and QuickBooks.

You can accept card payments from your customers with a payment link, for 1.4% plus 0.20 euros per payment.

Charities, trusts and companies dealing in crypto-assets cannot open a business account.
""",
    "account-young": """# Larkspur Young for 11 to 17 year olds

A parent or guardian with a Larkspur account can open Larkspur Young for a child aged 11 to 17 in **Family > Add child**. The child gets their own card and app, and the parent can see every payment, set weekly pocket money and lock the card. There is no monthly fee. Gambling, alcohol and adult websites are blocked. When the child turns 18, the account moves to the Standard plan.
""",
    "account-closing": """# Closing your account

You can close your account at any time in **Profile > Close account**. Before you do, move your money out, pay off any overdraft, credit card or loan, and cancel any paid plan.

Close your savings pots and savings accounts first. Fixed Term Savings can't be closed until the end of the term.

Direct debits and standing orders stop when the account closes, so give the companies you pay your new bank details.

After closing, you can still download your statements for 6 years from our website, by logging in with your email address. If you want to come back, you can open a new account after 30 days.
""",
    "personal-details": """# Changing your name, address or phone number

Update your address and email in **Profile > Personal details**; we may ask for proof of your new address. To change your name, for example after marriage, send us a photo of your marriage certificate or deed poll together with your ID in chat; we update it within 2 working days and send you a new card in your new name. To change your phone number, you must still be logged in on your old phone; if you have lost it, chat with us.
""",
    "statements": """# Statements

Download a statement for any period in **Account > Statements**, as a PDF or CSV file. PDF statements show the Larkspur logo and your IBAN and are accepted as an official bank statement, for example by landlords. We also send you a free annual statement of fees each January. Paper statements are not available.
""",
    "fraud-reimbursement": """# Fraud reimbursement

If someone used your card or account without your permission, we refund the money by the end of the next business day after you report it, unless we have good reason to suspect fraud by you.

If you were tricked into making a payment yourself, for example by someone pretending to be from Larkspur, the police or a company you know, report it in the app under **Help > Report a scam** as soon as you can. We look at each case individually and aim to give you a decision within 15 business days.

We may not refund you if you ignored a clear warning we showed before the payment, or if you acted with gross negligence, such as reading out a code from an SMS to someone who phoned you.

You may need to give us a crime reference number from the police.
""",
    "scams": """# Spotting scams

Larkspur will never call you and ask you to move money to a "safe account", to tell us a code we sent you, or to install software on your phone. If someone calls claiming to be from Larkspur, hang up and chat with us in the app. You can check whether a call is real with the **Incoming call check** in **Help**, which shows whether one of our staff is calling you. Be wary of investment offers promising high returns, and of sellers who only accept bank transfers.
""",
    "card-payment-disputes": """# Disputing a card payment

If you paid by card for something that never arrived or was not as described, or a subscription you cancelled keeps charging you, contact the merchant first. If they do not help, open a dispute in the app from the payment's screen with **Report a problem**.

You must dispute within 120 days of the payment. We may ask for evidence, such as emails with the seller or proof that you sent the item back.

We raise a chargeback with Visa on your behalf. The merchant has up to 45 days to respond, and the whole process can take up to 90 days. In some cases we give you a temporary refund while we investigate.

Payments made by bank transfer cannot be disputed this way.
""",
    "app-login": """# Logging in to the app

You log in to the Larkspur app with a 6-digit passcode or with your face or fingerprint. Your account can be open on only one phone at a time, plus the web app on a computer.

If you forget your passcode, tap **Forgot passcode** on the login screen and confirm with a code we send by SMS and a selfie.

On a new phone, install the app and log in with your phone number; we ask for a selfie to confirm it is you, and your old phone is logged out automatically. If you still have your old phone, approving the login there is quicker.

After 5 wrong passcodes, the app locks for 1 hour. To use the web app at web.larkspur.example, scan its QR code with the app on your phone.
""",
    "contact-us": """# Contacting us and making a complaint

The fastest way to reach us is the chat in the app, open 24 hours a day, every day. You can also phone us on +353 1 555 0199 from 8 am to 8 pm, Monday to Saturday. If your card is lost or stolen, freeze it in the app first; you don't need to call.

We don't have branches, so we can't help you in person.

If you're unhappy with our service, tell us in chat and choose **Make a complaint**. We acknowledge it within 5 business days and send a final response within 35 business days. If you're still unhappy, you can take it to the Financial Services and Pensions Ombudsman, free of charge.
""",
    "bereavement": """# When someone has died

We are sorry for your loss. To tell us that a Larkspur customer has died, fill in the bereavement form on our website or chat with us; you don't need a Larkspur account yourself. We freeze the person's accounts, cancel their cards, and stop all direct debits and standing orders except payments for the funeral. Once we have the death certificate and the grant of probate, we pay the balance to the executor, usually within 10 business days. Joint accounts pass to the surviving holder.
""",
}

QUESTIONS = [
    # plans (near-duplicates)
    Q("is there an account I don't have to pay for every month", "plan-standard", "no monthly fee", "near-duplicate", "paraphrase"),
    Q(
        "on the plan that doesn't cost anything, how much can I get out of cash machines in the US before you charge me",
        "plan-standard",
        "200 euros",
        "near-duplicate",
        "paraphrase",
    ),
    Q("plus monthly price", "plan-plus", "3.99 euros", "near-duplicate", "short"),
    Q("on Plus am I covered if something I bought gets broken", "plan-plus", "purchase protection", "near-duplicate", "paraphrase"),
    Q("does premium include insurance for trips abroad", "plan-premium", "worldwide travel insurance", "near-duplicate"),
    Q("is there a cap on currency exchange with premium", "plan-premium", "no monthly cap", "near-duplicate"),
    Q("what's your priciest option and what does it cost", "plan-ultra", "15.99 euros", "near-duplicate", "paraphrase"),
    Q("which one comes with a metal card", "plan-ultra", "steel debit card", "near-duplicate", "paraphrase"),
    Q("how much can I withdraw abroad for free on ultra", "plan-ultra", "2,000 euros", "near-duplicate"),
    Q("if I move down to a cheaper tier when does it kick in", "plan-switching", "end of your current billing month", "paraphrase"),
    Q("can I pay yearly instead", "plan-switching", "10 months' price", "paraphrase"),
    # cards (near-duplicates)
    Q("up to what amount can I pay contactless without a code", "card-debit", "50 euros", "near-duplicate", "paraphrase"),
    Q("card expiry date", "card-debit", "5 years", "near-duplicate", "short"),
    Q("can I take money out of an ATM with my virtual card", "card-virtual", "cannot be used at ATMs", "near-duplicate"),
    Q(
        "is there a throwaway card number for one-off shopping on sites I don't trust",
        "card-virtual",
        "single-use virtual card",
        "near-duplicate",
        "paraphrase",
    ),
    Q("what's the APR on the credit card", "card-credit", "18.9%", "near-duplicate"),
    Q(
        "what is the least I have to pay back each month on the credit card",
        "card-credit",
        "3% of the balance",
        "near-duplicate",
        "paraphrase",
    ),
    Q("credit crad limit", "card-credit", "500 to 10,000 euros", "typo", "short", "near-duplicate"),
    Q(
        "I think I left my card at a restaurant last night, can I stop anyone using it until I check",
        "card-lost-stolen",
        "freeze it",
        "paraphrase",
    ),
    Q("why did my payment not go through at the supermarket", "card-declined", "balance is too low", "paraphrase"),
    Q("the hotel took more money than the room cost", "card-declined", "hold a deposit", "paraphrase"),
    Q("forgot my pin", "card-pin", "Show PIN", "short"),
    Q("I typed the wrong code three times at the machine and now it's blocked", "card-pin", "Unblock PIN", "paraphrase"),
    Q("biggest amount I can pay with the card per day", "card-limits", "5,000 euros", "paraphrase"),
    Q("daily atm withdrawl limit", "card-limits", "600 euros", "typo", "short"),
    # payments (near-duplicates: transfers, currencies, standing orders)
    Q(
        "how quickly does money reach a friend's account at another bank in Spain",
        "transfers-domestic",
        "10 seconds",
        "near-duplicate",
        "paraphrase",
    ),
    Q("why does it say the name doesn't match when I pay someone new", "transfers-domestic", "name matches the account", "near-duplicate"),
    Q(
        "what do you charge to wire money to another country",
        "transfers-international",
        "0.5% of the amount",
        "near-duplicate",
        "paraphrase",
    ),
    Q("how long for a dollar transfer to the US", "transfers-international", "the same day", "near-duplicate"),
    Q("internatinal transfer fee minimum", "transfers-international", "1.50 euros", "typo", "short", "near-duplicate"),
    Q("can I keep pounds and dollars in my account", "currency-balances", "25 currencies", "near-duplicate", "paraphrase"),
    Q(
        "how do I pay my landlord automatically on the first of every month",
        "standing-orders",
        "standing order",
        "near-duplicate",
        "paraphrase",
    ),
    Q("my account was empty when my repeating payment was supposed to go out", "standing-orders", "2 pm", "near-duplicate", "paraphrase"),
    Q("oops, my money went to a stranger instead of my brother", "transfer-wrong-recipient", "tell us straight away", "paraphrase"),
    Q(
        "I sent 400 euros to my landlord but typed one digit of his IBAN wrong. The money is gone and he says he never got it, "
        "my old bank would just have reversed it. How long until I hear anything back?",
        "transfer-wrong-recipient",
        "10 business days",
        "long",
        "deep",
    ),
    Q("the person who got my money by accident refuses to give it back", "transfer-wrong-recipient", "small claims", "deep", "paraphrase"),
    Q("how do I stop my gym taking money from my account", "direct-debits", "cancel one there", "paraphrase"),
    Q("a company took a direct debit I never agreed to, can I get it back", "direct-debits", "13 months"),
    Q("pay in cheque", "cheques", "does not support cheques", "short"),
    Q(
        "my grandma still does everything on paper and gave me a cheque for my birthday, it's only 50 euros but she'll be "
        "upset if I don't use it. How do I get it into my larkspur account?",
        "cheques",
        "bank transfer",
        "long",
    ),
    Q("where do I find my IBAN", "adding-money", "Account > Details"),
    Q("what is the BIC", "adding-money", "LARKIE2D", "short"),
    Q("does it cost anything to get cash from a machine in Spain", "atm-withdrawals", "free on every plan", "paraphrase"),
    Q(
        "the machine in Thailand took an extra 5 euros for its owner, will you pay me that back",
        "atm-withdrawals",
        "cannot refund it",
        "paraphrase",
    ),
    Q("should I let you know before a trip to Japan", "spending-abroad", "don't need to tell us", "paraphrase"),
    Q(
        "the card machine in a restaurant in Prague asked me to pick euros or koruna, which is better",
        "spending-abroad",
        "local currency",
        "paraphrase",
        "deep",
    ),
    Q("does the weekend markup apply on ultra", "spending-abroad", "does not apply to Ultra", "deep"),
    Q("pay with my phone", "mobile-wallets", "Apple Pay", "short"),
    # savings (near-duplicates)
    Q("what rate do you give on money I can pull out whenever I like", "savings-easy-access", "2.1% AER", "near-duplicate", "paraphrase"),
    Q("when is the savings interest paid", "savings-easy-access", "first day of each month", "near-duplicate"),
    Q("best rate if I lock my money away for two years", "savings-fixed-term", "3.5% AER", "near-duplicate", "paraphrase"),
    Q("can I top up my fixed saver later", "savings-fixed-term", "cannot add money later", "near-duplicate"),
    Q("round ups", "savings-pots", "next euro", "short", "near-duplicate"),
    Q("do pots earn interest", "savings-pots", "Pots pay no interest", "near-duplicate"),
    Q("what happens to my money if larkspur goes bust", "deposit-protection", "100,000 euros", "paraphrase"),
    # loans and overdraft
    Q("max loan amount", "loans-personal", "50,000 euros", "short"),
    Q("will looking at my loan rate hurt my credit rating", "loans-personal", "does not affect your credit score", "paraphrase"),
    Q("I took out a loan yesterday and now regret it, can I back out", "loans-personal", "14 days", "deep", "paraphrase"),
    Q("is there a penalty for clearing what I owe before the end", "loans-early-repayment", "no early repayment charge", "paraphrase"),
    Q("going into minus", "overdraft", "100 to 2,500 euros", "short", "paraphrase"),
    Q("how much interest do you charge when I'm overdrawn", "overdraft", "14.9% EAR", "deep"),
    Q("is there a free buffer below zero for plus customers", "overdraft", "first 50 euros", "deep", "paraphrase"),
    Q(
        "I was made redundant last month and my next loan instalment is due on friday. I don't think I'll have enough, "
        "I have two kids and rent to pay as well. What can I do?",
        "financial-difficulty",
        "payment break",
        "long",
        "paraphrase",
    ),
    # accounts
    Q("what do I need to sign up", "account-opening", "passport or national ID card", "paraphrase"),
    Q("can I join if I live in Portugal", "account-opening", "Ireland, Spain, Germany or the Netherlands", "paraphrase"),
    Q("can I use my driving licence as ID", "identity-verification", "Driving licences are not accepted"),
    Q("my ID check has been pending for a day", "identity-verification", "2 working days", "deep", "paraphrase"),
    Q("can my girlfriend and I have one account together", "account-joint", "two people", "paraphrase"),
    Q(
        "we're splitting up and I'm worried my ex will empty the account we have together. We can't agree on anything at "
        "the moment, is there something you can do?",
        "account-joint",
        "freeze the account",
        "long",
        "deep",
        "paraphrase",
    ),
    Q("I run my own shop, can I get an account for it", "account-business", "sole traders", "paraphrase"),
    Q("fee for taking card payments from customers on a business account", "account-business", "1.4% plus 0.20 euros", "deep"),
    Q("can a charity open an account", "account-business", "Charities", "deep"),
    Q("can my 13 year old have a card", "account-young", "11 to 17", "paraphrase"),
    Q("close my acount", "account-closing", "Close account", "short", "typo"),
    Q("will I still be able to get old statements after I leave larkspur", "account-closing", "6 years", "deep", "paraphrase"),
    Q("I got married and my surname is different now", "personal-details", "marriage certificate", "paraphrase"),
    Q("my landlord wants proof of my bank account, can I get an official statement", "statements", "official bank statement"),
    Q("statemnt csv", "statements", "CSV", "typo", "short"),
    # security and fraud
    Q("can I get my money back if I was scammed", "fraud-reimbursement", "Report a scam", "paraphrase"),
    Q(
        "there are purchases on my card that weren't me, when does the money come back",
        "fraud-reimbursement",
        "next business day",
        "paraphrase",
    ),
    Q(
        "A man phoned saying he was from the bank and I read him the code from my text message, then 2000 euros left my "
        "account. I've been a customer for years and I'm really upset. Will you refund me or not?",
        "fraud-reimbursement",
        "gross negligence",
        "long",
        "deep",
    ),
    Q(
        "a guy on the phone says my savings are in danger and I should transfer them somewhere secure",
        "scams",
        "safe account",
        "paraphrase",
    ),
    Q("I ordered shoes online and they never came and the shop ignores me", "card-payment-disputes", "Report a problem", "paraphrase"),
    Q("how long do I have to dispute a card payment", "card-payment-disputes", "120 days"),
    # app, contact and bereavement
    Q("forgot my passcode", "app-login", "Forgot passcode", "short"),
    Q("I got a new iphone, how do I move everything over", "app-login", "log in with your phone number", "paraphrase", "deep"),
    Q("shut out after too many tries", "app-login", "1 hour", "deep", "paraphrase"),
    Q("phone number", "contact-us", "+353 1 555 0199", "short"),
    Q(
        "who can I go to if I'm not happy with your final answer to my complaint",
        "contact-us",
        "Ombudsman",
        "deep",
        "paraphrase",
    ),
    Q("my father passed away and had an account with you, what do I do", "bereavement", "bereavement form", "paraphrase"),
    # nothing in the set answers these
    unanswerable("can I deposit cash at a post office"),
    unanswerable("do you offer mortgages"),
    unanswerable("can I buy bitcoin in the app"),
    unanswerable("can I invest in stocks and shares with Larkspur"),
    unanswerable("is there a special account for university students"),
    unanswerable("how do I make a claim on the travel insurance that comes with Premium"),
    unanswerable("do I get a bonus for referring a friend"),
    unanswerable("can I choose a different colour for my card"),
    unanswerable("does the credit card give cashback on purchases"),
    unanswerable("do you rent out safe deposit boxes"),
    unanswerable("can I connect my account to a budgeting app like YNAB"),
    unanswerable("do you offer home insurance"),
]
