"""Word lists the coach reads, in German and English.

How to read an entry (see docs/coach.md, "Extending the word lists"):

* ``improv*``   — a word starting with "improv" (improve, improved, improving …)
* ``*quote``    — a word ending in "quote" (Abbruchquote, Kündigungsquote …)
* ``*zufrieden*`` — a word containing "zufrieden"
* ``roll out``  — a phrase; the space matches any whitespace
* ``re:…``      — a raw regular expression for the rare case a pattern is not enough

Entries are separated by a comma and a space, so an entry never contains ", ".
Matching ignores case. Every list is a dict ``{"en": words(...), "de": words(...)}``;
the classifier matches both languages at once (teams mix them), while language
detection counts hits per language. Add words freely: each list has one job,
named in its comment, and the tests in ``leitstern/coach/tests`` show what a
change breaks.
"""

from __future__ import annotations

import re

WordList = dict[str, tuple[str, ...]]

_SPLIT = re.compile(r",\s+")


def words(block: str) -> tuple[str, ...]:
    """Split a comma-separated block of entries (entries never contain ", ")."""
    return tuple(entry for entry in _SPLIT.split(block.strip().rstrip(",")) if entry)


# Change language: the words that say a number should move. Together with a
# number they make an outcome; without one, the key result is unmeasurable.
CHANGE: WordList = {
    "en": words(
        r"""
        increas*, rais*, grow, grows, growing, grew, grown, growth, reduc*, decreas*, cut, cuts,
        cutting, lower, lowers, lowered, lowering, improv*, boost*, doubl*, tripl*, halve,
        halves, halved, halving, re:reach(?:es|ed|ing)?(?!\s+out), achiev*, attain*, win, wins,
        won, winning, gain, gains, gained, acquir*, lift, lifts, lifted, drive, drives, driving,
        expand*, accelerat*, shorten*, speed up, rise, rises, rising, rose, drop, drops,
        dropped, fall, falls, falling, fell, climb*, decline*, shrink*, go up, goes up, go down,
        goes down, up from, down from, generat*, sell, sells, sold, earn*, save, saves, saved,
        saving, savings, attract*, convert, converts, converting, enhanc*, strengthen*, scale,
        scales, scaling, optimi*, minimi*, maximi*, sign, signs, signed, land, lands, landed,
        secure, secures, secured, hit, hits, exceed*, surpass*, cross, crosses,
        re:\d+\s?%\s+(?:more|fewer|less|higher|lower|mehr|weniger|höher|niedriger)
        """
    ),
    "de": words(
        r"""
        steiger*, erhöh*, senk*, reduzier*, verringer*, verbesser*, verdoppel*, verdoppl*,
        verdreifach*, halbier*, erreichen, erreicht, erreichte*, gewinnen, gewinnt, gewonnen,
        gewinnung, wachs*, wächst, gewachsen, wachstum, steigt, steigen, stieg, gestiegen,
        sinkt, sinken, sank, gesunken, zunehm*, zunahme, abnehmen, abnimmt, ausbau*, ausgebaut,
        verkürz*, beschleunig*, akquirier*, generier*, erwirtschaft*, erziel*, verkauf*,
        einspar*, sparen, gespart, anheb*, heben, stärk*, optimier*, vergrößer*, ausweit*,
        abbau*, rückgang, anstieg, steigerung, senkung, reduktion, reduzierung, erhöhung,
        verbesserung, verkürzung, halbierung, verdopplung, minimier*, maximier*, unterzeichn*,
        überschreit*, übertreff*, wachsen, sichern, überzeug*, nimmt zu, nimmt ab
        """
    ),
}

