"""The starter privacy and accessibility statements of a community (Dutch, with an English
translation), for ``load_demo`` and new communities. Operators adapt them in the admin: the name
of the controller, their contact address and the audit status are theirs to fill in.

What they say is what Meent does; where a right is not yet served by a button, the statement
says whom to ask.
"""

from django.utils import timezone
from wagtail.models import Locale

from home.models import AccessibilityStatementPage, PrivacyStatementPage

PRIVACY = {
    "nl": {
        "title": "Privacyverklaring",
        "slug": "privacy",
        "introduction": (
            "Welke persoonsgegevens deze gemeenschap van je bewaart, waarom, hoe lang, en wat je "
            "rechten zijn."
        ),
        "body": """
<h2>Wie is verantwoordelijk</h2>
<p>De organisatie die deze gemeenschap beheert is verwerkingsverantwoordelijke in de zin van de
Algemene verordening gegevensbescherming (AVG). Vragen stel je aan de beheerders van deze
gemeenschap.</p>
<h2>Welke gegevens we bewaren</h2>
<ul>
<li>Je account: naam, e-mailadres, organisatie (afgeleid van het domein van je e-mailadres),
functie, profielfoto als je die kiest, je taal en je instellingen voor meldingen.</li>
<li>Je beveiliging: je wachtwoord (alleen als onomkeerbare hash) en, als je die instelt, je
tweestapsverificatie.</li>
<li>Wat je bijdraagt: groepslidmaatschappen, wikipagina's en hun versies, blogberichten,
reacties, likes, chatberichten en geüploade bestanden.</li>
<li>Meldingen aan jou, en wanneer je ze las.</li>
<li>Moderatie: inhoud die je meldde (wat, waarom en je toelichting; de schrijver ziet niet wie
het meldde), meldingen over wat jij schreef, de besluiten van moderatoren en een schorsing met
de reden. Handelingen van moderatoren en beheerders staan in een auditlogboek.</li>
<li>Tijdelijk, voor de beveiliging: tellers van aanmeldpogingen per e-mailadres en IP-adres
(enkele minuten tot een uur).</li>
</ul>
<h2>Waarom</h2>
<p>Om samenwerking tussen medewerkers van de publieke sector mogelijk te maken (een taak van
algemeen belang, AVG artikel 6 lid 1 onder e) en om het platform veilig te houden. We gebruiken
geen tracking, geen advertenties en geen cookies van derden. De enige cookies zijn die voor je
sessie, de beveiliging van formulieren (CSRF) en je taalkeuze.</p>
<h2>Wie je gegevens ziet</h2>
<p>Je profiel zien aangemelde deelnemers. Wat je in een groep schrijft, zien de mensen die de
groep mag laten lezen; blogberichten zien de lezers die je kiest. Beheerders en moderatoren
zien wat nodig is om de gemeenschap te beheren. We geven gegevens niet aan anderen, tenzij de
wet dat eist.</p>
<h2>Hoe lang</h2>
<p>Zolang je account bestaat. Bijdragen in een groep horen bij de groep en blijven staan als je
vertrekt of je account verwijdert, dan als van een oud-deelnemer; je eigen blogberichten worden
dan verwijderd. Een download van je gegevens bewaren we een week. Het auditlogboek bewaren we
twee jaar. Tijdelijke beveiligingsgegevens verdwijnen vanzelf.</p>
<h2>Je rechten</h2>
<p>Je mag je gegevens inzien, laten verbeteren, laten verwijderen en meenemen, en bezwaar
maken. Je profiel pas je zelf aan. Op <a href="/my-data/">Jouw gegevens</a> zie je wat we van
je bewaren, download je een kopie (een ZIP-bestand) en verwijder je je account. Lukt dat niet,
neem dan contact op met de beheerders; zij reageren binnen een maand. Een klacht kun je indienen
bij de Autoriteit Persoonsgegevens.</p>
""",
    },
    "en": {
        "title": "Privacy statement",
        "introduction": (
            "Which personal data this community keeps about you, why, for how long, and what "
            "your rights are."
        ),
        "body": """
<h2>Who is responsible</h2>
<p>The organisation that runs this community is the controller under the General Data
Protection Regulation (GDPR). Ask the operators of this community.</p>
<h2>What we keep</h2>
<ul>
<li>Your account: name, e-mail address, organisation (from your address's domain), job title,
a profile picture if you choose one, your language and your notification settings.</li>
<li>Your security: your password (only as a one-way hash) and, if you set it up, your
two-factor sign-in.</li>
<li>What you contribute: group memberships, wiki pages and their revisions, blog posts,
comments, likes, chat messages and uploaded files.</li>
<li>Notifications to you, and when you read them.</li>
<li>Moderation: content you reported (what, why and your explanation; the author is not told who
reported it), reports about what you wrote, the moderators' decisions and a suspension with its
reason. What moderators and operators do is kept in an audit log.</li>
<li>For a short time, for security: counts of sign-in attempts per e-mail address and IP
address (minutes to an hour).</li>
</ul>
<h2>Why</h2>
<p>To let people who work in the public sector work together (a task in the public interest,
GDPR article 6(1)(e)) and to keep the platform safe. There is no tracking, no advertising and no
third-party cookie. The only cookies are your session, form security (CSRF) and your choice of
language.</p>
<h2>Who sees your data</h2>
<p>Signed-in people see your profile. What you write in a group is seen by the people the group
lets read it; blog posts by the readers you choose. Operators and moderators see what they need
to run the community. We give data to no one else unless the law requires it.</p>
<h2>For how long</h2>
<p>As long as your account exists. Contributions to a group belong to the group and stay when
you leave or delete your account, then as by a former member; your own blog posts are deleted.
A download of your data is kept for a week; the audit log for two years. Short-lived security
data goes by itself.</p>
<h2>Your rights</h2>
<p>You may see, correct, delete and take your data with you, and object. You change your profile
yourself. On <a href="/my-data/">Your data</a> you see what we keep about you, download a copy
(a ZIP file) and delete your account. If that does not work, contact the operators; they answer
within a month. You can complain to the Dutch Data Protection Authority (Autoriteit
Persoonsgegevens).</p>
""",
    },
}

