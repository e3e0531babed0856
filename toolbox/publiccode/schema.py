"""The publiccode.yml standard (https://yml.publiccode.tools, version 0.4 and later) as one module.

Both tools of this app use it: the validator reads a file with :func:`validate_text`, the generator
turns the cleaned form data into a document with :func:`build_document` / :func:`generate`, and the
generator form checks that document with :func:`validate_data` before it shows it. What
:func:`generate` produces therefore always validates without errors.

Reading is defensive, since the text comes from anyone: the size is checked before anything is
parsed, the bytes must be UTF-8, and a first pass over the YAML events (which builds nothing)
refuses anchors and aliases (the "billion laughs" bomb), tags other than YAML's plain ones (such
as ``!!python/object``), more than one document and nesting deeper than :data:`MAX_DEPTH`. Only
then is the document composed and turned into Python values, by a walk that notes duplicate keys
and where every key path sits in the file. Every problem becomes a :class:`Problem` with the key
path (``description.nl.shortDescription``, ``maintenance.contacts[0].name``); nothing raises.
"""

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import langcodes
import yaml
from boolean.boolean import (
    PARSE_INVALID_OPERATOR_SEQUENCE,
    PARSE_INVALID_SYMBOL_SEQUENCE,
    PARSE_UNBALANCED_CLOSING_PARENS,
    ParseError,
)
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from langcodes import Language
from langcodes.tag_parser import LanguageTagError, parse_tag
from license_expression import (
    AND,
    PARSE_INVALID_EXCEPTION,
    PARSE_INVALID_SYMBOL_AS_EXCEPTION,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    get_license_index,
)

MAX_BYTES = 1024 * 1024  # 1 MiB: far more than any real publiccode.yml needs
MAX_DEPTH = 20  # the deepest real path (dependsOn.open[0].name) is 4 levels
MIN_VERSION = (0, 4)
GENERATED_VERSION = "0.4"
SHORT_DESCRIPTION_MAX = 150
LONG_DESCRIPTION_MIN = 150
LONG_DESCRIPTION_MAX = 10_000
GENERIC_NAME_MAX = 35

ERROR = "error"
WARNING = "warning"

# --- Enumerations of the standard -------------------------------------------------------------

DEVELOPMENT_STATUSES = [
    ("concept", gettext_lazy("Concept")),
    ("development", gettext_lazy("Development")),
    ("beta", gettext_lazy("Beta")),
    ("stable", gettext_lazy("Stable")),
    ("obsolete", gettext_lazy("Obsolete")),
]
SOFTWARE_TYPES = [
    ("standalone/web", gettext_lazy("Web application")),
    ("standalone/backend", gettext_lazy("Back-end application")),
    ("standalone/desktop", gettext_lazy("Desktop application")),
    ("standalone/mobile", gettext_lazy("Mobile app")),
    ("standalone/iot", gettext_lazy("Internet of things")),
    ("standalone/other", gettext_lazy("Other stand-alone software")),
    ("addon", gettext_lazy("Add-on (plug-in or theme)")),
    ("library", gettext_lazy("Library or SDK")),
    ("configurationFiles", gettext_lazy("Configuration files")),
]
# Platforms: values outside this list are allowed by the standard ("human readable values").
PLATFORMS = [
    ("web", gettext_lazy("Web")),
    ("windows", "Windows"),
    ("mac", "macOS"),
    ("linux", "Linux"),
    ("ios", "iOS"),
    ("android", "Android"),
]
MAINTENANCE_TYPES = [
    ("internal", gettext_lazy("Internal: maintained by the owner of the repository")),
    ("contract", gettext_lazy("Contract: a contracted party maintains it")),
    ("community", gettext_lazy("Community: people donating their time maintain it")),
    ("none", gettext_lazy("None: not actively maintained")),
]
# Contacts are mandatory for these maintenance types, contractors for "contract".
CONTACTS_REQUIRED_FOR = ("internal", "community")
CONTRACTORS_REQUIRED_FOR = ("contract",)

# The controlled vocabulary of the standard (docs/standard/categories-list).
CATEGORIES = [
    "accounting",
    "agile-project-management",
    "applicant-tracking",
    "application-development",
    "appointment-scheduling",
    "backup",
    "billing-and-invoicing",
    "blog",
    "budgeting",
    "business-intelligence",
    "business-process-management",
    "cad",
    "call-center-management",
    "cloud-management",
    "collaboration",
    "communications",
    "compliance-management",
    "contact-management",
    "content-management",
    "crm",
    "customer-service-and-support",
    "data-analytics",
    "data-collection",
    "data-visualization",
    "design",
    "design-system",
    "digital-asset-management",
    "digital-citizenship",
    "document-management",
    "donor-management",
    "e-commerce",
    "e-signature",
    "educational-content",
    "email-management",
    "email-marketing",
    "employee-management",
    "enterprise-project-management",
    "enterprise-social-networking",
    "erp",
    "event-management",
    "facility-management",
    "feedback-and-reviews-management",
    "financial-reporting",
    "fleet-management",
    "fundraising",
    "gamification",
    "geographic-information-systems",
    "grant-management",
    "graphic-design",
    "help-desk",
    "hr",
    "ide",
    "identity-management",
    "instant-messaging",
    "inventory-management",
    "it-asset-management",
    "it-development",
    "it-management",
    "it-security",
    "it-service-management",
    "knowledge-management",
    "learning-management-system",
    "marketing",
    "mind-mapping",
    "mobile-marketing",
    "mobile-payment",
    "network-management",
    "office",
    "online-booking",
    "online-community",
    "payment-gateway",
    "payroll",
    "predictive-analysis",
    "procurement",
    "productivity-suite",
    "project-collaboration",
    "project-management",
    "property-management",
    "real-estate-management",
    "remote-support",
    "resource-management",
    "sales-management",
    "seo",
    "service-desk",
    "social-media-management",
    "survey",
    "talent-management",
    "task-management",
    "taxes-management",
    "test-management",
    "time-management",
    "time-tracking",
    "translation",
    "video-conferencing",
    "video-editing",
    "visitor-management",
    "voip",
    "warehouse-management",
    "web-collaboration",
    "web-conferencing",
    "website-builder",
    "whistleblowing",
    "workflow-management",
]

