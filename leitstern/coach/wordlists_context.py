"""Word lists about people, metrics and qualifiers, in German and English.

The same entry syntax as :mod:`leitstern.coach.wordlists` (``improv*``,
``*quote``, phrases, ``re:``); entries are separated by a comma and a space.
These lists give context: who is affected, what is measured, how vague or
absolute a key result is, and whose name appears in it.
"""

from __future__ import annotations

from leitstern.coach.wordlists import WordList, words

# People whose behaviour an outcome describes.
STAKEHOLDERS: WordList = {
    "en": words(
        r"""
        customer*, client*, user*, patient*, citizen*, resident*, student*, pupil*, learner*,
        member*, visitor*, buyer*, shopper*, subscriber*, donor*, volunteer*, parent*,
        employee*, staff, colleague*, candidate*, applicant*, partner*, supplier*, guest*,
        reader*, listener*, viewer*, developer*, teacher*, nurse*, physician*, doctor*,
        caregiver*, tenant*, traveller*, traveler*, passenger*, farmer*, beneficiar*,
        participant*, attendee*, follower*, merchant*, seller*, household*, famil*, communit*,
        school*, municipalit*, people, accounts, hospital*, clinic*, graduate*, alumni,
        subscription*, leads, prospect*, driver*, rider*, player*, fans, borrower*, investor*,
        funder*, agencies, vendor*, retailer*, contributor*, respondent*, promoter*, detractor*,
        recipient*
        """
    ),
    "de": words(
        r"""
        kund*, *kunden, *kundin*, nutzer*, *nutzer*, nutzende*, anwender*, patient*, bürger*,
        einwohner*, schüler*, *schüler*, studier*, studierende*, lernende*, mitglied*,
        *mitglieder, besucher*, *besucher*, käufer*, abonnent*, spender*, ehrenamtlich*,
        freiwillig*, eltern, mitarbeit*, *mitarbeitende*, beschäftigt*, kolleg*, bewerb*,
        kandidat*, partner*, lieferant*, gäste, gast, leser*, zuschauer*, hörer*, lehrkräft*,
        lehrer*, pflegekräft*, ärzt*, mieter*, reisend*, fahrgäst*, fahrgast*, landwirt*,
        teilnehmende*, teilnehmer*, familien, haushalt*, kommunen, gemeinden, schulen, händler*,
        klient*, mandant*, versichert*, menschen, personen, betriebe, unternehmen, firmen,
        praxen, kliniken, filialen, märkte, auszubildende*, azubi*, absolvent*, befragte*,
        einrichtungen, träger, vereine, promotor*, investor*, abonnement*, leads, interessent*,
        fahrer*, spieler*
        """
    ),
}

# Metrics that describe results or behaviour (rates, shares, revenue, satisfaction).
OUTCOME_METRICS: WordList = {
    "en": words(
        r"""
        rate, rates, share, percentage, proportion, ratio, revenue*, sales, turnover, profit*,
        margin*, income, arr, mrr, gmv, churn*, retention, conversion*, activation, adoption,
        engagement, usage, nps, csat, ces, net promoter, satisfaction, sign-up*, signup*, sign
        ups, registration*, enrol*, download*, installs, active users, dau, mau, wau, waiting
        time, wait time, complaints, repeat purchase*, basket*, order value, aov, ltv, cac,
        cost*, donation*, funding, grant*, bookings, orders, attendance, dropout*, drop-out*,
        graduation, pass rate, readmission*, no-show*, absenteeism, enps, score, scores,
        applications, time-to-hire, time to hire, time to, returns, click*, ctr, open rate,
        traffic, visits, sessions, page views, pageviews, leads, mql*, sql*, pipeline, deals,
        market share, reach, rating*, stars, reviews, referral*, renewal*, upsell*, spend, roi,
        ebit*, cash flow, occupancy, utilization, utilisation, yield, members, subscribers,
        customers, users, days, minutes, hours, weeks, emissions, co2, waste, energy, accuracy,
        defects, errors, incidents, tickets, contacts, inquiries, enquiries, complaint*, lead
        time*, cycle time, throughput, productivity, uptake, take-up, penetration
        """
    ),
    "de": words(
        r"""
        *quote, *quoten, *rate, *raten, anteil*, *anteil, umsatz*, *umsatz, umsätze, erlös*,
        *erlöse, gewinn, marge*, deckungsbeitrag*, *zufriedenheit*, zufriedenheit*, kündigung*,
        abwanderung*, *bindung, wiederkauf*, conversion*, aktivierung*, nutzung*, *nutzung,
        *zahl, *zahlen, anzahl, registrierung*, anmeldung*, downloads, wartezeit*, *wartezeit*,
        durchlaufzeit*, *dauer, beschwerde*, reklamation*, spende*, *spenden, fördermittel*,
        mitgliedschaft*, buchung*, bestellung*, warenkorb*, *kosten*, kosten*, fehlzeit*,
        krankenstand, fluktuation*, bewerbung*, abbrecher*, abbruch*, *nps*, nps, bewertung*,
        besuche, aufrufe, klicks, reichweite, marktanteil*, weiterempfehlung*, tage, minuten,
        stunden, wochen, emission*, *emissionen, abfall*, energie*, *verbrauch*, auslastung*,
        einnahmen, ertrag*, *ertrag, *rendite*, anfragen, *anfragen, leads, abschlüsse,
        neukunden, *fälle, nachfrage, teilnahme*, beteiligung*, engagement, akzeptanz,
        inanspruchnahme, durchsatz, produktivität, liquidität, ergebnis*, *score, *wert
        """
    ),
}