ACCESSIBILITY = {
    "nl": {
        "title": "Toegankelijkheidsverklaring",
        "slug": "toegankelijkheid",
        "introduction": (
            "Iedereen moet deze gemeenschap kunnen gebruiken, ook met een beperking. Hier lees je "
            "hoe we dat doen en waar het nog niet goed gaat."
        ),
        "body": """
<h2>De norm</h2>
<p>We houden ons aan de Europese norm EN 301 549 en daarmee aan WCAG 2.1 op niveau AA, zoals het
Besluit digitale toegankelijkheid overheid vraagt.</p>
<h2>Hoe we dat controleren</h2>
<ul>
<li>Bij elke wijziging van de software controleert een automatische test (axe-core) alle
hoofdpagina's in beide kleurthema's op ernstige toegankelijkheidsfouten; een wijziging met zo'n
fout wordt niet in gebruik genomen.</li>
<li>Alle onderdelen zijn met het toetsenbord te bedienen en werken zonder JavaScript, behalve de
live chat en de teksteditor, die een eenvoudig alternatief hebben.</li>
<li>Kleuren die beheerders kiezen worden gecontroleerd op voldoende contrast voordat ze worden
opgeslagen. Er is een donker thema met hoog contrast.</li>
</ul>
<h2>Status</h2>
<p>Er is nog geen onderzoek door een onafhankelijke partij gedaan. De beheerder vult hier de
uitkomst en datum van zo'n onderzoek in zodra die er zijn.</p>
<h2>Bekende problemen</h2>
<p>Wat deelnemers zelf plaatsen (afbeeldingen, video's, documenten) is alleen toegankelijk als
zij daarvoor zorgen: afbeeldingen vragen om een beschrijving, video's in de toolbox om een
uitgeschreven tekst.</p>
<h2>Contact</h2>
<p>Loop je ergens tegenaan? Meld het bij de beheerders van deze gemeenschap. Je krijgt binnen vijf werkdagen antwoord. Ben je niet tevreden, dan kun je je wenden tot de
Nationale ombudsman.</p>
""",
    },
    "en": {
        "title": "Accessibility statement",
        "introduction": (
            "Everyone should be able to use this community, also with a disability. Here is how "
            "we work on that, and where it falls short."
        ),
        "body": """
<h2>The standard</h2>
<p>We follow the European standard EN 301 549 and so WCAG 2.1 at level AA, as the Dutch decree
on digital accessibility for government (Besluit digitale toegankelijkheid overheid) asks.</p>
<h2>How we check it</h2>
<ul>
<li>With every change to the software an automated test (axe-core) checks all main pages in
both colour themes for serious accessibility faults; a change with such a fault is not put into
use.</li>
<li>Everything works with the keyboard and without JavaScript, except the live chat and the text
editor, which have a plain alternative.</li>
<li>Colours that operators choose are checked for enough contrast before they are saved. There
is a dark, high-contrast theme.</li>
</ul>
<h2>Status</h2>
<p>No independent audit has been done yet. The operator fills in the outcome and date of such an
audit here once there is one.</p>
<h2>Known problems</h2>
<p>What people post themselves (images, videos, documents) is only accessible when they make it
so: images ask for a description, videos in the toolbox for a transcript.</p>
<h2>Contact</h2>
<p>Something in your way? Tell the operators of this community. You get an answer within five working days. If you are not satisfied, you can turn to the
National Ombudsman.</p>
""",
    },
}


def _ensure(model, home, texts):
    page = model.objects.child_of(home).first()
    if page is None:
        nl = texts["nl"]
        page = model(
            title=nl["title"],
            slug=nl["slug"],
            introduction=nl["introduction"],
            body=nl["body"].strip(),
            last_reviewed=timezone.localdate(),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    english = Locale.objects.filter(language_code="en").first()
    if english is not None and page.get_translation_or_none(english) is None:
        if home.get_translation_or_none(english) is None:
            return page  # no English home page: the Dutch statement serves both
        translation = page.copy_for_translation(english)
        en = texts["en"]
        translation.title = en["title"]
        translation.introduction = en["introduction"]
        translation.body = en["body"].strip()
        translation.save_revision().publish()
    return page


def ensure_statements(home):
    """The privacy and the accessibility statement under ``home`` (a Dutch home page), with
    their English translations; pages that exist are left as they are (idempotent)."""
    return (
        _ensure(PrivacyStatementPage, home, PRIVACY),
        _ensure(AccessibilityStatementPage, home, ACCESSIBILITY),
    )