# The categories as people find them: in groups a civil servant recognises, each with a label in
# the reader's language. The value posted and written into the file stays the standard's word (the
# slug); every slug of CATEGORIES is in exactly one group (a test holds this).
CATEGORY_GROUPS = [
    (
        gettext_lazy("Office, collaboration and communication"),
        [
            ("collaboration", gettext_lazy("Collaboration")),
            ("communications", gettext_lazy("Communications")),
            ("email-management", gettext_lazy("E-mail management")),
            ("enterprise-social-networking", gettext_lazy("Enterprise social network (intranet)")),
            ("instant-messaging", gettext_lazy("Instant messaging (chat)")),
            ("mind-mapping", gettext_lazy("Mind mapping")),
            ("office", gettext_lazy("Office software")),
            ("online-community", gettext_lazy("Online community")),
            ("productivity-suite", gettext_lazy("Productivity suite")),
            ("video-conferencing", gettext_lazy("Video conferencing")),
            ("voip", gettext_lazy("Internet telephony (VoIP)")),
            ("web-collaboration", gettext_lazy("Web collaboration")),
            ("web-conferencing", gettext_lazy("Web conferencing (webinars)")),
        ],
    ),
    (
        gettext_lazy("Content, media and knowledge"),
        [
            ("blog", gettext_lazy("Blog")),
            ("cad", gettext_lazy("Computer-aided design (CAD)")),
            ("content-management", gettext_lazy("Content management (CMS)")),
            ("design", gettext_lazy("Design")),
            ("design-system", gettext_lazy("Design system")),
            ("digital-asset-management", gettext_lazy("Digital asset management (media library)")),
            ("document-management", gettext_lazy("Document management (DMS)")),
            ("graphic-design", gettext_lazy("Graphic design")),
            ("knowledge-management", gettext_lazy("Knowledge management")),
            ("translation", gettext_lazy("Translation")),
            ("video-editing", gettext_lazy("Video editing")),
            ("website-builder", gettext_lazy("Website builder")),
        ],
    ),
    (
        gettext_lazy("Data and analysis"),
        [
            ("business-intelligence", gettext_lazy("Business intelligence (BI)")),
            ("data-analytics", gettext_lazy("Data analytics")),
            ("data-collection", gettext_lazy("Data collection")),
            ("data-visualization", gettext_lazy("Data visualisation")),
            (
                "geographic-information-systems",
                gettext_lazy("Geographic information systems (GIS)"),
            ),
            ("predictive-analysis", gettext_lazy("Predictive analysis")),
            ("survey", gettext_lazy("Surveys and questionnaires")),
        ],
    ),
    (
        gettext_lazy("Finance and procurement"),
        [
            ("accounting", gettext_lazy("Accounting")),
            ("billing-and-invoicing", gettext_lazy("Billing and invoicing")),
            ("budgeting", gettext_lazy("Budgeting")),
            ("erp", gettext_lazy("Enterprise resource planning (ERP)")),
            ("financial-reporting", gettext_lazy("Financial reporting")),
            ("grant-management", gettext_lazy("Grant management (subsidies)")),
            ("mobile-payment", gettext_lazy("Mobile payment")),
            ("payment-gateway", gettext_lazy("Online payments (payment gateway)")),
            ("procurement", gettext_lazy("Procurement")),
            ("taxes-management", gettext_lazy("Tax management")),
        ],
    ),
    (
        gettext_lazy("People and organisation (HR)"),
        [
            ("applicant-tracking", gettext_lazy("Recruitment and applicant tracking")),
            ("employee-management", gettext_lazy("Employee management")),
            ("hr", gettext_lazy("Human resources (HR)")),
            ("payroll", gettext_lazy("Payroll")),
            ("talent-management", gettext_lazy("Talent management")),
        ],
    ),
    (
        gettext_lazy("Projects, tasks and time"),
        [
            ("agile-project-management", gettext_lazy("Agile project management")),
            ("business-process-management", gettext_lazy("Business process management (BPM)")),
            ("enterprise-project-management", gettext_lazy("Project portfolio management")),
            ("project-collaboration", gettext_lazy("Project collaboration")),
            ("project-management", gettext_lazy("Project management")),
            ("resource-management", gettext_lazy("Resource planning")),
            ("task-management", gettext_lazy("Task management")),
            ("time-management", gettext_lazy("Time management")),
            ("time-tracking", gettext_lazy("Time tracking (timesheets)")),
            ("workflow-management", gettext_lazy("Workflow management")),
        ],
    ),
    (
        gettext_lazy("IT development and operations"),
        [
            ("application-development", gettext_lazy("Application development")),
            ("backup", gettext_lazy("Backup")),
            ("cloud-management", gettext_lazy("Cloud management")),
            ("ide", gettext_lazy("Integrated development environment (IDE)")),
            ("it-asset-management", gettext_lazy("IT asset management")),
            ("it-development", gettext_lazy("IT development")),
            ("it-management", gettext_lazy("IT management")),
            ("it-service-management", gettext_lazy("IT service management (ITSM)")),
            ("network-management", gettext_lazy("Network management")),
            ("remote-support", gettext_lazy("Remote support")),
            ("service-desk", gettext_lazy("Service desk")),
            ("test-management", gettext_lazy("Test management (software testing)")),
        ],
    ),
    (
        gettext_lazy("Security, identity and compliance"),
        [
            ("compliance-management", gettext_lazy("Compliance management")),
            ("e-signature", gettext_lazy("Electronic signatures")),
            ("identity-management", gettext_lazy("Identity and access management")),
            ("it-security", gettext_lazy("IT security")),
            ("whistleblowing", gettext_lazy("Whistleblowing (reporting misconduct)")),
        ],
    ),
    (
        gettext_lazy("Customers and citizens"),
        [
            ("appointment-scheduling", gettext_lazy("Appointment scheduling")),
            ("call-center-management", gettext_lazy("Call centre management")),
            ("contact-management", gettext_lazy("Contact management")),
            ("crm", gettext_lazy("Customer relationship management (CRM)")),
            ("customer-service-and-support", gettext_lazy("Customer service and support")),
            ("digital-citizenship", gettext_lazy("Digital citizenship (participation)")),
            ("feedback-and-reviews-management", gettext_lazy("Feedback and reviews")),
            ("help-desk", gettext_lazy("Help desk")),
            ("online-booking", gettext_lazy("Online booking (reservations)")),
        ],
    ),
    (
        gettext_lazy("Marketing and sales"),
        [
            ("donor-management", gettext_lazy("Donor management")),
            ("e-commerce", gettext_lazy("E-commerce (online shop)")),
            ("email-marketing", gettext_lazy("E-mail marketing")),
            ("event-management", gettext_lazy("Event management")),
            ("fundraising", gettext_lazy("Fundraising")),
            ("marketing", gettext_lazy("Marketing")),
            ("mobile-marketing", gettext_lazy("Mobile marketing")),
            ("sales-management", gettext_lazy("Sales management")),
            ("seo", gettext_lazy("Search engine optimisation (SEO)")),
            ("social-media-management", gettext_lazy("Social media management")),
        ],
    ),
    (
        gettext_lazy("Facilities, property and logistics"),
        [
            ("facility-management", gettext_lazy("Facility management")),
            ("fleet-management", gettext_lazy("Fleet management (vehicles)")),
            ("inventory-management", gettext_lazy("Inventory management")),
            ("property-management", gettext_lazy("Property management")),
            ("real-estate-management", gettext_lazy("Real estate management")),
            ("visitor-management", gettext_lazy("Visitor management (reception)")),
            ("warehouse-management", gettext_lazy("Warehouse management")),
        ],
    ),
    (
        gettext_lazy("Learning and education"),
        [
            ("educational-content", gettext_lazy("Educational content")),
            ("gamification", gettext_lazy("Gamification")),
            ("learning-management-system", gettext_lazy("Learning management system (LMS)")),
        ],
    ),
]