# Standing service levels: with a threshold and no change words they are KPI maintenance.
SERVICE_METRICS: WordList = {
    "en": words(
        r"""
        uptime, availability, response time*, resolution time*, first response, sla*, latency,
        error rate*, error budget, downtime, outage*, on-time, on time, punctual*, delivery
        reliability, budget, days sales outstanding, dso, in stock, stock availability, picking
        accuracy, data accuracy, compliance, safety incident*, accidents, mttr, mtbf, p95, p99,
        page load*, load time*, 24/7, service level*, first-time-fix*, first time fix*, fill
        rate, backup*, recovery time, audit finding*, liquidity, cash reserve*, headcount,
        staffing level*, answered within, handled within, resolved within, processed within,
        responded to within, sick days, sickness rate, overtime, patient safety, hygiene,
        incident*, critical bugs, defect rate, runway, cash runway, equity ratio
        """
    ),
    "de": words(
        r"""
        *verfügbarkeit*, *reaktionszeit*, *antwortzeit*, *bearbeitungszeit*, *ausfallzeit*,
        ausfälle, ausfall, störung*, sla*, *liefertreue, *termintreue, pünktlich*, budget*,
        fehlerquote*, eigenkapitalquote, *reichweite in monaten, re:liquidität\w*\s+für,
        arbeitsunfäll*, unfäll*, liquidität*, lagerverfügbarkeit, bestandsgenauigkeit,
        genauigkeit, ladezeit*, servicelevel*, service-level*, erreichbarkeit, krankenquote,
        krankenstand, überstunden, personalschlüssel, besetzungsquote, hygiene*,
        datensicherung*, backup*, wiederherstellungszeit, 24/7, beantwortet innerhalb,
        bearbeitet innerhalb, compliance, latenz*, *latenz, prüfungsfeststellung*, rücklage*,
        kassenbestand, *erreichbarkeit, *ladezeit*
        """
    ),
}

# Words that make a level a threshold: "at least", "unter", "≥".
THRESHOLD: WordList = {
    "en": words(
        r"""
        at least, min, minimum, at most, max, maximum, no more than, not more than, less than,
        fewer than, under, below, above, over, more than, within, or more, or less, or better,
        or higher, or lower, re:[≥≤], re:[<>]=?, up to, upwards of, beyond, never more than
        """
    ),
    "de": words(
        r"""
        mindestens, min, höchstens, maximal, max, weniger als, unter, über, mehr als, unterhalb,
        oberhalb, innerhalb, oder mehr, oder besser, oder weniger, nicht mehr als, bis zu, nicht
        weniger als, jenseits
        """
    ),
}

# Repetition makes effort an activity: "a post every week".
RECURRING: WordList = {
    "en": words(
        r"""
        every week, each week, per week, a week, weekly, every month, monthly, per month, each
        month, a month, daily, every day, per day, each day, each sprint, every sprint, per
        sprint, biweekly, bi-weekly, fortnightly, every quarter, quarterly, annually, yearly,
        every year, each quarter, regularly, times a, times per,
        re:\d+\s?x\s+(?:per|a)\b, every two weeks, once a, twice a
        """
    ),
    "de": words(
        r"""
        wöchentlich*, monatlich*, täglich*, jede woche, pro woche, pro monat, jeden monat, je
        sprint, pro sprint, jeden sprint, regelmäßig*, re:mal\s+(?:pro|im|je|in\s+der),
        re:\d+-?mal, zweiwöchentlich*, 14-tägig*, vierzehntägig*, alle zwei wochen, einmal im,
        zweimal im, quartalsweise, vierteljährlich*, halbjährlich*, jährlich*, jedes quartal
        """
    ),
}

