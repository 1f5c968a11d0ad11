"""Help centre of Hollybrook Veterinary Clinic, a fictional chain of veterinary clinics with an
online pharmacy and a pet insurance partner (held out: written for issue 22 and never tuned on)."""

from tests.knowledge.sets import Q, unanswerable

DOCUMENTS = {
    "appointments-booking": """# Booking an appointment

Book online at hollybrookvets.co.uk, in the Hollybrook app, or by phoning your branch. Standard consultations last 15 minutes; if you have two pets to be seen, or more than one problem to discuss, book a double appointment of 30 minutes.

We keep same-day appointments free every morning for pets that are unwell, so call as soon as your branch opens. A routine consultation costs £48 for registered pets.
""",
    "appointments-cancel": """# Cancelling or moving an appointment

You can cancel or move an appointment in the app or by phone up to 24 hours before it starts, free of charge. If you cancel later than that, or do not come at all, we charge a missed appointment fee of £20.

Operations cancelled with less than 48 hours' notice may lose their deposit, because the theatre time has been set aside for your pet.
""",
    "video-consultations": """# Video consultations

For problems that do not need a physical examination, such as a skin rash, a mild upset stomach or questions about behaviour, you can talk to one of our vets by video call. Book a video consultation in the Hollybrook app; it lasts 10 minutes and costs £30. It is included free on the Plus and Complete health plans.

Our vets can prescribe some medicines after a video call, but only for pets they have examined in person within the last 12 months.
""",
    "out-of-hours": """# Out-of-hours emergencies

Outside our opening hours, emergencies are seen by our partner, NightPaws Emergency Vets, at 14 Carver Street, next to the Riverside branch. They are open every night from 7 pm to 8 am, and all day at weekends and on bank holidays.

Always phone first on 0161 555 0199, so the team can tell you whether to come in and get ready for your arrival. If your pet has eaten something poisonous, such as chocolate, grapes, raisins, lilies or rat poison, bring the packaging with you.

An out-of-hours consultation costs £180, plus any treatment. This fee is not covered by the health plans, but most insurance policies cover it.

NightPaws sends a full report to your Hollybrook branch the next morning, so your own vet can continue the care.
""",
    "emergency-signs": """# When is it an emergency?

Call us straight away, or the out-of-hours service at night, if your pet has difficulty breathing, collapses, has a seizure lasting more than 5 minutes, is bleeding heavily, or has been hit by a car.

A dog with a swollen, hard belly who is retching without bringing anything up may have a twisted stomach, which is life-threatening: come in at once. A male cat straining in the litter tray without passing urine also needs to be seen the same day.

Vomiting or diarrhoea lasting more than 24 hours, or in a very young puppy or kitten, should be checked by a vet within the day. Keep offering water in small amounts.
""",
    "vaccinations-dogs": """# Vaccinations for dogs

Puppies have their first vaccination at 8 weeks and the second at 10 weeks. They can go out for walks one week after the second injection. Adult dogs need a booster every year: leptospirosis every year, and distemper, hepatitis and parvovirus every 3 years, which we give at the yearly check.

The kennel cough vaccine is given as drops up the nose and protects for 12 months. Most boarding kennels ask for it. A dog vaccination costs £62.
""",
    "vaccinations-cats": """# Vaccinations for cats

Kittens have their first vaccination at 9 weeks and the second at 12 weeks, and can go outside one week after the second. Adult cats need a booster every year against cat flu and enteritis. Cats that go outside are also vaccinated against feline leukaemia (FeLV).

Indoor cats still need their booster, as cat flu can be brought home on clothes and shoes. A cat vaccination costs £58.
""",
    "vaccinations-rabbits": """# Vaccinations for rabbits

Rabbits are vaccinated against myxomatosis and both strains of rabbit viral haemorrhagic disease (RVHD1 and RVHD2) with one combined injection every year. Baby rabbits can have it from 5 weeks old.

Indoor rabbits need it too, because the diseases are spread by flies and fleas. A rabbit vaccination costs £55.
""",
    "neutering-dogs": """# Neutering your dog

We usually neuter male dogs from 6 months old. For bitches we recommend spaying 3 months after their first season, or before the first season in small breeds. Large and giant breeds may do better when neutered later, at 12 to 18 months; your vet will advise.

Castration costs from £240 and spaying from £380, depending on weight. Keyhole (laparoscopic) spaying is available at the Northgate branch for an extra £150.
""",
    "neutering-cats": """# Neutering your cat

Cats can be neutered from 4 months old, before they are old enough to have kittens. Castrating a tom cat costs £95 and spaying a queen costs £130. Both are done as day cases: your cat comes in in the morning and goes home the same afternoon.

Neutering stops spraying, roaming and fighting in most male cats.
""",
    "aftercare-at-home": """# After an operation: caring for your pet at home

Your pet may be sleepy for the evening after the anaesthetic. Offer a small meal, about half the usual amount, on the first evening, and normal meals from the next day.

Keep the wound clean and dry and check it twice a day. Some redness is normal, but call us if it is swollen, hot or leaking. Your pet must not lick or chew the wound: use the cone (buster collar) or the recovery suit we give you, even if it seems unhappy about it.

Dogs should have lead walks only, for 10 minutes at a time, until the wound check. Don't bathe your pet or let it swim.

We see your pet again for a free wound check after 3 days. Most stitches dissolve by themselves, so there is nothing to remove; if your pet has non-dissolving stitches, they are taken out after 10 days.
""",
    "dental-checks": """# Dental checks

By the age of 3, most dogs and cats show some signs of dental disease. Bad breath, red gums, dropping food or chewing on one side are common signs. A free dental check with a nurse is available at every branch and takes 15 minutes.

Brushing your pet's teeth every day is the best way to prevent problems. Use a pet toothpaste, never a human one, as it can contain xylitol, which is toxic to dogs.
""",
    "dental-treatment": """# Dental treatment under anaesthetic

When your pet needs a scale and polish or extractions, the treatment is done under general anaesthetic, as a day case. We first take dental X-rays to see the roots, since most dental disease is hidden below the gum line.

A scale and polish costs £320, including the anaesthetic and X-rays. Each extraction adds between £25 and £90, depending on the size of the tooth. We phone you during the procedure if we find more teeth to remove than expected, so keep your phone with you.

Afterwards, feed soft food for 5 days, and come back for a free check after 2 weeks. Pets on the Complete health plan get 20% off dental treatment.
""",
    "repeat-prescriptions": """# Repeat prescriptions

Order repeat medication in the Hollybrook app or on the website, and collect it from your branch after 2 working days. Please don't order by phone, so that our lines stay free for unwell pets.

By law a vet must examine your pet before prescribing, so pets on long-term medication need a medication check at least every 6 months. If the check is overdue, the app will ask you to book one before the repeat can be issued. There is no charge for the repeat itself, only for the medicine.
""",
    "written-prescriptions": """# Written prescriptions

You can buy your pet's medicine from any pharmacy, including online pharmacies, if you have a written prescription from us. A written prescription costs £18 and lasts up to 6 months, or less for some medicines. Controlled drugs need a new prescription every 28 days.
""",
    "online-pharmacy": """# Hollybrook online pharmacy

Our online pharmacy delivers flea and worm treatments, prescription diets and medication to your door. Orders placed before 2 pm on a working day are sent the same day, and delivery is free on orders over £35; otherwise it costs £3.95.

Prescription medicines are only sent once your vet has approved the order, which can take up to 2 working days. You can set up an automatic repeat delivery every 1, 2 or 3 months and cancel it at any time.
""",
    "health-plan-essential": """# Health plan: Essential

The Essential plan costs £14.50 a month for a cat and £17.50 a month for a dog. Rabbits can join Essential for £11 a month. It includes the yearly booster vaccination, flea and worm treatment for the whole year, and one health check with a vet each year.

Members also get 10% off consultations and medicines at every Hollybrook branch. The plan is paid by direct debit and runs for 12 months.
""",
    "health-plan-plus": """# Health plan: Plus

The Plus plan costs £19.50 a month for a cat and £23.50 a month for a dog. It includes everything in Essential, plus two health checks with a vet each year, unlimited video consultations and a yearly urine test.

Members also get 15% off consultations and medicines at every Hollybrook branch. The plan is paid by direct debit and runs for 12 months.
""",
    "health-plan-complete": """# Health plan: Complete

The Complete plan costs £29.50 a month for a cat and £34.50 a month for a dog. It includes everything in Plus, a yearly blood test, the kennel cough vaccine for dogs and 20% off dental treatment. Complete is the plan we recommend for pets over 8 years old.

Members also get 20% off consultations and medicines at every Hollybrook branch. The plan is paid by direct debit and runs for 12 months.
""",
    "health-plan-changes": """# Changing or cancelling your health plan

You can move up to a higher plan at any time; the new price starts from your next monthly payment. Moving down to a lower plan is possible only at the yearly renewal.

If you cancel in the first 12 months, we charge the difference between what you have paid and the full price of the treatments you have already received. After the first year, you can cancel with one month's notice.

If your pet dies, the plan ends straight away and nothing more is owed.
""",
    "payment-methods": """# Paying for treatment

Payment is due at the end of each visit. We accept debit and credit cards, Apple Pay and Google Pay, and cash at all branches except Eastwick, which is card-only. We do not accept cheques.

For treatment costing more than £500 we can spread the cost over 6 or 12 months through our finance partner, Pawpay, subject to a credit check. Ask at reception before the treatment starts. For planned operations we ask for a deposit of 50% of the estimate when you book.
""",
    "insurance-partner": """# Hollybrook Pet Cover

Hollybrook Pet Cover is pet insurance from our partner Lindqvist Mutual. Lifetime policies cover up to £7,000 of vet fees a year, every year, for as long as the policy is renewed. The excess is £99 per condition, and for pets over 9 years old you also pay 20% of each claim.

New customers get the first 4 weeks of cover free when they register a puppy or kitten with us. Cover for illness starts 14 days after the policy begins; accidents are covered from day one.
""",
    "insurance-claims": """# Insurance claims

We can claim directly from most insurers, including Hollybrook Pet Cover, so you pay only the excess and anything not covered. Ask for a direct claim at reception before treatment starts; for treatment costing more than £300 we need your insurer's approval first.

If your insurer does not accept direct claims, you pay us in full and claim the money back yourself. Send us the claim form through the app, and we fill in the vet's part and attach the clinical history.

We charge £25 for completing a claim form, and there is no charge for direct claims with Hollybrook Pet Cover. Claim forms are usually returned within 5 working days.

Remember that most insurers do not cover routine care such as vaccinations, neutering or flea treatment, and that you must usually claim within 90 days of the treatment.
""",
    "pet-travel": """# Travelling abroad with your pet

To take a dog, cat or ferret from Great Britain to the EU or Northern Ireland, your pet needs an Animal Health Certificate (AHC) from an official vet. Pet passports issued in Great Britain are no longer valid for travel to the EU.

Your pet must be microchipped and then vaccinated against rabies at least 21 days before travel. The microchip must always come first: a rabies vaccine given before the chip is not valid.

The AHC must be issued no more than 10 days before you arrive in the EU, and it is valid for 4 months for onward travel within the EU and for returning to Great Britain. Book the appointment well in advance; our official vets work at the Northgate and Millfield branches.

An AHC costs £165 for the first pet and £65 for each extra pet seen at the same appointment.
""",
    "pet-travel-tapeworm": """# Coming home: tapeworm treatment for dogs

Dogs entering Great Britain, or travelling to Ireland, Finland, Malta, Norway or Northern Ireland, must be treated against tapeworm by a vet between 24 hours and 5 days (120 hours) before arrival. The treatment must be recorded on the certificate or passport. Cats and ferrets do not need it.

If you are away on a short trip of under 5 days, we can give the treatment before you leave, so that you do not need to find a vet abroad.
""",
    "microchipping": """# Microchipping

By law, every dog in England must be microchipped by 8 weeks old, and since June 2024 every cat must be microchipped by 20 weeks old. The chip, the size of a grain of rice, is placed under the skin between the shoulder blades in a few seconds, without anaesthetic.

Microchipping costs £25, and is free in our puppy and kitten packages. We also microchip rabbits, ferrets and tortoises.
""",
    "microchip-details": """# Updating your microchip details

A microchip only helps if the details on its database are correct. If you move house, change phone number or rehome your pet, update the details with the database company your chip is registered with, not with us. You can find which database holds the chip at check-a-chip.co.uk.

Some databases charge a small fee for changes. If you do not know the chip number, we can scan your pet for free at any branch.
""",
    "nutrition-advice": """# Diet and nutrition advice

Our nurses offer free nutrition consultations of 20 minutes to help you choose the right food for your pet's age, breed and health. They can also explain food labels and help you switch foods safely: mix the new food into the old over 7 to 10 days to avoid an upset stomach.

If your pet has a medical condition such as kidney disease, bladder stones or a food allergy, your vet may recommend a prescription diet. Prescription diets are sold at reception and through our online pharmacy, and a vet must check your pet every 6 months while it is on one.

We do not recommend raw diets for homes with young children, elderly people or anyone with a weak immune system, because of the risk of salmonella and E. coli.
""",
    "weight-clinics": """# Weight clinics

More than half of the dogs and cats we see are overweight. Our free weight clinics with a nurse help your pet lose weight safely: at most 1 to 2% of its body weight per week. We weigh your pet every 4 weeks, adjust the portions and track progress on a chart in the app.

Remember that treats should make up no more than 10% of your pet's daily food.
""",
    "euthanasia": """# Saying goodbye: euthanasia

Deciding when to say goodbye is one of the hardest choices an owner faces. Our vets will talk it through with you, and a quality-of-life check is free of charge.

We book euthanasia appointments at quiet times, at the start or end of the day, and where possible we use a separate quiet room with its own door to the car park, so that you do not need to wait in reception. You are welcome to stay with your pet throughout. Your pet is first given a sedative so it is calm and sleepy.

If you prefer, one of our vets can come to your home. A home visit costs £120 on top of the euthanasia fee, and is available on weekdays between 10 am and 4 pm.

You can pay in advance, or we will send the invoice later, so you do not need to deal with payment on the day. Euthanasia costs £95 for cats and small pets and £140 for dogs.
""",
    "cremation": """# Cremation and aftercare

After your pet has died, you can take it home for burial, or we can arrange cremation with Willow Lane Pet Crematorium.

In a communal cremation, several pets are cremated together and the ashes are scattered in the crematorium's garden of remembrance; the ashes cannot be returned. This costs £60.

In an individual cremation, your pet is cremated alone and the ashes are returned to you, in a wooden casket or a scatter tube of your choice, usually within 10 working days. This costs from £190, depending on your pet's size. We phone you when the ashes are ready to collect from your branch.

If you want to bury your pet at home, you need to own the property, and the grave must be away from water courses and at least 1.25 metres deep.
""",
    "registering-a-pet": """# Registering a new pet

Register your pet online or in the Hollybrook app; it takes about 5 minutes and is free. You need your own address and phone number, and your pet's name, date of birth, breed and microchip number if it has one.

Once registered, your pet can be seen at any of our four branches, and you can book appointments and order repeat medication in the app. You can register several pets in one account.
""",
    "transferring-records": """# Moving from another vet

When you register with us, we ask your previous vet for your pet's clinical history, with your permission. Most practices send it within 5 working days, and there is no charge from us.

Bring your pet's vaccination card to the first visit. If a booster is due, the vaccination record shows us what to give, so your pet does not have to restart the course.
""",
    "exotic-pets": """# Rabbits, guinea pigs and exotic pets

All our branches see rabbits, guinea pigs, hamsters, rats and ferrets. Reptiles, birds and tortoises are seen only at Riverside, by our exotics vet, on Tuesdays and Thursdays.

Bring small pets in a secure carrier with some of their usual bedding and food, and reptiles in a warm container, for example wrapped with a hot water bottle. Tortoises should have a health check before and after hibernation.
""",
    "puppy-package": """# Puppy package

Our puppy package costs £129 and includes both puppy vaccinations, a microchip, flea and worm treatment until 6 months old, and a nurse check at 4 months to talk about teething, feeding and neutering.

Puppies must be registered before 12 weeks old to join. Once your puppy is 6 months old, it can move onto a health plan, and the first month is free.
""",
    "kitten-package": """# Kitten package

Our kitten package costs £119 and includes both kitten vaccinations, a microchip, flea and worm treatment until 6 months old, and neutering at a discount of 25%.

Kittens must be registered before 16 weeks old to join. Once your kitten is 6 months old, it can move onto a health plan, and the first month is free.
""",
    "branch-northgate": """# Northgate branch

Address: 2 Northgate Parade, Hollybrook HB1 4NG. Phone: 0161 555 0110.

Opening hours: Monday to Friday 8 am to 7 pm, Saturday 9 am to 1 pm, closed on Sunday.

Northgate is our main hospital, with our operating theatres, digital X-ray, ultrasound and keyhole surgery. Free parking for 20 cars behind the building.
""",
    "branch-riverside": """# Riverside branch

Address: 48 Quay Street, Hollybrook HB3 2RS. Phone: 0161 555 0120.

Opening hours: Monday to Friday 8 am to 8 pm, Saturday 9 am to 5 pm, Sunday 10 am to 2 pm.

Riverside is home to our exotics vet and has a separate waiting room for cats. There is no car park; use the pay-and-display car park on Quay Street, where the first hour is free with a token from reception.
""",
    "branch-eastwick": """# Eastwick branch

Address: Unit 5, Eastwick Retail Park, Hollybrook HB6 7EW. Phone: 0161 555 0130.

Opening hours: Monday to Friday 8:30 am to 6 pm, Saturday 9 am to 12 pm, closed on Sunday.

Eastwick is a smaller branch for consultations, vaccinations and nurse clinics; operations are done at Northgate. Park for free in the retail park car park, for up to 3 hours.
""",
    "branch-millfield": """# Millfield branch

Address: 11 Mill Lane, Millfield, Hollybrook HB9 3MF. Phone: 0161 555 0140.

Opening hours: Monday to Friday 8 am to 6:30 pm, Saturday 8:30 am to 12:30 pm, closed on Sunday. Closed for lunch from 1 pm to 2 pm.

Millfield has an official vet for pet travel certificates and a dedicated quiet room. Parking: 6 spaces in front of the branch, including 1 disabled bay.
""",
    "senior-pet-checks": """# Senior pet checks

Dogs and cats are considered senior from about 8 years old, and large dogs from 6. We recommend a senior check with a vet every 6 months, including a blood pressure check, a urine test and, for cats, a kidney blood test.

Early signs of problems in older pets are easy to miss: drinking more, losing weight, stiffness after rest, or confusion at night. A senior check costs £75.
""",
    "surgery-day": """# The day of your pet's operation

Don't feed your pet after 8 pm the evening before the operation, but leave water down overnight. Rabbits and guinea pigs are the exception: they must keep eating as normal, so bring some of their food with you.

Admission is between 8 am and 9 am at Northgate, where all operations take place. A nurse goes through the consent form with you and confirms a phone number where we can reach you all day. We will ask whether you want a pre-anaesthetic blood test, which costs £65 and is recommended for pets over 7.

We call you once your pet has woken up, usually by early afternoon. Most pets go home the same day between 4 pm and 6 pm, and the nurse explains the aftercare when you collect.

If your pet seems unwell on the morning of the operation, call us before coming in: we may need to postpone.
""",
    "test-results": """# Test results

Blood tests run in our in-house laboratory give results within the hour. Tests sent to an outside laboratory, such as biopsies and some hormone tests, usually take 3 to 7 working days.

Your vet phones you with the results and explains them. You can also see them in the app once the vet has reviewed them.
""",
    "flea-and-worm": """# Flea, tick and worm treatment

We recommend treating dogs and cats against fleas every month, all year round, as fleas thrive in heated homes in winter. Worm adult dogs and cats at least every 3 months, and every month if they hunt or live with young children. Lungworm, spread by slugs and snails, can be fatal to dogs; ask us for a treatment that covers it.

Never use a dog flea product on a cat: some contain permethrin, which is highly toxic to cats.
""",
    "contact-us": """# Contacting us and giving feedback

For appointments and questions, phone your branch during its opening hours or send us a message in the app; we reply to messages within 1 working day. Please don't use messages for emergencies.

If you are unhappy with the care your pet received, email the practice manager at care@hollybrookvets.co.uk. We reply within 10 working days. If we cannot resolve it, you can contact the Veterinary Client Mediation Service, which is free.
""",
}