def _sort_key(text):
    """Alphabetical in any language: accents and case do not count (Éénmalig next to Eenmalig)."""
    decomposed = unicodedata.normalize("NFD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def category_choices():
    """The categories as grouped choices, each group sorted by its labels in the current language.

    A callable, so that a form field evaluates it at every use (the language is the request's).
    """
    return [
        (group, sorted(categories, key=lambda category: _sort_key(category[1])))
        for group, categories in CATEGORY_GROUPS
    ]


# --- Licences (SPDX) ---------------------------------------------------------------------------

# The licences a government organisation usually chooses from, EUPL-1.2 first; the generator offers
# these. Every id here is also in KNOWN_LICENCES.
COMMON_LICENCES = [
    ("EUPL-1.2", "European Union Public Licence 1.2 (EUPL-1.2)"),
    ("MIT", "MIT"),
    ("Apache-2.0", "Apache License 2.0"),
    ("AGPL-3.0-or-later", "GNU AGPL 3.0 or later"),
    ("AGPL-3.0-only", "GNU AGPL 3.0 only"),
    ("GPL-3.0-or-later", "GNU GPL 3.0 or later"),
    ("GPL-3.0-only", "GNU GPL 3.0 only"),
    ("GPL-2.0-or-later", "GNU GPL 2.0 or later"),
    ("LGPL-3.0-or-later", "GNU LGPL 3.0 or later"),
    ("LGPL-2.1-or-later", "GNU LGPL 2.1 or later"),
    ("MPL-2.0", "Mozilla Public License 2.0"),
    ("BSD-3-Clause", "BSD 3-Clause"),
    ("BSD-2-Clause", "BSD 2-Clause"),
    ("CC0-1.0", "Creative Commons Zero 1.0 (CC0-1.0)"),
    ("CC-BY-4.0", "Creative Commons Attribution 4.0 (CC-BY-4.0)"),
]
KNOWN_LICENCES = {
    licence_id.lower(): licence_id
    for licence_id in [
        *(licence for licence, _label in COMMON_LICENCES),
        *[
            "EUPL-1.0",
            "EUPL-1.1",
            "MIT-0",
            "Apache-1.0",
            "Apache-1.1",
            "GPL-1.0-only",
            "GPL-1.0-or-later",
            "GPL-2.0-only",
            "LGPL-2.0-only",
            "LGPL-2.0-or-later",
            "LGPL-2.1-only",
            "LGPL-3.0-only",
            "MPL-1.1",
            "MPL-2.0-no-copyleft-exception",
            "BSD-3-Clause-Clear",
            "BSD-4-Clause",
            "0BSD",
            "ISC",
            "CC-BY-3.0",
            "CC-BY-SA-3.0",
            "CC-BY-SA-4.0",
            "Unlicense",
            "Zlib",
            "EPL-1.0",
            "EPL-2.0",
            "OSL-3.0",
            "AFL-3.0",
            "Artistic-2.0",
            "BSL-1.0",
            "PostgreSQL",
            "Python-2.0",
            "PSF-2.0",
            "OFL-1.1",
            "ODbL-1.0",
            "CDDL-1.0",
            "CDDL-1.1",
            "CECILL-2.1",
            "CECILL-B",
            "CECILL-C",
            "EUDatagrid",
            "LiLiQ-P-1.1",
            "LiLiQ-R-1.1",
            "LiLiQ-Rplus-1.1",
            "MS-PL",
            "MS-RL",
            "NCSA",
            "UPL-1.0",
            "Unicode-DFS-2016",
            "W3C",
            "X11",
            "WTFPL",
            "ECL-2.0",
            "EFL-2.0",
            "CPAL-1.0",
            "OSL-2.1",
            "LPPL-1.3c",
            "Vim",
            "BlueOak-1.0.0",
            "OGL-UK-3.0",
            "DL-DE-BY-2.0",
        ],
    ]
}
# Deprecated SPDX ids and what to write instead.
DEPRECATED_LICENCES = {
    "gpl-2.0": "GPL-2.0-only",
    "gpl-2.0+": "GPL-2.0-or-later",
    "gpl-3.0": "GPL-3.0-only",
    "gpl-3.0+": "GPL-3.0-or-later",
    "lgpl-2.1": "LGPL-2.1-only",
    "lgpl-2.1+": "LGPL-2.1-or-later",
    "lgpl-3.0": "LGPL-3.0-only",
    "lgpl-3.0+": "LGPL-3.0-or-later",
    "agpl-3.0": "AGPL-3.0-only",
}
KNOWN_EXCEPTIONS = {
    exception.lower(): exception
    for exception in [
        "Classpath-exception-2.0",
        "LLVM-exception",
        "GCC-exception-3.1",
        "GCC-exception-2.0",
        "Autoconf-exception-3.0",
        "Bison-exception-2.2",
        "Font-exception-2.0",
        "Qt-GPL-exception-1.0",
        "Qt-LGPL-exception-1.1",
        "u-boot-exception-2.0",
        "Linux-syscall-note",
        "WxWindows-exception-3.1",
        "eCos-exception-2.0",
        "openvpn-openssl-exception",
        "GPL-3.0-linking-exception",
        "GPL-3.0-linking-source-exception",
        "LGPL-3.0-linking-exception",
        "Universal-FOSS-exception-1.0",
        "OCaml-LGPL-linking-exception",
    ]
}
_LICENCE_CHARACTER = re.compile(r"[^A-Za-z0-9.+:()\s-]")
_IDSTRING = re.compile(r"^[A-Za-z0-9.-]+\+?$")
_LICENCE_REF = re.compile(r"^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$")
_OPERATOR = re.compile(r"(?<![A-Za-z0-9.+:-])(?:and|or|with)(?![A-Za-z0-9.+:-])", re.IGNORECASE)


class LicenceExpressionError(ValueError):
    """A licence expression that is not valid SPDX."""


@functools.cache
def _spdx():
    """The SPDX ids the ``license-expression`` library ships (its licence index), and ours.

    Returns ``(licences, exceptions, licensing)``: the two lower-cased id -> id maps and a
    :class:`license_expression.Licensing` that knows every one of them, so that its tokenizer sees
    ``MIT Apache-2.0`` as two ids (and not as one unknown name). Deprecated SPDX ids are left out
    on purpose: :data:`DEPRECATED_LICENCES` names what to write instead, the others stay unknown.
    """
    licences = {}
    exceptions = {}
    for entry in get_license_index():
        spdx_id = entry.get("spdx_license_key") or ""
        if not spdx_id or spdx_id.startswith("LicenseRef-") or entry.get("is_deprecated"):
            continue
        if not _IDSTRING.match(spdx_id) or spdx_id.endswith("+"):
            continue
        (exceptions if entry.get("is_exception") else licences)[spdx_id.lower()] = spdx_id
    licences.update(KNOWN_LICENCES)
    exceptions.update(KNOWN_EXCEPTIONS)
    # The index files MPL-2.0-no-copyleft-exception under exceptions; SPDX lists it as a licence.
    exceptions = {key: value for key, value in exceptions.items() if key not in licences}
    licensing = Licensing(
        [LicenseSymbol(key) for key in licences.values()]
        + [LicenseSymbol(key, is_exception=True) for key in exceptions.values()]
    )
    # Built now, before another thread can see it: the library builds its tokenizer on first use
    # and publishes it before it is filled.
    licensing.get_advanced_tokenizer()
    return licences, exceptions, licensing


def parse_licence(expression):
    """Parse an SPDX licence expression; return ``(tree, warnings)`` or raise ValueError.

    The grammar (SPDX 2.3, annex D: ``AND`` binds tighter than ``OR``, ``WITH`` tighter still,
    parentheses) is the ``license-expression`` library's; this function adds what SPDX asks and
    the library lets pass: operators are either all upper or all lower case, every id must be a
    known SPDX licence id (optionally with ``+``) or a ``LicenseRef-``, and only exceptions follow
    ``WITH``. It also says what is wrong in the reader's language. The tree is nested tuples such
    as ``("OR", ("id", "MIT"), ("AND", ...))``; warnings are messages about deprecated or unknown
    (LicenseRef) licences.
    """
    other = _LICENCE_CHARACTER.search(expression)
    if other:
        raise LicenceExpressionError(
            _("The character “%(char)s” cannot appear in a licence expression.")
            % {"char": other.group()}
        )
    if not expression.strip():
        raise LicenceExpressionError(_("The licence expression is empty."))
    for operator in _OPERATOR.finditer(expression):
        word = operator.group()
        if word not in (word.upper(), word.lower()):
            raise LicenceExpressionError(
                _(
                    "Unexpected “%(token)s” in the licence expression; combine licences with AND "
                    "or OR."
                )
                % {"token": word}
            )
    licences, exceptions, licensing = _spdx()
    try:
        parsed = licensing.parse(expression, validate=False, strict=False, simple=False)
    except ParseError as error:
        raise _parse_error(error, expression) from error
    except (ExpressionError, IndexError, AssertionError) as error:
        # The library says "AND requires two or more licenses" for "MIT AND", and fails on "()"
        # and "MIT AND (OR X)" without a message of its own.
        raise LicenceExpressionError(_("The licence expression ends too early.")) from error
    warnings = []
    return _licence_tree(parsed, licences, exceptions, warnings), warnings


def _parse_error(error, expression):
    """Our message for one of the library's parse errors."""
    token = error.token_string or ""
    if error.error_code == PARSE_UNBALANCED_CLOSING_PARENS:
        return LicenceExpressionError(_("A closing parenthesis has no opening one."))
    if error.error_code == PARSE_INVALID_OPERATOR_SEQUENCE:
        return LicenceExpressionError(
            _("A licence is missing before “%(operator)s”.") % {"operator": token}
        )
    if error.error_code == PARSE_INVALID_SYMBOL_SEQUENCE:
        return LicenceExpressionError(
            _("Unexpected “%(token)s” in the licence expression; combine licences with AND or OR.")
            % {"token": token}
        )
    if token.upper() == "WITH":
        before = expression[: error.position].strip()
        after = expression[error.position + len(token) :].split()
        if not before:
            return LicenceExpressionError(
                _("A licence is missing before “%(operator)s”.") % {"operator": token}
            )
        if after and not after[0].startswith("(") and after[0].upper() not in ("AND", "OR"):
            # "(MIT OR ISC) WITH ..." or "MIT WITH A WITH B": the exception is there, what
            # stands before WITH is not one licence.
            return LicenceExpressionError(
                _(
                    "WITH can only follow a single licence id, such as "
                    "“GPL-2.0-or-later WITH Classpath-exception-2.0”."
                )
            )
        return LicenceExpressionError(_("WITH must be followed by a licence exception."))
    if error.error_code in (PARSE_INVALID_SYMBOL_AS_EXCEPTION, PARSE_INVALID_EXCEPTION):
        return LicenceExpressionError(
            _("“%(exception)s” is not a known SPDX licence exception.") % {"exception": token}
        )
    if expression.count("(") > expression.count(")"):
        return LicenceExpressionError(_("A parenthesis is not closed."))
    return LicenceExpressionError(_("The licence expression ends too early."))


def _licence_tree(node, licences, exceptions, warnings):
    """The library's expression as our tuples (AND and OR as left-nested pairs), ids checked."""
    if isinstance(node, LicenseWithExceptionSymbol):
        exception = node.exception_symbol.key
        if exception.lower() not in exceptions:
            raise LicenceExpressionError(
                _("“%(exception)s” is not a known SPDX licence exception.")
                % {"exception": exception}
            )
        licence = _licence_id(node.license_symbol.key, licences, exceptions, warnings)
        return ("WITH", licence, exceptions[exception.lower()])
    if isinstance(node, LicenseSymbol):
        return _licence_id(node.key, licences, exceptions, warnings)
    operator = "AND" if isinstance(node, AND) else "OR"
    children = [_licence_tree(child, licences, exceptions, warnings) for child in node.args]
    tree = children[0]
    for child in children[1:]:
        tree = (operator, tree, child)
    return tree


def _licence_id(word, licences, exceptions, warnings):
    if _LICENCE_REF.match(word):
        warnings.append(
            _("“%(licence)s” is a licence of your own, not a known open-source licence.")
            % {"licence": word}
        )
        return ("ref", word)
    if not _IDSTRING.match(word):
        raise LicenceExpressionError(
            _("“%(licence)s” is not a valid licence id.") % {"licence": word}
        )
    lowered = word.lower()
    if lowered in DEPRECATED_LICENCES:
        warnings.append(
            _("“%(licence)s” is a deprecated SPDX id; write “%(instead)s” instead.")
            % {"licence": word, "instead": DEPRECATED_LICENCES[lowered]}
        )
        return ("id", DEPRECATED_LICENCES[lowered])
    plus = lowered.endswith("+")
    base = lowered.removesuffix("+")
    if base not in licences:
        raise LicenceExpressionError(
            _("“%(licence)s” is not a known SPDX licence id (such as EUPL-1.2 or MIT).")
            % {"licence": word}
        )
    return ("id", licences[base] + ("+" if plus else ""))


# --- Language tags (BCP 47) --------------------------------------------------------------------


def is_language_tag(value):
    """Whether ``value`` is a valid BCP 47 language tag with a primary language subtag.

    ``langcodes`` parses the tag and checks every subtag against the IANA registry (so ``xx`` or
    ``nl-Latx`` are refused, which a syntax check alone let pass). It is called without its
    ``Language.get`` cache: that cache keeps every tag it ever saw, and these tags come from
    anyone. Only the 26 grandfathered tags (``i-klingon``) go through it, a closed list.
    """
    if not isinstance(value, str) or "_" in value:  # langcodes reads nl_NL as nl-NL; BCP 47 not
        return False
    try:
        subtags = parse_tag(value)
    except LanguageTagError:
        return False
    if subtags and subtags[0][0] == "grandfathered":
        return langcodes.tag_is_valid(value)
    fields = {}
    for kind, subtag in subtags:
        if kind in ("extlang", "variant", "extension"):
            fields.setdefault(f"{kind}s", []).append(subtag)
        else:
            fields[kind] = subtag
    language = fields.get("language") or "x-"
    if language.startswith("x-"):  # private use only ("x-foo"): no primary language
        return False
    return Language(**fields).is_valid()


# --- Reports -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    path: str  # "" for the file as a whole
    message: str
    severity: str = ERROR
    line: int | None = None
    column: int | None = None

    @property
    def is_error(self):
        return self.severity == ERROR


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    data: object = None  # the parsed document, when it could be read

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self):
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def is_valid(self):
        return not self.errors

    def paths(self, severity=None):
        """The key paths with problems (of one severity), in the order found."""
        return [p.path for p in self.problems if severity is None or p.severity == severity]