# Words that sound good but say nothing measurable without a number.
VAGUE: WordList = {
    "en": words(
        r"""
        better, significant*, substantial*, considerabl*, noticeabl*, more, less, fewer, higher,
        lower, faster, greater, stronger, many, several, various, good, great, excellent, high,
        optimal*, world-class, best-in-class, seamless*, robust, efficient*, effective*,
        improved, enhanced, massive*, dramatic*, much, lots, a lot, meaningful*, clearly,
        markedly, visibly, tangibl*, happy, happier, delight*, smooth*, awesome, amazing,
        outstanding, superior
        """
    ),
    "de": words(
        r"""
        besser*, deutlich*, spürbar*, signifikant*, erheblich*, merklich*, wesentlich*, mehr,
        weniger, höher*, schneller*, stärker*, viele, einige, mehrere, verschiedene, gut, gute*,
        hohe*, hoch, optimal*, exzellent*, nachhaltig*, effizient*, effektiv*, reibungslos*,
        massiv*, sichtbar*, klar, glücklich*, begeistert*, zufriedener*, großartig*,
        hervorragend*
        """
    ),
}

# Number words that count as a figure.
NUMBER_WORDS: WordList = {
    "en": words(
        r"""
        two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, fifteen, twenty,
        thirty, forty, fifty, hundred*, thousand*, million*, dozen*, doubl*, tripl*, twice,
        half, halve*, halv*, a third, one third, two thirds, quarter of, zero, fourth, fifth,
        sixth, tenth, one in, 1 in
        """
    ),
    "de": words(
        r"""
        zwei, drei, vier, fünf, sechs, sieben, neun, zehn, elf, zwölf, fünfzehn, zwanzig,
        dreißig, vierzig, fünfzig, hundert*, tausend*, million*, dutzend*, verdoppel*,
        verdoppl*, doppelt*, verdreifach*, halbier*, hälfte, drittel, viertel, zweifach*,
        dreifach*, null, dritte*, vierte*, fünfte*, sechste*, zehnte*
        """
    ),
}

# "Maximize …" and its relatives; they hide the target.
MAXIMIZE: WordList = {
    "en": words(
        r"""
        maximi*, minimi*, as many as possible, as much as possible, as high as possible, as low
        as possible, as fast as possible, as quickly as possible, as few as possible, as soon as
        possible
        """
    ),
    "de": words(
        r"""
        maximier*, minimier*, möglichst viel*, möglichst hoh*, möglichst gering*, möglichst
        wenig*, möglichst schnell*, möglichst niedrig*, so viel* wie möglich, so schnell wie
        möglich, so hoch wie möglich, so gering wie möglich
        """
    ),
}

# An improvement context: new or additional people, first-time things.
IMPROVEMENT_CONTEXT: WordList = {
    "en": words(
        r"""
        new, additional, extra, more, first, increase*, improv*, grow*, reduc*, faster, better,
        fewer, less, boost*, win, cut, raise, lower, shorter, higher, quicker, expand*, halve,
        double
        """
    ),
    "de": words(
        r"""
        neu*, zusätzlich*, weitere, weiteren, mehr, erste*, steiger*, verbesser*, erhöh*, senk*,
        reduzier*, schneller*, besser*, weniger, wachs*, gewinn*, verkürz*, kürzer*, höher*,
        ausbau*, verdoppel*
        """
    ),
}

# Purpose connectors: an objective with one of these states its "why".
WHY_MARKERS: WordList = {
    "en": words(
        r"""
        so that, in order to, because, so we, so they, so our, to help, to enable, to make, to
        give, to let, to ensure, which lets, so people, so customers, so users, helping,
        enabling, for our, so, since
        """
    ),
    "de": words(
        r"""
        damit, sodass, so dass, weil, re:um\s+.*\bzu\b, denn, da, für unsere, für alle, dadurch,
        mit dem ziel, auf dass, indem
        """
    ),
}

