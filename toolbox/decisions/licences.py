"""The licence chooser: a decision aid for choosing an open-source licence for government work.

``licence_chooser_steps(language)`` returns the raw StreamField data of ``DecisionAidPage.steps``
(``[{"type": "question" | "outcome", "value": {...}}, ...]``) in Dutch (``"nl"``, the default) or
English (``"en"``). Keys and structure are the same in both languages. Use it like this::

    DecisionAidPage(
        title=licence_chooser_title("nl"),
        introduction=licence_chooser_introduction("nl"),
        steps=licence_chooser_steps("nl"),
    )

The tree passes ``tree.problems`` without a problem (the tests check it) and every outcome can be
reached. The content is advice for civil servants, not legal advice: it follows the Dutch
cabinet's policy "open, tenzij" (2020), in which the EUPL-1.2 is the usual choice for software the
government has made or has had made.
"""

NL, EN = "nl", "en"

SPDX = "https://spdx.org/licenses/{}.html"


def _pick(texts, language):
    """``texts`` is ``(dutch, english)``."""
    return texts[1] if language == EN else texts[0]


def _question(key, question, answers, language, help_text=("", "")):
    return {
        "type": "question",
        "value": {
            "key": key,
            "question": _pick(question, language),
            "help": _pick(help_text, language),
            "answers": [
                {"label": _pick(label, language), "next": target} for label, target in answers
            ],
        },
    }


def _outcome(key, title, advice, language, recommendation="", url=""):
    return {
        "type": "outcome",
        "value": {
            "key": key,
            "title": _pick(title, language),
            "advice": _pick(advice, language),
            "recommendation": recommendation,
            "recommendation_url": url,
        },
    }


def licence_chooser_title(language=NL):
    return _pick(("Licentiekiezer", "Licence chooser"), language)


def licence_chooser_introduction(language=NL):
    return _pick(
        (
            "Welke open-sourcelicentie past bij wat je publiceert? Beantwoord een paar vragen en "
            "je krijgt een advies met de redenen erbij. Voor de meeste software van de overheid "
            "is dat de EUPL-1.2. Twijfel je, overleg dan met de jurist of het open-sourceteam "
            "van je organisatie.",
            "Which open-source licence suits what you publish? Answer a few questions and you "
            "get advice with the reasons for it. For most government software that is the "
            "EUPL-1.2. In doubt? Talk to your organisation's lawyer or open-source team.",
        ),
        language,
    )