class _Collector:
    """Gathers problems while checking; knows where each key path sits in the file."""

    def __init__(self, marks=None):
        self.problems = []
        self.marks = marks or {}

    def add(self, path, message, severity=ERROR):
        line, column = self.marks.get(path, (None, None))
        self.problems.append(Problem(path, str(message), severity, line, column))

    def warn(self, path, message):
        self.add(path, message, WARNING)


def join(path, key):
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _describe(value):
    """What a person would call the value's type."""
    if value is None:
        return _("nothing (an empty value)")
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, datetime.datetime):
        return _("a date and time")
    if isinstance(value, datetime.date):
        return _("a date")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping (keys with values)")
    return _("something else")


def _wrong_type(report, path, value, expected):
    message = _("Expected %(expected)s, found %(found)s.") % {
        "expected": expected,
        "found": _describe(value),
    }
    if isinstance(value, int | float) and not isinstance(value, bool) and expected == _("text"):
        message += " " + _("Put the value in quotes to make it text.")
    report.add(path, message)


# --- The schema: small checkers that each know one kind of value ----------------------------------


class Spec:
    deprecated = False

    def check(self, value, path, report):
        raise NotImplementedError


class Text(Spec):
    def __init__(self, min_length=None, max_length=None, deprecated=False):
        self.min_length = min_length
        self.max_length = max_length
        self.deprecated = deprecated

    def check(self, value, path, report):
        if not isinstance(value, str):
            _wrong_type(report, path, value, _("text"))
            return False
        if not value.strip():
            report.add(path, _("This must not be empty."))
            return False
        if self.max_length is not None and len(value) > self.max_length:
            report.add(
                path,
                _("At most %(max)s characters are allowed; this has %(length)s.")
                % {"max": self.max_length, "length": len(value)},
            )
            return False
        if self.min_length is not None and len(value.strip()) < self.min_length:
            report.add(
                path,
                _("At least %(min)s characters are needed; this has %(length)s.")
                % {"min": self.min_length, "length": len(value.strip())},
            )
            return False
        return True