# Keeping an existing health level. With these the key result is KPI maintenance.
MAINTAIN: WordList = {
    "en": words(
        r"""
        maintain*, keep, keeps, keeping, kept, stay, stays, staying, remain, remains, remaining,
        sustain, sustains, sustained, sustaining, preserv*, not exceed, does not exceed, never
        exceed*, not fall below, not drop below, never drop*, never fall*, no lower than,
        re:(?:stable|steady)\s+(?:[\w\-]+\s+){0,3}?(?:at|above|below|around|between|within|near)\b,
        steadily, on plan, within plan, within forecast,
        consistently, continue to, continues to, within budget, on budget, current level,
        unchanged,
        re:hold(?:s|ing)?\s+(?:[\w\-.%]+\s+){0,5}(?:at|above|below|under|over|steady|stable|within)\b,
        re:ensure[sd]?\s+(?:that\s+)?(?:[\w\-]+\s+){0,5}(?:every|each|always|consistently|continuously|remains?|stays?)\b,
        re:(?:every|each)\s+month\s+at\s+least,
        re:at\s+least\s+\S+(?:\s+\S+){0,4}\s+(?:every|each|in\s+every)\s+(?:month|week|quarter),
        meet the sla, meet sla, meets sla
        """
    ),
    "de": words(
        r"""
        halten, hält, gehalten, beibehalt*, bleib*, blieb*, aufrechterhalt*, aufrecht erhalten,
        re:stabil\w*\s+(?:[\w\-]+\s+){0,3}?(?:bei|auf|über|unter|halten|zwischen|um|im),
        re:konstant\w*\s+(?:[\w\-]+\s+){0,3}?(?:bei|auf|über|unter|halten|zwischen|um|im),
        gleichbleibend*, weiterhin, dauerhaft,
        re:(?:erhalt|sicherung|absicherung|aufrechterhaltung)\s+(?:der|des|unserer|unseres|von)\b,
        re:\d[\d.,]*\s?(?:%|prozent)?\s+(?:\w+\s+)?(?:sichern|absichern|gewährleisten|sicherstellen)\b,
        im rahmen des plans, im plan, im kostenrahmen, im rahmen der planung,
        nicht unter, nicht über, nicht mehr als, unterschreit*, nicht überschreit*,
        überschreitet nicht, einhalt*, eingehalten, wahren, sicherstellen,
        re:(?:in\s+)?jede[mn]?\s+monat\s+mindestens,
        re:mindestens\s+\S+(?:\s+\S+){0,4}\s+(?:in\s+)?(?:jede[mnr]?|pro)\s+(?:monat|woche|quartal),
        re:(?:auf|bei|über)\s+(?:dem\s+)?(?:\S+\s+){0,2}(?:niveau|stand|level)\s+erhalten,
        re:(?:auf|bei)\s+\S+\s*%?\s+erhalten, im rahmen des budgets, im budget,
        re:(?:über|unter)schreit\w*\s+(?:\S+\s+){0,4}nicht\b, wird eingehalten, werden
        eingehalten
        """
    ),
}

# "hold" and "halten" are activities when events are held: "hold 4 workshops".
EVENT_NOUNS: WordList = {
    "en": words(
        r"""
        workshop*, meeting*, session*, webinar*, event*, retro*, review*, interview*, training*,
        class, classes, course*, lecture*, talk*, hackathon*, town hall*, townhall*, stand-up*,
        call, calls, *calls, demo*, drill*, conference*, open day*, fair*, meetup*, office
        hour*, consultation*, visit*, survey*, walk-through*, walkthrough*, inspection*
        """
    ),
    "de": words(
        r"""
        workshop*, meeting*, sitzung*, webinar*, veranstaltung*, retro*, sprechstunde*,
        schulung*, kurs*, vortr*, gespräch*, termin*, treffen, konferenz*, messe*, tag der
        offenen tür, hackathon*, *abend*, infoabend*, stammtisch*, besprechung*, beratung*,
        fortbildung*, seminar*, lesung*, hospitation*, umfrage*, befragung*, *workshops, *demos,
        *anrufe, *gespräche, *schulungen, *interviews, *veranstaltungen, *webinare, *sitzungen,
        *übungen, *besuche bei, *telefonate, telefonat*, *begehung*, *begehungen
        """
    ),
}