def licence_chooser_steps(language=NL):
    """The licence chooser's steps as raw StreamField data for ``DecisionAidPage.steps``.

    ``language`` is ``"nl"`` (Dutch, informal "je"; the default) or ``"en"`` (English). The first
    step is the first question; outcomes: EUPL-1.2, AGPL-3.0, GPL-3.0, MPL-2.0, Apache-2.0, MIT,
    CC0-1.0, CC-BY-4.0, and "find out first" when the licences of existing code are unknown.
    """
    q, o = _question, _outcome
    lang = language
    return [
        q(
            "kind",
            ("Wat wil je publiceren?", "What do you want to publish?"),
            [
                (("Software: broncode", "Software: source code"), "existing-code"),
                (
                    (
                        "Documentatie, handleidingen, teksten of afbeeldingen",
                        "Documentation, manuals, texts or images",
                    ),
                    "docs-attribution",
                ),
                (("Data: een dataset of open data", "Data: a dataset or open data"), "data-rights"),
            ],
            lang,
            (
                "Publiceer je software met documentatie erbij, kies dan hier software: de "
                "documentatie in de repository mag dezelfde licentie krijgen.",
                "Publishing software with its documentation? Choose software here: the "
                "documentation in the repository may take the same licence.",
            ),
        ),
        q(
            "existing-code",
            (
                "Neem je code over uit een project onder de GPL of AGPL, of maak je er samen "
                "één programma mee?",
                "Do you copy code from a project under the GPL or AGPL, or make one program "
                "together with it?",
            ),
            [
                (("Ja, code onder de AGPL-3.0", "Yes, code under the AGPL-3.0"), "agpl"),
                (
                    (
                        "Ja, code onder de GPL (versie 2 of 3)",
                        "Yes, code under the GPL (version 2 or 3)",
                    ),
                    "network",
                ),
                (
                    (
                        "Nee, alleen eigen code of losse bibliotheken onder andere licenties",
                        "No, only our own code or separate libraries under other licences",
                    ),
                    "software-kind",
                ),
                (("Dat weet ik niet", "I don't know"), "check-first"),
            ],
            lang,
            (
                "Bijvoorbeeld een plug-in voor een GPL-programma of gekopieerde GPL-bestanden. "
                "Bibliotheken onder MIT, BSD, Apache-2.0, LGPL of MPL die je alleen gebruikt, "
                "tellen hier niet mee.",
                "For example a plug-in for a GPL program, or copied GPL files. Libraries under "
                "MIT, BSD, Apache-2.0, LGPL or MPL that you only use do not count here.",
            ),
        ),
        q(
            "network",
            (
                "Gebruiken mensen je software vooral via het netwerk: als website, webapplicatie "
                "of API?",
                "Do people mainly use your software over the network: as a website, web "
                "application or API?",
            ),
            [
                (
                    ("Ja, vooral als online dienst", "Yes, mainly as an online service"),
                    "agpl",
                ),
                (
                    (
                        "Nee, mensen installeren en draaien het zelf",
                        "No, people install and run it themselves",
                    ),
                    "gpl",
                ),
            ],
            lang,
            (
                "De GPL verplicht alleen tot het delen van de broncode als je de software "
                "verspreidt. De AGPL verplicht dat ook als je de software als online dienst "
                "aanbiedt.",
                "The GPL only requires sharing the source code when you distribute the "
                "software. The AGPL also requires it when you offer the software as an online "
                "service.",
            ),
        ),
        q(
            "software-kind",
            ("Wat voor software is het?", "What kind of software is it?"),
            [
                (
                    (
                        "Een toepassing: een applicatie, website, dienst of voorziening",
                        "An application: a program, website, service or facility",
                    ),
                    "share-back",
                ),
                (
                    (
                        "Een bibliotheek, component, SDK of implementatie van een standaard die "
                        "zoveel mogelijk anderen, ook bedrijven, in hun software moeten opnemen",
                        "A library, component, SDK or implementation of a standard that as many "
                        "others as possible, companies too, should build into their software",
                    ),
                    "library-copyleft",
                ),
            ],
            lang,
        ),
        q(
            "share-back",
            (
                "Moeten anderen die je software aanpassen en verspreiden of online aanbieden, "
                "hun wijzigingen ook als open source delen?",
                "Must others who change your software and distribute it or offer it online "
                "share their changes as open source too?",
            ),
            [
                (
                    (
                        "Ja, verbeteringen moeten openbaar blijven",
                        "Yes, improvements must stay public",
                    ),
                    "eupl",
                ),
                (
                    (
                        "Nee, iedereen mag de code ook in gesloten software gebruiken",
                        "No, anyone may use the code in closed software as well",
                    ),
                    "patents",
                ),
            ],
            lang,
            (
                "Dit heet copyleft. Het houdt verbeteringen publiek: een leverancier kan jouw "
                "code niet aanpassen en als gesloten product aan andere overheden verkopen. Voor "
                "overheidssoftware is dat meestal wat je wilt.",
                "This is called copyleft. It keeps improvements public: a supplier cannot change "
                "your code and sell it as a closed product to other public bodies. For "
                "government software that is usually what you want.",
            ),
        ),
        q(
            "library-copyleft",
            (
                "Moeten wijzigingen in de bestanden van je bibliotheek zelf openbaar blijven, "
                "ook als iemand hem in gesloten software opneemt?",
                "Must changes to the files of your library itself stay public, even when "
                "someone builds it into closed software?",
            ),
            [
                (
                    (
                        "Ja, wie mijn bestanden verandert, deelt die wijzigingen",
                        "Yes, whoever changes my files shares those changes",
                    ),
                    "mpl",
                ),
                (
                    (
                        "Nee, iedereen mag er alles mee doen",
                        "No, anyone may do anything with it",
                    ),
                    "patents",
                ),
            ],
            lang,
        ),
        q(
            "patents",
            (
                "Is een uitdrukkelijke octrooilicentie belangrijk, bijvoorbeeld omdat bedrijven "
                "met eigen octrooien meebouwen?",
                "Does an explicit patent licence matter, for example because companies with "
                "patents of their own contribute?",
            ),
            [
                (("Ja, of dat weet ik niet", "Yes, or I don't know"), "apache"),
                (
                    (
                        "Nee, eenvoud en combineren met GPL-2.0-software gaan voor",
                        "No, simplicity and combining with GPL-2.0 software come first",
                    ),
                    "mit",
                ),
            ],
            lang,
            (
                "Apache-2.0 geeft gebruikers uitdrukkelijk het recht om octrooien van bijdragers "
                "te gebruiken. MIT is korter en past bij meer licenties, maar zegt niets over "
                "octrooien.",
                "Apache-2.0 explicitly gives users the right to use the contributors' patents. "
                "MIT is shorter and fits with more licences, but says nothing about patents.",
            ),
        ),
        q(
            "docs-attribution",
            (
                "Moet wie je documentatie hergebruikt, jouw organisatie als bron noemen?",
                "Must whoever reuses your documentation name your organisation as the source?",
            ),
            [
                (("Ja, met bronvermelding", "Yes, with attribution"), "cc-by"),
                (
                    ("Nee, zonder enige voorwaarde", "No, without any condition"),
                    "cc0",
                ),
            ],
            lang,
        ),
        q(
            "data-rights",
            (
                "Mag iedereen je data zonder voorwaarden gebruiken?",
                "May anyone use your data without conditions?",
            ),
            [
                (("Ja, zonder voorwaarden", "Yes, without conditions"), "cc0"),
                (
                    (
                        "Nee, hergebruikers moeten de bron noemen",
                        "No, reusers must name the source",
                    ),
                    "cc-by",
                ),
            ],
            lang,
            (
                "Open data van de overheid is in Nederland bij voorkeur vrij van voorwaarden "
                "(CC0), zodat iedereen haar zonder juridisch uitzoekwerk kan combineren. "
                "Persoonsgegevens horen niet in open data: een licentie maakt publiceren daarvan "
                "niet rechtmatig.",
                "In the Netherlands, government open data is preferably free of conditions "
                "(CC0), so that anyone can combine it without legal research. Personal data does "
                "not belong in open data: a licence does not make publishing it lawful.",
            ),
        ),
        o(
            "eupl",
            (
                "EUPL-1.2: de gebruikelijke keuze voor overheidssoftware",
                "EUPL-1.2: the usual choice for government software",
            ),
            (
                "<p>Kies de European Union Public Licence, versie 1.2.</p>"
                "<ul>"
                "<li>Het kabinetsbeleid is sinds 2020 <b>open, tenzij</b>: software die de "
                "overheid maakt of laat maken, wordt open source. De EUPL is daarbij de "
                "gebruikelijke licentie; de Europese Commissie gebruikt haar ook.</li>"
                "<li>De EUPL is geschreven voor overheden en geldt in alle officiële talen van de "
                "EU, ook in het Nederlands, met dezelfde juridische waarde. Ze sluit aan op het "
                "Europese recht.</li>"
                "<li>Ze is copyleft: wie de software aangepast verspreidt <i>of als online "
                "dienst aanbiedt</i>, moet de broncode delen onder de EUPL. Zo blijven "
                "verbeteringen van leveranciers en andere overheden beschikbaar voor iedereen.</li>"
                "<li>Ze is verenigbaar met andere licenties: wie EUPL-code combineert met code "
                "onder een licentie op haar lijst van verenigbare licenties (onder meer GPL-2.0, "
                "GPL-3.0, AGPL-3.0, LGPL, MPL-2.0 en EPL-1.0), mag het geheel onder die licentie "
                "verspreiden.</li>"
                "<li>Ze geeft een octrooilicentie voor de bijdragen van iedere bijdrager.</li>"
                "</ul>"
                "<p>Zet de licentietekst in een bestand <code>LICENSE</code>, vermeld "
                "<code>SPDX-License-Identifier: EUPL-1.2</code> in je bestanden en "
                "<code>EUPL-1.2</code> in je <code>publiccode.yml</code>.</p>",
                "<p>Choose the European Union Public Licence, version 1.2.</p>"
                "<ul>"
                "<li>Since 2020 the Dutch cabinet's policy is <b>open, unless</b>: software that "
                "the government makes or has made becomes open source. The EUPL is the usual "
                "licence for it; the European Commission uses it too.</li>"
                "<li>The EUPL was written for public authorities and is valid in all official "
                "languages of the EU, Dutch included, each with the same legal value. It fits "
                "European law.</li>"
                "<li>It is copyleft: whoever distributes the software changed <i>or offers it as "
                "an online service</i> must share the source code under the EUPL. Improvements "
                "by suppliers and other public bodies stay available to everyone.</li>"
                "<li>It is compatible with other licences: whoever combines EUPL code with code "
                "under a licence on its list of compatible licences (among them GPL-2.0, "
                "GPL-3.0, AGPL-3.0, LGPL, MPL-2.0 and EPL-1.0) may distribute the whole under "
                "that licence.</li>"
                "<li>It grants a patent licence for every contributor's contributions.</li>"
                "</ul>"
                "<p>Put the licence text in a file called <code>LICENSE</code>, state "
                "<code>SPDX-License-Identifier: EUPL-1.2</code> in your files and "
                "<code>EUPL-1.2</code> in your <code>publiccode.yml</code>.</p>",
            ),
            lang,
            "EUPL-1.2",
            SPDX.format("EUPL-1.2"),
        ),
        o(
            "agpl",
            (
                "AGPL-3.0: nodig voor de code waarop je bouwt",
                "AGPL-3.0: required by the code you build on",
            ),
            (
                "<p>Kies de GNU Affero General Public License, versie 3 of later.</p>"
                "<ul>"
                "<li>Code onder de AGPL mag je alleen gebruiken in een geheel dat ook onder de "
                "AGPL valt.</li>"
                "<li>Bouw je op GPL-3.0-code en draait je software vooral als online dienst, dan "
                "mag je het geheel onder de AGPL-3.0 brengen (artikel 13 van de GPL-3.0). De "
                "AGPL zorgt dat ook gebruikers van de online dienst de broncode kunnen krijgen, "
                "zoals de EUPL dat doet.</li>"
                "<li>Valt de code alleen onder GPL-2.0 (zonder \u201cof later\u201d), dan kan "
                "dat niet: blijf dan bij de GPL-2.0.</li>"
                "<li>Eigen, losse onderdelen kun je nog steeds onder de EUPL uitbrengen: de "
                "AGPL-3.0 staat op de lijst van verenigbare licenties van de EUPL.</li>"
                "</ul>"
                "<p>Vermeld <code>SPDX-License-Identifier: AGPL-3.0-or-later</code>.</p>",
                "<p>Choose the GNU Affero General Public License, version 3 or later.</p>"
                "<ul>"
                "<li>Code under the AGPL may only be used in a whole that is under the AGPL "
                "too.</li>"
                "<li>If you build on GPL-3.0 code and your software mainly runs as an online "
                "service, you may put the whole under the AGPL-3.0 (section 13 of the GPL-3.0). "
                "The AGPL makes sure that users of the online service can get the source code "
                "too, as the EUPL does.</li>"
                "<li>If the code is under GPL-2.0 only (without \u201cor later\u201d), that is "
                "not possible: stay with the GPL-2.0.</li>"
                "<li>Separate parts of your own can still be published under the EUPL: the "
                "AGPL-3.0 is on the EUPL's list of compatible licences.</li>"
                "</ul>"
                "<p>State <code>SPDX-License-Identifier: AGPL-3.0-or-later</code>.</p>",
            ),
            lang,
            "AGPL-3.0-or-later",
            SPDX.format("AGPL-3.0-or-later"),
        ),
        o(
            "gpl",
            (
                "GPL-3.0: nodig voor de code waarop je bouwt",
                "GPL-3.0: required by the code you build on",
            ),
            (
                "<p>Kies de GNU General Public License, in de versie van de code waarop je "
                "bouwt: bij voorkeur versie 3 of later.</p>"
                "<ul>"
                "<li>Code onder de GPL mag je alleen gebruiken in een geheel dat ook onder de "
                "GPL valt.</li>"
                "<li>Valt die code onder GPL-2.0 zonder \u201cof later\u201d, dan moet het "
                "geheel onder GPL-2.0 vallen.</li>"
                "<li>De GPL verplicht alleen tot delen als je de software verspreidt, niet als je "
                "haar als online dienst aanbiedt.</li>"
                "<li>Eigen, losse onderdelen kun je nog steeds onder de EUPL uitbrengen: de GPL "
                "staat op de lijst van verenigbare licenties van de EUPL.</li>"
                "</ul>"
                "<p>Vermeld <code>SPDX-License-Identifier: GPL-3.0-or-later</code> (of de versie "
                "die de code vraagt).</p>",
                "<p>Choose the GNU General Public License, in the version of the code you build "
                "on: preferably version 3 or later.</p>"
                "<ul>"
                "<li>Code under the GPL may only be used in a whole that is under the GPL "
                "too.</li>"
                "<li>If that code is under GPL-2.0 without \u201cor later\u201d, the whole must "
                "be under GPL-2.0.</li>"
                "<li>The GPL only requires sharing when you distribute the software, not when "
                "you offer it as an online service.</li>"
                "<li>Separate parts of your own can still be published under the EUPL: the GPL "
                "is on the EUPL's list of compatible licences.</li>"
                "</ul>"
                "<p>State <code>SPDX-License-Identifier: GPL-3.0-or-later</code> (or the version "
                "the code requires).</p>",
            ),
            lang,
            "GPL-3.0-or-later",
            SPDX.format("GPL-3.0-or-later"),
        ),
        o(
            "mpl",
            (
                "MPL-2.0: een bibliotheek die iedereen kan gebruiken, met gedeelde verbeteringen",
                "MPL-2.0: a library anyone can use, with shared improvements",
            ),
            (
                "<p>Kies de Mozilla Public License 2.0.</p>"
                "<ul>"
                "<li>Het copyleft geldt per bestand: wie jouw bestanden verandert en verspreidt, "
                "deelt die wijzigingen. De rest van zijn software mag gesloten blijven.</li>"
                "<li>Zo kunnen ook bedrijven je bibliotheek gebruiken, en blijven verbeteringen "
                "aan de bibliotheek zelf openbaar.</li>"
                "<li>Ze is verenigbaar met de GPL, LGPL en AGPL, en staat op de lijst van "
                "verenigbare licenties van de EUPL.</li>"
                "<li>Ze geeft een octrooilicentie voor de bijdragen.</li>"
                "</ul>"
                "<p>De EUPL-1.2 kan ook voor een bibliotheek; kies de MPL-2.0 als gebruik in "
                "gesloten software uitdrukkelijk welkom moet zijn.</p>",
                "<p>Choose the Mozilla Public License 2.0.</p>"
                "<ul>"
                "<li>Its copyleft works per file: whoever changes your files and distributes "
                "them shares those changes. The rest of their software may stay closed.</li>"
                "<li>Companies can use your library, and improvements to the library itself stay "
                "public.</li>"
                "<li>It is compatible with the GPL, LGPL and AGPL, and is on the EUPL's list of "
                "compatible licences.</li>"
                "<li>It grants a patent licence for contributions.</li>"
                "</ul>"
                "<p>The EUPL-1.2 works for a library too; choose the MPL-2.0 when use in closed "
                "software must be explicitly welcome.</p>",
            ),
            lang,
            "MPL-2.0",
            SPDX.format("MPL-2.0"),
        ),
        o(
            "apache",
            (
                "Apache-2.0: zo breed mogelijk hergebruik, met octrooilicentie",
                "Apache-2.0: the widest reuse, with a patent licence",
            ),
            (
                "<p>Kies de Apache License 2.0.</p>"
                "<ul>"
                "<li>Iedereen mag de code gebruiken, aanpassen en in eigen, ook gesloten, "
                "software opnemen. Dat maakt haar geschikt voor bibliotheken en standaarden die "
                "zo breed mogelijk gebruikt moeten worden.</li>"
                "<li>Ze geeft een uitdrukkelijke octrooilicentie, die vervalt voor wie zelf een "
                "octrooiclaim over de software begint.</li>"
                "<li>Let op: wijzigingen hoeven niet gedeeld te worden. Past copyleft toch, dan "
                "is de EUPL-1.2 de gebruikelijke keuze van de overheid.</li>"
                "<li>Ze is verenigbaar met GPL-3.0, maar niet met GPL-2.0 zonder "
                "\u201cof later\u201d.</li>"
                "</ul>"
                "<p>Zet de licentietekst in <code>LICENSE</code> en eventuele vermeldingen in "
                "<code>NOTICE</code>.</p>",
                "<p>Choose the Apache License 2.0.</p>"
                "<ul>"
                "<li>Anyone may use the code, change it and build it into their own software, "
                "closed software too. That suits libraries and standards that should be used "
                "as widely as possible.</li>"
                "<li>It grants an explicit patent licence, which ends for whoever starts a "
                "patent claim over the software.</li>"
                "<li>Mind: changes need not be shared. If copyleft does fit, the EUPL-1.2 is "
                "the government's usual choice.</li>"
                "<li>It is compatible with GPL-3.0, but not with GPL-2.0 without "
                "\u201cor later\u201d.</li>"
                "</ul>"
                "<p>Put the licence text in <code>LICENSE</code> and any notices in "
                "<code>NOTICE</code>.</p>",
            ),
            lang,
            "Apache-2.0",
            SPDX.format("Apache-2.0"),
        ),
        o(
            "mit",
            (
                "MIT: kort en vrij, zonder octrooilicentie",
                "MIT: short and free, without a patent licence",
            ),
            (
                "<p>Kies de MIT-licentie.</p>"
                "<ul>"
                "<li>Iedereen mag alles met de code doen, als de copyrightvermelding en de "
                "licentietekst erbij blijven.</li>"
                "<li>Ze is kort, bekend en verenigbaar met bijna elke licentie, ook met "
                "GPL-2.0.</li>"
                "<li>Ze zegt niets over octrooien. Spelen die wel, kies dan Apache-2.0.</li>"
                "<li>Wijzigingen hoeven niet gedeeld te worden. Past copyleft toch, dan is de "
                "EUPL-1.2 de gebruikelijke keuze van de overheid.</li>"
                "</ul>",
                "<p>Choose the MIT licence.</p>"
                "<ul>"
                "<li>Anyone may do anything with the code, as long as the copyright notice and "
                "the licence text stay with it.</li>"
                "<li>It is short, well known and compatible with almost every licence, GPL-2.0 "
                "included.</li>"
                "<li>It says nothing about patents. If they matter, choose Apache-2.0.</li>"
                "<li>Changes need not be shared. If copyleft does fit, the EUPL-1.2 is the "
                "government's usual choice.</li>"
                "</ul>",
            ),
            lang,
            "MIT",
            SPDX.format("MIT"),
        ),
        o(
            "cc0",
            (
                "CC0-1.0: vrij van rechten",
                "CC0-1.0: free of rights",
            ),
            (
                "<p>Kies Creative Commons Zero (CC0 1.0).</p>"
                "<ul>"
                "<li>Je ziet af van je auteursrecht en databankenrecht, voor zover de wet dat "
                "toelaat. Iedereen mag het werk gebruiken zonder voorwaarden en zonder "
                "bronvermelding.</li>"
                "<li>Voor open data van de overheid is dit de voorkeur: data zonder voorwaarden "
                "is het makkelijkst te combineren.</li>"
                "<li>Niet voor software: CC0 geeft geen octrooilicentie. Kies voor code een "
                "open-sourcelicentie zoals de EUPL-1.2.</li>"
                "</ul>",
                "<p>Choose Creative Commons Zero (CC0 1.0).</p>"
                "<ul>"
                "<li>You waive your copyright and database right, as far as the law allows. "
                "Anyone may use the work without conditions and without attribution.</li>"
                "<li>For government open data this is preferred: data without conditions is "
                "the easiest to combine.</li>"
                "<li>Not for software: CC0 grants no patent licence. For code choose an "
                "open-source licence such as the EUPL-1.2.</li>"
                "</ul>",
            ),
            lang,
            "CC0-1.0",
            "https://creativecommons.org/publicdomain/zero/1.0/deed." + (EN if lang == EN else NL),
        ),
        o(
            "cc-by",
            (
                "CC-BY-4.0: vrij te gebruiken met bronvermelding",
                "CC-BY-4.0: free to use with attribution",
            ),
            (
                "<p>Kies Creative Commons Naamsvermelding 4.0 (CC BY 4.0).</p>"
                "<ul>"
                "<li>Iedereen mag het werk gebruiken, aanpassen en verspreiden, ook commercieel, "
                "als de bron wordt genoemd.</li>"
                "<li>Versie 4.0 dekt ook het databankenrecht, dus past ook bij datasets.</li>"
                "<li>Moeten bewerkingen onder dezelfde voorwaarden gedeeld worden, kies dan "
                "CC BY-SA 4.0.</li>"
                "<li>Niet voor software: kies voor code een open-sourcelicentie zoals de "
                "EUPL-1.2.</li>"
                "</ul>",
                "<p>Choose Creative Commons Attribution 4.0 (CC BY 4.0).</p>"
                "<ul>"
                "<li>Anyone may use, adapt and share the work, commercially too, as long as "
                "they name the source.</li>"
                "<li>Version 4.0 also covers database rights, so it suits datasets as well.</li>"
                "<li>If adaptations must be shared under the same terms, choose CC BY-SA "
                "4.0.</li>"
                "<li>Not for software: for code choose an open-source licence such as the "
                "EUPL-1.2.</li>"
                "</ul>",
            ),
            lang,
            "CC-BY-4.0",
            "https://creativecommons.org/licenses/by/4.0/deed." + (EN if lang == EN else NL),
        ),
        o(
            "check-first",
            (
                "Zoek eerst uit welke licenties je code gebruikt",
                "First find out which licences your code uses",
            ),
            (
                "<p>De licentie van bestaande code kan je keuze bepalen. Zoek dat eerst uit:</p>"
                "<ul>"
                "<li>Maak een lijst van de gebruikte bibliotheken en hun licenties, "
                "bijvoorbeeld met een SBOM uit je pakketbeheerder of met ScanCode.</li>"
                "<li>Kijk of er code is gekopieerd uit andere projecten, en onder welke "
                "licentie die viel.</li>"
                "<li>Vraag het de leverancier als die de software heeft gebouwd.</li>"
                "</ul>"
                "<p>Doe daarna de licentiekiezer opnieuw. Kom je er niet uit, overleg dan met "
                "de jurist of het open-sourceteam van je organisatie.</p>",
                "<p>The licence of existing code can decide your choice. Find that out "
                "first:</p>"
                "<ul>"
                "<li>List the libraries used and their licences, for example with an SBOM from "
                "your package manager or with ScanCode.</li>"
                "<li>Check whether code was copied from other projects, and under which licence "
                "it was.</li>"
                "<li>Ask the supplier if a supplier built the software.</li>"
                "</ul>"
                "<p>Then go through the licence chooser again. Still stuck? Talk to your "
                "organisation's lawyer or open-source team.</p>",
            ),
            lang,
        ),
    ]