class Url(Text):
    def __init__(self, schemes=("http", "https"), deprecated=False):
        super().__init__(deprecated=deprecated)
        self.schemes = schemes

    def check(self, value, path, report):
        if not super().check(value, path, report):
            return False
        try:
            parts = urlsplit(value.strip())
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in self.schemes or not parts.netloc:
            report.add(
                path,
                _("This must be a full web address starting with %(schemes)s.")
                % {"schemes": _(" or ").join(f"{scheme}://" for scheme in self.schemes)},
            )
            return False
        return True


class Email(Text):
    def check(self, value, path, report):
        if not super().check(value, path, report):
            return False
        try:
            validate_email(value.strip())
        except ValidationError:
            report.add(path, _("This is not a valid e-mail address."))
            return False
        return True


class Date(Spec):
    _pattern = re.compile(r"^\d{4}-\d{2}-\d{2}$")

    def check(self, value, path, report):
        if isinstance(value, datetime.datetime):
            report.add(path, _("Only a date is allowed here (YYYY-MM-DD), without a time."))
            return False
        if isinstance(value, datetime.date):
            return True
        if not isinstance(value, str):
            _wrong_type(report, path, value, _("a date (YYYY-MM-DD)"))
            return False
        if self._pattern.match(value):
            try:
                datetime.date.fromisoformat(value)
                return True
            except ValueError:
                pass
        report.add(path, _("This must be a date written as YYYY-MM-DD, such as 2025-01-31."))
        return False