# Deliverables the team controls: launches, artefacts, hires, certifications.
OUTPUT_VERBS: WordList = {
    "en": words(
        r"""
        launch*, releas*, ship, ships, shipped, shipping, implement*, build, builds, built,
        develop, develops, developed, create, creates, created, publish*, deploy*, introduc*,
        roll out, rolls out, rolled out, rollout, roll-out, migrat*, complete, completes,
        completed, finish*, finaliz*, finalis*, deliver, delivers, delivered, design, designs,
        designed, redesign*, define, defines, defined, document, documents, documented, set up,
        sets up, setup, establish*, hire, hires, hired, hiring, recruit*, certif*, draft*,
        produce, produces, produced, go live, go-live, goes live, golive, integrat*, automat*,
        replac*, upgrad*, install*, configur*, open, opens, opened, refactor*, rewrite*,
        rebuild*, moderniz*, modernis*, digitiz*, digitis*, prototyp*, write, writes, wrote,
        written, translat*, standardi*, consolidat*, decommission*, sunset*, provide, provides,
        provided, rebrand*, relaunch*, renovat*, equip*, purchase, purchased, procur*, select,
        selects, selected, map, maps, mapped, pilot*, put in place, offer, offered, digitali*,
        unveil*, update, updates, updated, overhaul*, revamp*, restructur*, obtain*, sign off,
        signed off, set-up, fix, fixes, fixed, configure*, move to the cloud
        """
    ),
    "de": words(
        r"""
        einführ*, eingeführt, einführung, launch*, gelauncht, veröffentlich*, umsetz*,
        umgesetzt, umsetzung, implementier*, entwickl*, entwickel*, erstell*, fertigstell*,
        fertiggestellt, abschließen, abgeschlossen, abschluss, liefern, liefert, geliefert,
        ausroll*, ausgerollt, rollout, migrier*, migration, aufbauen, aufgebaut, aufbau,
        bereitstell*, bereitgestellt, überarbeit*, einstellen, eingestellt, besetzen, besetzt,
        gestalt*, schreiben, geschrieben, erarbeit*, definier*, digitalisier*, automatisier*,
        starten, gestartet, eröffn*, installier*, modernisier*, zertifizier*, zertifikat*,
        dokumentier*, konzipier*, integrier*, anbinden, angebunden, anbindung, ersetz*,
        aufsetzen, aufgesetzt, einrichten, eingerichtet, etablier*, relaunch*, go-live,
        livegang, inbetriebnahme, beschaff*, anschaff*, pilotier*, prototyp*, standardisier*,
        vereinheitlich*, renovier*, sanier*, ausstatt*, ausgestattet, übersetz*, anbieten,
        angeboten, rekrutier*, neugestalt*, freischalt*, freigeschaltet, erneuer*, ablös*,
        abgelöst, verabschied*, beschließ*, beschlossen, festleg*, festgelegt, ausarbeit*,
        ausgearbeitet, erweiter*, aktualisier*, einreich*, eingereicht, umbau*, umgebaut,
        anlegen, angelegt, bauen, gebaut, ausschreib*, ausgeschrieben, erlangen, übergeben,
        übergabe, entwerf*, entworfen, entwurf, produzier*, vervollständig*, programmier*,
        umzieh*, umzug, umgezogen, umstell*, umgestellt, herstell*, hergestellt, konfigurier*,
        neueinstellung*, re:einstellung\s+(?:von|neuer)
        """
    ),
}

# States that say a deliverable is finished: "new website live", "Konzept liegt vor".
OUTPUT_STATES: WordList = {
    "en": words(
        r"""
        live, is ready, are ready, ready for, done, available, in place, launched, shipped,
        operational, in production, signed off, approved, published, rolled out, up and running,
        completed, finished, implemented, delivered, released, deployed, fixed, configured,
        written, installed, migrated, set up, built, hired, created, introduced, integrated,
        automated, replaced, upgraded, documented, defined, established, digitised, digitized,
        translated
        """
    ),
    "de": words(
        r"""
        live, liegt vor, liegen vor, vorliegen, verfügbar, fertig, bereit, online, in betrieb,
        freigegeben, steht bereit, existiert, in produktion, umgesetzt, eingeführt,
        abgeschlossen, fertiggestellt, veröffentlicht, ausgerollt, hergestellt, konfiguriert,
        geschrieben, erstellt, eingerichtet, aufgebaut, installiert, migriert, umgestellt,
        integriert, automatisiert, dokumentiert, definiert, etabliert, digitalisiert, übersetzt,
        beschafft, besetzt, gebaut, entwickelt, implementiert, gelauncht, erarbeitet, festgelegt
        """
    ),
}

# Artefacts a team produces; with a count and no verb they are outputs ("3 case studies").
DELIVERABLES: WordList = {
    "en": words(
        r"""
        mvp, prototype*, concept*, roadmap*, playbook*, guideline*, handbook*, documentation,
        dashboard*, website*, app, apps, feature*, policy, policies, framework*, strategy,
        certification*, certificate*, toolkit*, template*, curriculum, wiki*, portal*, case
        stud*, white paper*, whitepaper*, blog post*, article*, video*, podcast*, e-book*,
        ebook*, brochure*, flyer*, report*, business case*, module*, course*, landing page*,
        integration*, api*, pilot*, release*, version*
        """
    ),
    "de": words(
        r"""
        mvp, prototyp*, konzept*, strategie*, leitfaden, leitfäden, handbuch, handbücher,
        dokumentation, dashboard*, website*, webseite*, app, apps, funktion*, feature*,
        richtlinie*, plattform*, portal*, zertifizierung*, vorlage*, lehrplan, curriculum,
        artikel, blogbeitr*, fallstudie*, video*, *videos, podcast*, broschüre*, flyer,
        bericht*, roadmap*, prozessbeschreibung*, business case*, modul*, kurs*, landingpage*,
        schnittstelle*, pilot*
        """
    ),
}