QUESTIONS = [
    # appointments
    Q("I've got two dogs who both need looking at, can they go in one slot", "appointments-booking", "double appointment", "paraphrase"),
    Q("my cat is poorly this morning can she be seen today", "appointments-booking", "same-day appointments", "paraphrase"),
    Q("consultation price", "appointments-booking", "£48", "short"),
    Q("what happens if I don't turn up to my appointment", "appointments-cancel", "£20", "paraphrase"),
    Q("can I speak to a vet over my phone camera instead of coming in", "video-consultations", "£30", "paraphrase"),
    # emergencies (deep)
    Q("my dog ate chocolate what do I do at night", "out-of-hours", "0161 555 0199", "paraphrase"),
    Q(
        "my puppy chewed some of the lilies in a bouquet and it's 11pm, should I bring anything with me",
        "out-of-hours",
        "bring the packaging",
        "deep",
    ),
    Q("will my normal vet find out what happened at the night clinic", "out-of-hours", "next morning", "deep", "paraphrase"),
    Q("emergancy vet open hours at nite", "out-of-hours", "7 pm to 8 am", "typo"),
    Q(
        "my dog's tummy has blown up and he keeps trying to be sick but nothing comes out",
        "emergency-signs",
        "twisted stomach",
        "paraphrase",
    ),
    Q(
        "We've had our rescue greyhound for about a month now and he's lovely. Since yesterday lunchtime he has had the runs "
        "and been sick a couple of times, he's still drinking though. Should we wait or does he need to come in?",
        "emergency-signs",
        "more than 24 hours",
        "long",
        "deep",
    ),
    # vaccinations (near-duplicates)
    Q("when can my puppy go for his first walk", "vaccinations-dogs", "one week after", "near-duplicate", "paraphrase"),
    Q("does my dog need the parvo jab every year", "vaccinations-dogs", "every 3 years", "near-duplicate", "paraphrase"),
    Q("puppy jabs age", "vaccinations-dogs", "8 weeks", "near-duplicate", "short", "paraphrase"),
    Q(
        "my cat never goes outside does she really need her yearly jab",
        "vaccinations-cats",
        "clothes and shoes",
        "near-duplicate",
        "paraphrase",
    ),
    Q("cat vacination cost", "vaccinations-cats", "£58", "near-duplicate", "typo", "short"),
    Q("my bunny lives in the house, does he still need jabs", "vaccinations-rabbits", "flies and fleas", "near-duplicate", "paraphrase"),
    Q("mixomatosis vacine how often", "vaccinations-rabbits", "every year", "near-duplicate", "typo", "short"),
    # neutering (near-duplicates) and aftercare (deep)
    Q("when should I get my girl dog done", "neutering-dogs", "3 months after their first season", "near-duplicate", "paraphrase"),
    Q(
        "we have a 9 month old great dane, is it too early to have him done",
        "neutering-dogs",
        "12 to 18 months",
        "near-duplicate",
        "paraphrase",
    ),
    Q("how old does my kitten need to be before she can be fixed", "neutering-cats", "4 months", "near-duplicate", "paraphrase"),
    Q("does my tom have to stay overnight after his op", "neutering-cats", "day cases", "near-duplicate", "paraphrase"),
    Q("she won't leave her stitches alone", "aftercare-at-home", "recovery suit", "paraphrase", "deep"),
    Q("do the stitches need taking out", "aftercare-at-home", "dissolve", "deep"),
    Q(
        "Bella had her spay on Monday and she is going stir crazy. She's a springer spaniel so she's used to an hour "
        "running on the beach every morning with my husband. How much exercise is she allowed now?",
        "aftercare-at-home",
        "10 minutes at a time",
        "long",
        "deep",
        "paraphrase",
    ),
    # dental
    Q("my dog's breath stinks", "dental-checks", "free dental check", "paraphrase"),
    Q("can I use my own toothpaste on the dog", "dental-checks", "xylitol"),
    Q("what does it cost to have a tooth pulled", "dental-treatment", "between £25 and £90", "paraphrase"),
    Q("what should he eat after his teeth are done", "dental-treatment", "soft food", "deep", "paraphrase"),
    Q(
        "do I need to be reachable while my dog is having her teeth cleaned",
        "dental-treatment",
        "keep your phone with you",
        "deep",
        "paraphrase",
    ),
    # prescriptions and pharmacy
    Q("how soon can I pick up my dog's tablets after ordering more", "repeat-prescriptions", "2 working days", "paraphrase"),
    Q("why do I have to bring my cat in again just to get her thyroid pills", "repeat-prescriptions", "every 6 months", "paraphrase"),
    Q("can I buy his pills cheaper somewhere else", "written-prescriptions", "£18", "paraphrase"),
    Q("is delivery free from your online shop", "online-pharmacy", "over £35", "paraphrase"),
    Q("if I order flea stuff at lunchtime will it go out today", "online-pharmacy", "2 pm", "paraphrase"),
    # health plans (near-duplicates)
    Q("how much is the cheapest plan for a dog", "health-plan-essential", "£17.50", "near-duplicate", "paraphrase"),
    Q("can rabbits join the health plan", "health-plan-essential", "£11 a month", "near-duplicate"),
    Q("how many vet check ups a year on plus", "health-plan-plus", "two health checks", "near-duplicate", "paraphrase"),
    Q("plus plan cat price", "health-plan-plus", "£19.50", "near-duplicate", "short"),
    Q("my old girl is 11, which plan would you suggest", "health-plan-complete", "over 8 years old", "near-duplicate", "paraphrase"),
    Q("helth plan compleat discount on medicines", "health-plan-complete", "20% off", "near-duplicate", "typo"),
    Q("can I switch from plus to essential now", "health-plan-changes", "yearly renewal", "paraphrase"),
    Q("my dog passed away, do I keep paying for his plan", "health-plan-changes", "nothing more is owed", "paraphrase"),
    # payment and insurance
    Q("the op is going to be about £1200, can I pay it off monthly", "payment-methods", "Pawpay", "paraphrase"),
    Q("do you take cheques", "payment-methods", "do not accept cheques", "short"),
    Q("what's the excess on your insurance", "insurance-partner", "£99", "paraphrase"),
    Q("if I take out insurance today is my dog covered for illness straight away", "insurance-partner", "14 days"),
    Q(
        "My cat Mittens is turning 10 next month and my friend said insurers make you pay more of the bill once they get older. "
        "I'm thinking of switching to your cover, is that true with you?",
        "insurance-partner",
        "20% of each claim",
        "long",
        "paraphrase",
    ),
    Q("can you bill my insurer so I don't have to pay the whole lot", "insurance-claims", "pay only the excess", "paraphrase"),
    Q("will my insurance pay for his jabs", "insurance-claims", "routine care", "deep", "paraphrase"),
    Q("claim form turnaround", "insurance-claims", "5 working days", "short", "deep"),
    # travel
    Q("is my dog's old passport still ok for france", "pet-travel", "no longer valid", "paraphrase"),
    Q("how long before the ferry does the rabies jab have to be done", "pet-travel", "21 days", "paraphrase", "deep"),
    Q(
        "We're driving to Spain in August with our two cockapoos and staying with my sister for 3 weeks. My husband thinks "
        "we can still use the blue passports we got in 2019, what do the dogs actually need now and how much will it be?",
        "pet-travel",
        "£165",
        "long",
        "deep",
    ),
    Q("does my cat need worming before we come back from france", "pet-travel-tapeworm", "cats and ferrets do not need it", "paraphrase"),
    # microchips
    Q("is it the law to chip my cat", "microchipping", "20 weeks old", "paraphrase"),
    Q("does chipping hurt, does it need an anaesthetic", "microchipping", "without anaesthetic"),
    Q("we moved house, how do I change the address on his chip", "microchip-details", "database company", "paraphrase"),
    # diet and weight
    Q("what's the best way to change my dog onto a new food", "nutrition-advice", "7 to 10 days", "paraphrase"),
    Q("is raw feeding ok with a baby in the house", "nutrition-advice", "salmonella", "deep", "paraphrase"),
    Q(
        "My husband keeps sneaking our beagle bits of toast and cheese and now he waddles rather than walks, even the dog "
        "walker commented on it. Can you help us get the weight off him?",
        "weight-clinics",
        "1 to 2%",
        "long",
        "paraphrase",
    ),
    # end of life (deep)
    Q(
        "Our old collie Max is 15 and can't really walk any more, and he gets so stressed in the car that we'd hate his "
        "last journey to be to the surgery. Is it possible for someone to do it at home?",
        "euthanasia",
        "£120",
        "long",
        "deep",
        "paraphrase",
    ),
    Q("I don't want to sit in the waiting area with everyone when we say goodbye", "euthanasia", "quiet room", "paraphrase", "deep"),
    Q("will I get my cat's ashes back", "cremation", "individual cremation", "paraphrase"),
    Q("can we bury him in the back garden", "cremation", "1.25 metres", "deep", "paraphrase"),
    # registering and records
    Q(
        "Hi, we've just moved to Hollybrook from Leeds with our two cats and a very grumpy hamster called Biscuit. "
        "How do we go about signing them all up with you?",
        "registering-a-pet",
        "5 minutes",
        "long",
        "paraphrase",
    ),
    Q("will you get my dog's notes from our old vet", "transferring-records", "clinical history", "paraphrase"),
    # exotics
    Q("do you see bearded dragons", "exotic-pets", "Riverside", "paraphrase"),
    Q("should my tortoise see a vet before he goes to sleep for the winter", "exotic-pets", "before and after hibernation", "paraphrase"),
    # puppy and kitten packages (near-duplicates)
    Q("what's in the puppy package and how much", "puppy-package", "£129", "near-duplicate"),
    Q("my puppy is 14 weeks can she still get the puppy deal", "puppy-package", "12 weeks old", "near-duplicate", "paraphrase"),
    Q("kitten bundle price", "kitten-package", "£119", "near-duplicate", "short", "paraphrase"),
    Q("is spaying included in the kitten package", "kitten-package", "25%", "near-duplicate"),
    # branches (near-duplicates)
    Q("northgate saturday hours", "branch-northgate", "9 am to 1 pm", "near-duplicate", "short"),
    Q("is there a car park at northgate", "branch-northgate", "20 cars", "near-duplicate"),
    Q("where do I leave the car for the quay street surgery", "branch-riverside", "pay-and-display", "near-duplicate", "paraphrase"),
    Q("which branch has a seperate waiting area for cats", "branch-riverside", "separate waiting room", "near-duplicate", "typo"),
    Q("what time does eastwick close on a weekday", "branch-eastwick", "6 pm", "near-duplicate"),
    Q("how long can I leave my car at the retail park branch", "branch-eastwick", "3 hours", "near-duplicate", "paraphrase"),
    Q("is millfield shut at lunchtime", "branch-millfield", "1 pm to 2 pm", "near-duplicate", "paraphrase"),
    Q("phone number for milfield", "branch-millfield", "0161 555 0140", "near-duplicate", "typo"),
    # older pets, surgery day, results
    Q("my 12 year old cat is drinking loads more than she used to", "senior-pet-checks", "senior check", "paraphrase"),
    Q("can my dog have breakfast on the morning of his operation", "surgery-day", "8 pm", "paraphrase"),
    Q("what time do I drop him off for his op", "surgery-day", "8 am and 9 am", "paraphrase", "deep"),
    Q("when can I collect my cat after surgery", "surgery-day", "4 pm and 6 pm", "deep"),
    Q("how long do biopsy results take", "test-results", "3 to 7 working days"),
    # parasites and contact
    Q("do I still need to do flea stuff in winter", "flea-and-worm", "all year round", "paraphrase"),
    Q("can I put my dog's spot on on the cat", "flea-and-worm", "permethrin", "paraphrase"),
    Q("making a complaint", "contact-us", "care@hollybrookvets.co.uk", "short"),
    Q("if I message you how long till someone gets back to me", "contact-us", "1 working day", "paraphrase"),
    # nothing in the set answers these
    unanswerable("do you groom cats"),
    unanswerable("can I leave my dog with you for a week while we're on holiday"),
    unanswerable("do you offer hydrotherapy for dogs recovering from an operation"),
    unanswerable("how much does an MRI scan cost"),
    unanswerable("are you hiring vet nurses at the moment"),
    unanswerable("which brand of vaccine do you use for cats"),
    unanswerable("can my dog become a blood donor"),
    unanswerable("do you run puppy training classes"),
    unanswerable("is there a multi-pet discount on the health plan if I have three cats"),
    unanswerable("can you do a DNA test to find out what breed my rescue dog is"),
    unanswerable("is there a cafe near the eastwick branch"),
    unanswerable("what's the name of the vet at the Millfield branch"),
]