class Bool(Spec):
    def check(self, value, path, report):
        if not isinstance(value, bool):
            _wrong_type(report, path, value, _("true or false"))
            return False
        return True


class Choice(Text):
    """One of a fixed list of values; with ``open_list`` other text is allowed too."""

    def __init__(self, choices, open_list=False):
        super().__init__()
        self.values = (
            [value for value, *_label in choices]
            if choices and isinstance(choices[0], tuple)
            else list(choices)
        )
        self.open_list = open_list

    def check(self, value, path, report):
        if not super().check(value, path, report):
            return False
        if value not in self.values and not self.open_list:
            allowed = ", ".join(self.values)
            if len(self.values) > 12:
                message = _(
                    "“%(value)s” is not one of the values of the standard's list; "
                    "see yml.publiccode.tools for the list."
                ) % {"value": value}
            else:
                message = _("“%(value)s” is not allowed here; use one of: %(allowed)s.") % {
                    "value": value,
                    "allowed": allowed,
                }
            report.add(path, message)
            return False
        return True


class Version(Text):
    _pattern = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$")

    def check(self, value, path, report):
        if not super().check(value, path, report):
            return False
        match = self._pattern.match(value.strip())
        if not match:
            report.add(path, _("This must be a version of the standard, such as “0.4”."))
            return False
        major, minor = int(match[1]), int(match[2] or 0)
        if major != 0:
            report.add(
                path, _("Version %(version)s of the standard does not exist.") % {"version": value}
            )
            return False
        if match[2] is not None and (major, minor) < MIN_VERSION:
            report.warn(
                path,
                _(
                    "Version %(version)s is old; this check follows version 0.4 and later. "
                    "Consider updating the file."
                )
                % {"version": value},
            )
        return True


class Licence(Text):
    def check(self, value, path, report):
        if not super().check(value, path, report):
            return False
        try:
            _tree, warnings = parse_licence(value)
        except LicenceExpressionError as error:
            report.add(path, str(error))
            return False
        for warning in warnings:
            report.warn(path, warning)
        return True


class LanguageTag(Text):
    def check(self, value, path, report):
        if not super().check(value, path, report):
            return False
        if not is_language_tag(value):
            report.add(
                path,
                _("“%(value)s” is not a BCP 47 language tag, such as “nl” or “en-GB”.")
                % {"value": value},
            )
            return False
        return True


class ListOf(Spec):
    def __init__(self, item, min_items=0, single_allowed=False, deprecated=False):
        self.item = item
        self.min_items = min_items
        self.single_allowed = single_allowed  # a single value instead of a list is allowed
        self.deprecated = deprecated

    def check(self, value, path, report):
        if self.single_allowed and not isinstance(value, list | dict):
            return self.item.check(value, path, report)
        if not isinstance(value, list):
            _wrong_type(report, path, value, _("a list"))
            return False
        if len(value) < self.min_items:
            report.add(path, _("At least one item is needed."))
            return False
        ok = True
        for index, item in enumerate(value):
            ok = self.item.check(item, join(path, index), report) and ok
        return ok


class Anything(Spec):
    """A country-specific section: it must be a mapping; its keys belong to that country."""

    def check(self, value, path, report):
        if not isinstance(value, dict):
            _wrong_type(report, path, value, _("a mapping (keys with values)"))
            return False
        return True


class Mapping(Spec):
    def __init__(self, fields, required=(), other_keys=None, deprecated=False):
        self.fields = fields
        self.required = required
        self.other_keys = other_keys  # a function (key) -> Spec or None for keys outside ``fields``
        self.deprecated = deprecated

    def check(self, value, path, report):
        if not isinstance(value, dict):
            _wrong_type(report, path, value, _("a mapping (keys with values)"))
            return False
        ok = True
        for key in self.required:
            if key not in value:
                report.add(join(path, key), _("This key is required."))
                ok = False
        for key, item in value.items():
            key_path = join(path, key)
            spec = self.fields.get(key) if isinstance(key, str) else None
            if spec is None and self.other_keys is not None and isinstance(key, str):
                spec = self.other_keys(key)
            if spec is None:
                report.warn(
                    key_path,
                    _("Unknown key “%(key)s”: the standard does not define it here.")
                    % {"key": key},
                )
                continue
            if spec.deprecated:
                report.warn(key_path, _("This key is deprecated in the standard."))
            ok = spec.check(item, key_path, report) and ok
        return ok


class Languages(Spec):
    """``description``: one section per language, keyed by BCP 47 tag."""

    def __init__(self, section):
        self.section = section

    def check(self, value, path, report):
        if not isinstance(value, dict):
            _wrong_type(report, path, value, _("a mapping (keys with values)"))
            return False
        if not value:
            report.add(path, _("Describe the software in at least one language."))
            return False
        ok = True
        for language, section in value.items():
            language_path = join(path, language)
            if not is_language_tag(language):
                report.add(
                    language_path,
                    _("“%(value)s” is not a BCP 47 language tag, such as “nl” or “en-GB”.")
                    % {"value": language},
                )
                ok = False
                continue
            ok = self.section.check(section, language_path, report) and ok
        for key in ("longDescription", "features"):
            if not any(isinstance(s, dict) and key in s for s in value.values()):
                first = next(iter(value))
                report.add(
                    join(join(path, first), key),
                    _("This key is required in at least one language."),
                )
                ok = False
        return ok