# Effort and tasks: holding, running, calling, training, taking part.
ACTIVITY_VERBS: WordList = {
    "en": words(
        r"""
        hold, holds, held, run, runs, ran, conduct*, organise, organize, organised, organized,
        organising, organizing, host, hosts, hosted, hosting, attend, attends, attended,
        attending, participate, participates, participated, participating, take part, call,
        calls, called, calling, visit, visits, visited, visiting, talk to, talk with, speak to,
        speak with, interview*, meet, meets, meet with, train, trains, trained, training, coach,
        coaches, coached, coaching, mentor*, send, sends, sent, sending, email, emails, emailed,
        post, posts, posted, posting, tweet*, present, presents, presented, presenting, reach
        out, reached out, contact, contacted, contacting, pitch*, demo, demos, perform,
        performs, performed, review, reviewed, reviewing, shadow*, survey, surveys, surveyed,
        engage with, follow up, follow-up, brainstorm*, analyse, analyze, analysed, analyzed,
        analysing, analyzing, investigat*, explor*, assess*, evaluat*, test, tests, tested,
        testing, experiment*, spend, spends, spent, dedicate*, allocat*, work on, discuss*,
        check, checks, checked, monitor*, track, tracks, tracked, tracking, measure, measures,
        measured, respond, responds, responded, responding, answer*, reply, replies, invite*,
        distribut*, canvass*, knock on, cold call*, outreach, networking, teach, teaches,
        taught, teaching, lecture*, research, audit, audits, audited, collect, collects,
        collected, collecting, gather*, inform, informs, informed, educate, educates, educated,
        promote, promotes, promoted, promoting, advertis*, support, supported, clean up,
        interact*, exhibit*, join, joins, joined, learn, learns, read, iterate, iterates, try,
        tries, phone
        """
    ),
    "de": words(
        r"""
        durchführ*, durchgeführt, durchführung, abhalt*, abgehalten, veranstalt*, organisier*,
        teilnehmen, nehmen teil, teilgenommen, teilnahme, anruf*, angerufen, telefonier*,
        besuchen, besucht, besuche, schulen, geschult, schulung*, coach*, gecoacht, trainier*,
        gespräch*, kontaktier*, versend*, verschick*, senden, posten, gepostet, präsentier*,
        vorstell*, vorgestellt, pitch*, befragen, befragt, befragung*, umfrage*, analysier*,
        untersuch*, prüfen, geprüft, evaluier*, testen, getestet, recherchier*, erheben,
        erhoben, sprechen, reden, austausch*, begleit*, beraten, betreuen, betreut, unterricht*,
        mitmach*, vernetz*, einlad*, eingeladen, verteil*, ansprech*, angesprochen, aufsuch*,
        hospitier*, beobacht*, überwach*, tracken, verfolg*, messen, gemessen, beantwort*,
        informier*, werben, sammeln, gesammelt, aufklär*, unterstütz*, helfen, erledig*,
        bearbeiten, bearbeitet, abarbeit*, kümmern, pflegen, recherche, ausprobier*,
        experimentier*, teilen, geteilt, einsetzen, investier*, lernen, lesen, verbringen,
        aufwenden, reflektier*, diskutier*, auswert*, ausgewertet, ausstellen, stellen aus,
        verbring*, anschreib*, angeschrieben, telefonat*, führen, führt
        """
    ),
}

# Things a team counts about its own work: a change in these is not an outcome.
WORK_NOUNS: WordList = {
    "en": words(
        r"""
        workshop*, webinar*, meeting*, call*, interview*, training*, post, posts, article*,
        blog*, newsletters, event*, demo*, pitch*, feature*, release*, deploy*, story points,
        tickets closed, experiments, campaign*, visits to, outreach, emails sent, mailings
        """
    ),
    "de": words(
        r"""
        workshop*, webinar*, meeting*, anruf*, telefonat*, interview*, schulung*, beitr*,
        artikel, blogartikel, newsletter, veranstaltung*, demo*, feature*, release*,
        deployment*, story points, experimente, kampagne*, besuche bei, mailing*, gespräch*
        """
    ),
}

# Internal engineering hygiene: the team's own work, so "output" (DOMAIN appendix 1).
HYGIENE: WordList = {
    "en": words(
        r"""
        test coverage, code coverage, unit test*, lint*, lighthouse*, static analysis, sonar*,
        code smell*, tech debt, technical debt, build time*, flaky test*, compiler warning*,
        type coverage, cyclomatic, bug backlog, open bugs, known vulnerabilities, vulnerabilit*,
        cve*, dependencies, deprecat*, documentation coverage, mypy, eslint, code review time,
        pr review time, pull request*, story points, velocity
        """
    ),
    "de": words(
        r"""
        testabdeckung, codeabdeckung, code-abdeckung, test-abdeckung, unit-test*, technische
        schulden, build-zeit*, buildzeit*, sicherheitslücke*, abhängigkeiten, typabdeckung,
        offene bugs, bug-backlog, lint*, lighthouse*, velocity
        """
    ),
}