# First names the coach recognises when a key result names an owner ("Anna will …").
# Names that are also common words (Mark, Will, May, June) are left out on purpose.
FIRST_NAMES: tuple[str, ...] = words(
    r"""
    Anna, Max, Maximilian, Lena, Lea, Leon, Lukas, Paul, Felix, Jonas, Tim, Tom, Julia, Laura,
    Sarah, Sara, Lisa, Marie, Sophie, Sophia, Emma, Mia, Hannah, Hanna, Jan, Niklas, Nico, Finn,
    Ben, Elias, Noah, Luca, Luisa, Clara, Katharina, Kathrin, Katrin, Stefan, Stephan, Michael,
    Thomas, Andreas, Christian, Daniel, Markus, Martin, Peter, Frank, Jörg, Jürgen, Klaus,
    Wolfgang, Uwe, Sabine, Petra, Claudia, Susanne, Nicole, Andrea, Birgit, Monika, Sandra,
    Stefanie, Melanie, Nadine, Jana, Jens, Sven, Torsten, Tobias, Sebastian, Florian, Philipp,
    Moritz, Johannes, Simon, Fabian, David, Alexander, Alex, Benjamin, Matthias, Oliver, Dirk,
    Kai, Ole, Till, Mehmet, Ayşe, Fatma, Ali, Elif, Emre, Ahmed, Mohammed, Olga, Natalia, Anja,
    Ute, Heike, Ines, Eva, Jasmin, Lara, Nina, Vanessa, Franziska, Johanna, Carla, Greta, Ida,
    Frieda, Theo, Emil, Anton, Karl, Hans, Georg, Robert, Jakob, Jacob, John, James, Mary,
    Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica, Karen, Nancy, Ashley, Emily,
    Olivia, Isabella, Ava, Charlotte, Amelia, Liam, Elijah, William, Lucas, Henry, Sam, Samuel,
    Joe, Joseph, Chris, Kevin, Brian, George, Edward, Jason, Ryan, Jack, Harry, Charlie, Oscar,
    Leo, Arthur, Priya, Raj, Wei, Mei, Yuki, Carlos, Maria, Jose, Luis, Ana, Sofia, Fatima,
    Omar, Mike, Dave, Steve, Tina, Jane, Kate, Lucy, Ella, Chloe, Zoe, Nora, Lina, Jonathan,
    Nathan, Rebecca, Rachel
    """
)

# Labels before an owner's name: "Owner: Max", "verantwortlich: Anna".
OWNER_LABELS: tuple[str, ...] = words(
    r"""
    owner, owned by, responsible, accountable, lead, led by, dri, assignee, assigned to,
    verantwortlich, verantwortliche, verantwortlicher, zuständig, zuständige, zuständiger,
    ansprechpartner, ansprechpartnerin, verantwortung, umsetzung durch
    """
)

# Words after an owner label that name a team, not a person ("Owner: Team Alpha").
TEAM_WORDS: tuple[str, ...] = words(
    r"""
    Team, Squad, Tribe, Gruppe, Abteilung, Bereich, Department, Unit, Chapter, Guild, Vertrieb,
    Marketing, Sales, Support, Engineering, Product, Produkt, Finance, Finanzen, Personal, HR,
    IT, Ops, Operations, Redaktion, Verwaltung, Einkauf, Logistik, Alle, All
    """
)


# Push words with no end state: "Digitalisierung vorantreiben", "drive forward innovation".
PUSH: WordList = {
    "en": words(
        r"""
        push forward, drive forward, move forward, advance, advancing, foster*, pave the way,
        champion, nurture, further develop, evolve
        """
    ),
    "de": words(
        r"""
        vorantreib*, vorangetrieben, voranbring*, vorangebracht, forcier*, weiterentwick*,
        den weg ebnen, fördern, vertiefen, ausbauen
        """
    ),
}

# Certifications and audits: achieving one is an output (DOMAIN appendix 1).
CERTIFICATION: WordList = {
    "en": words(
        r"""
        certification*, certificate*, certified, accreditation*, accredited,
        re:(?:pass|passes|passed|passing)\s+(?:\w+\s+){0,4}(?:audit|assessment|inspection|exam)s?
        """
    ),
    "de": words(
        r"""
        *zertifizierung, *zertifizierungen, zertifizierung*, *zertifikat, *zertifikate,
        zertifikat*, zertifiziert, akkreditierung*, *akkreditierung, akkreditiert, *gütesiegel*,
        re:(?:audit|prüfung|begutachtung|zertifizierung)\w*\s+(?:\w+\s+){0,3}(?:bestanden|bestehen)
        """
    ),
}