_DEPENDENCY = Mapping(
    {
        "name": Text(),
        "versionMin": Text(),
        "versionMax": Text(),
        "version": Text(),
        "optional": Bool(),
    },
    required=("name",),
)
_CONTACT = Mapping(
    {"name": Text(), "email": Email(), "phone": Text(), "affiliation": Text()},
    required=("name",),
)
_CONTRACTOR = Mapping(
    {"name": Text(), "until": Date(), "email": Email(), "website": Url()},
    required=("name", "until"),
)
_DESCRIPTION = Mapping(
    {
        "localisedName": Text(),
        "genericName": Text(max_length=GENERIC_NAME_MAX, deprecated=True),
        "shortDescription": Text(max_length=SHORT_DESCRIPTION_MAX),
        "longDescription": Text(min_length=LONG_DESCRIPTION_MIN, max_length=LONG_DESCRIPTION_MAX),
        "documentation": Url(),
        "apiDocumentation": Url(),
        "features": ListOf(Text(), min_items=1),
        "screenshots": ListOf(Text()),
        "videos": ListOf(Url()),
        "awards": ListOf(Text()),
    },
    required=("shortDescription",),
)
_COUNTRY_CODE = re.compile(r"^[a-z]{2}$")

# The top level, in the standard's order (which is also the order generate() writes).
TOP_LEVEL = Mapping(
    {
        "publiccodeYmlVersion": Version(),
        "name": Text(),
        "applicationSuite": Text(),
        "url": Url(schemes=("http", "https", "git", "ssh", "svn")),
        "landingURL": Url(),
        "isBasedOn": ListOf(
            Url(schemes=("http", "https", "git", "ssh", "svn")), single_allowed=True
        ),
        "organizationUri": Text(),
        "softwareVersion": Text(),
        "releaseDate": Date(),
        "logo": Text(),
        "monochromeLogo": Text(deprecated=True),
        "inputTypes": ListOf(Text(), deprecated=True),
        "outputTypes": ListOf(Text(), deprecated=True),
        "platforms": ListOf(Choice(PLATFORMS, open_list=True), min_items=1, single_allowed=True),
        "categories": ListOf(Choice(CATEGORIES)),
        "usedBy": ListOf(Text()),
        "roadmap": Url(),
        "developmentStatus": Choice(DEVELOPMENT_STATUSES),
        "softwareType": Choice(SOFTWARE_TYPES),
        "intendedAudience": Mapping(
            {
                "countries": ListOf(Text()),
                "unsupportedCountries": ListOf(Text()),
                "scope": ListOf(Text()),
            }
        ),
        "description": Languages(_DESCRIPTION),
        "legal": Mapping(
            {
                "license": Licence(),
                "mainCopyrightOwner": Text(),
                "repoOwner": Text(),
                "authorsFile": Text(deprecated=True),
            },
            required=("license",),
        ),
        "maintenance": Mapping(
            {
                "type": Choice(MAINTENANCE_TYPES),
                "contractors": ListOf(_CONTRACTOR),
                "contacts": ListOf(_CONTACT),
            },
            required=("type",),
        ),
        "localisation": Mapping(
            {"localisationReady": Bool(), "availableLanguages": ListOf(LanguageTag(), min_items=1)},
            required=("localisationReady", "availableLanguages"),
        ),
        "dependsOn": Mapping(
            {
                "open": ListOf(_DEPENDENCY),
                "proprietary": ListOf(_DEPENDENCY),
                "hardware": ListOf(_DEPENDENCY),
            }
        ),
    },
    required=(
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ),
    # Country-specific sections are named by their lowercase ISO 3166-1 alpha-2 code ("it").
    other_keys=lambda key: Anything() if _COUNTRY_CODE.match(key) else None,
)


def _check_maintenance(data, report):
    """What the standard requires beyond the shape: contacts or contractors per maintenance type."""
    maintenance = data.get("maintenance")
    if not isinstance(maintenance, dict):
        return
    kind = maintenance.get("type")
    if kind in CONTACTS_REQUIRED_FOR and not maintenance.get("contacts"):
        report.add(
            "maintenance.contacts",
            _("Name at least one contact when the maintenance type is “%(type)s”.")
            % {"type": kind},
        )
    if kind in CONTRACTORS_REQUIRED_FOR and not maintenance.get("contractors"):
        report.add(
            "maintenance.contractors",
            _("Name at least one contractor when the maintenance type is “%(type)s”.")
            % {"type": kind},
        )


def validate_data(data, marks=None):
    """Check an already parsed document against the standard; return a :class:`Report`."""
    report = _Collector(marks)
    if not isinstance(data, dict):
        if data is None:
            report.add("", _("The file is empty."))
        else:
            report.add(
                "",
                _("The file must be a mapping of keys with values, not %(found)s.")
                % {"found": _describe(data)},
            )
        return Report(report.problems, data)
    TOP_LEVEL.check(data, "", report)
    _check_maintenance(data, report)
    return Report(report.problems, data)


# --- Reading YAML safely -----------------------------------------------------------------------

# Tags that resolve to plain data. Everything else (!!python/..., !!binary, !!set, custom tags)
# is refused before anything is built.
SAFE_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(Exception):
    def __init__(self, message, mark=None):
        super().__init__(message)
        self.message = message
        self.mark = mark


def _position(mark):
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _at(mark):
    line, column = _position(mark)
    if line is None:
        return ""
    return " " + _("(line %(line)s, column %(column)s)") % {"line": line, "column": column}


def _scan(text):
    """The first pass: events only. Refuse aliases, anchors, unsafe tags, depth, documents."""
    depth = 0
    documents = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                _("Aliases (*name) are not allowed in a publiccode.yml."), event.start_mark
            )
        if getattr(event, "anchor", None) is not None:
            raise _Refused(
                _("Anchors (&name) are not allowed in a publiccode.yml."), event.start_mark
            )
        tag = getattr(event, "tag", None)
        if isinstance(event, yaml.NodeEvent) and tag not in SAFE_TAGS:
            raise _Refused(
                _("The tag “%(tag)s” is not allowed; only plain YAML values are.") % {"tag": tag},
                event.start_mark,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(
                    _("The file is nested more than %(depth)s levels deep.") % {"depth": MAX_DEPTH},
                    event.start_mark,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused(
                    _("The file holds more than one YAML document; it must hold one."),
                    event.start_mark,
                )


class _Builder:
    """Turns composed nodes into Python values, noting duplicate keys and each path's position."""

    def __init__(self, report):
        self.report = report
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node, path):
        self.report.marks.setdefault(path, _position(node.start_mark))
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.report.marks.setdefault(path, _position(key_node.start_mark))
                    self.report.add(path, _("Keys must be plain text, not a list or mapping."))
                    continue
                key = self.constructor.construct_object(key_node)
                if not isinstance(key, str):
                    key = str(key) if not isinstance(key, bool) else str(key).lower()
                key_path = join(path, key)
                if key in result:
                    self.report.marks[key_path] = _position(key_node.start_mark)
                    self.report.add(
                        key_path,
                        _("The key “%(key)s” appears more than once.") % {"key": key},
                    )
                    continue
                result[key] = self.build(value_node, key_path)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, join(path, index)) for index, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError):
            # A value that looks like a date or number but is none, such as 2025-13-45.
            self.report.add(
                path, _("“%(value)s” cannot be read as a value.") % {"value": node.value}
            )
            return node.value


def _decode(raw):
    """Bytes to text; the problem message when they are not UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, _(
            "The file is not UTF-8 encoded (the first wrong byte is at line %(line)s, "
            "byte %(byte)s). Save it as UTF-8 and try again."
        ) % {"line": line, "byte": error.start + 1}


def validate_text(text_or_bytes):
    """Read a publiccode.yml (text or bytes) safely and check it; return a :class:`Report`."""
    collector = _Collector()
    if isinstance(text_or_bytes, str):
        size = len(text_or_bytes.encode("utf-8", errors="surrogatepass"))
    else:
        size = len(text_or_bytes)
    if size > MAX_BYTES:
        collector.add(
            "",
            _("The file is %(size)s bytes; at most %(max)s bytes (1 MiB) are accepted.")
            % {"size": size, "max": MAX_BYTES},
        )
        return Report(collector.problems)
    if isinstance(text_or_bytes, bytes | bytearray):
        text, problem = _decode(bytes(text_or_bytes))
        if problem:
            collector.add("", problem)
            return Report(collector.problems)
    else:
        text = text_or_bytes.removeprefix("\ufeff")
        if any("\ud800" <= char <= "\udfff" for char in text):
            collector.add("", _("The text holds characters that are not valid Unicode."))
            return Report(collector.problems)
    if not text.strip():
        collector.add("", _("The file is empty."))
        return Report(collector.problems)
    try:
        _scan(text)
        node = yaml.compose(text, Loader=_Loader)
        data = None if node is None else _Builder(collector).build(node, "")
    except _Refused as refused:
        line, column = _position(refused.mark)
        collector.problems.append(
            Problem("", refused.message + _at(refused.mark), ERROR, line, column)
        )
        return Report(collector.problems)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or str(error)
        line, column = _position(mark)
        if line is None:
            collector.add("", _("The YAML cannot be read: %(problem)s") % {"problem": problem})
        else:
            collector.problems.append(
                Problem(
                    "",
                    _("YAML syntax error at line %(line)s, column %(column)s: %(problem)s")
                    % {"line": line, "column": column, "problem": problem},
                    ERROR,
                    line,
                    column,
                )
            )
        return Report(collector.problems)
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as error:
        collector.add("", _("The YAML cannot be read: %(problem)s") % {"problem": error})
        return Report(collector.problems)
    if collector.problems:  # duplicate keys, keys that are lists: report them with the rest
        report = validate_data(data, collector.marks)
        seen = {problem.path for problem in collector.problems}
        report.problems = collector.problems + [p for p in report.problems if p.path not in seen]
        return report
    return validate_data(data, collector.marks)


# --- Generating ----------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Safe dumping; text of several lines as a literal block, lists indented under their key."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_text(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def _text(value):
    """Form text, trimmed, with the browser's CRLF line ends made LF."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _lines(value):
    if isinstance(value, list | tuple):
        return [_text(item) for item in value if _text(item)]
    return [line.strip() for line in _text(value).split("\n") if line.strip()]


def build_document(data):
    """The publiccode.yml document (a dict in the standard's order) for cleaned generator data.

    Keys of ``data``: name, url, landing_url, software_version, release_date (date or None),
    development_status, software_type, platforms, categories, licence, maintenance_type,
    contacts (list of {"name", "email"}), contractor_name, contractor_until, localisation_ready,
    available_languages, description_nl_short/long/features and description_en_short/long/features.
    """
    document = {"publiccodeYmlVersion": GENERATED_VERSION, "name": _text(data.get("name"))}
    document["url"] = _text(data.get("url"))
    if _text(data.get("landing_url")):
        document["landingURL"] = _text(data["landing_url"])
    if _text(data.get("software_version")):
        document["softwareVersion"] = _text(data["software_version"])
    release_date = data.get("release_date")
    if release_date:
        document["releaseDate"] = (
            release_date.isoformat() if isinstance(release_date, datetime.date) else release_date
        )
    document["platforms"] = list(data.get("platforms") or [])
    if data.get("categories"):
        document["categories"] = list(data["categories"])
    document["developmentStatus"] = data.get("development_status")
    document["softwareType"] = data.get("software_type")
    description = {}
    for language in ("nl", "en"):
        section = {}
        short = _text(data.get(f"description_{language}_short"))
        long = _text(data.get(f"description_{language}_long"))
        features = _lines(data.get(f"description_{language}_features"))
        if not (short or long or features):
            continue
        section["shortDescription"] = short
        if long:
            section["longDescription"] = long
        if features:
            section["features"] = features
        description[language] = section
    document["description"] = description
    document["legal"] = {"license": _text(data.get("licence"))}
    maintenance = {"type": data.get("maintenance_type")}
    if _text(data.get("contractor_name")):
        contractor = {"name": _text(data["contractor_name"])}
        until = data.get("contractor_until")
        contractor["until"] = until.isoformat() if isinstance(until, datetime.date) else until
        maintenance["contractors"] = [contractor]
    contacts = []
    for contact in data.get("contacts") or []:
        if _text(contact.get("name")):
            entry = {"name": _text(contact["name"])}
            if _text(contact.get("email")):
                entry["email"] = _text(contact["email"])
            contacts.append(entry)
    if contacts:
        maintenance["contacts"] = contacts
    document["maintenance"] = maintenance
    document["localisation"] = {
        "localisationReady": bool(data.get("localisation_ready")),
        "availableLanguages": list(data.get("available_languages") or []),
    }
    return document


def dump(document):
    """YAML text of a document: safe, UTF-8 characters as they are, keys in the given order."""
    return yaml.dump(
        document,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )


def generate(data):
    """The publiccode.yml text for cleaned generator form data (see :func:`build_document`)."""
    return dump(build_document(data))
