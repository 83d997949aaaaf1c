"""The visible article text of a web page, with paragraphs kept.

Scripts, styles, navigation, headers, footers, forms, asides and the usual
cookie/subscribe/share/comment boxes are dropped; the text comes from the
page's ``<article>`` (else ``<main>``, else ``<body>``), one block element
(heading, paragraph, list item, quote) a paragraph. Title, outlet, URL and
publication time come from the page's metadata where it has them.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

_DROPPED_TAGS = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, dialog, menu"
_CLUTTER = re.compile(
    r"cookie|consent|gdpr|banner|subscri|newsletter|paywall|share|social|comment|related|recommend|promo|advert|\bad\b|"
    r"sidebar|sign-?in|log-?in|breadcrumb|menu|popup|modal",
    re.I,
)
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "figcaption", "dd", "dt", "td", "th")
_SPACE = re.compile(r"\s+")

# The HTML tree builder checks the open elements on every start tag, so a page
# of elements nested N deep takes time N² (200,000 nested <div>s: 90 s). No
# real page nests a thousand deep: elements past MAX_DEPTH lose their tags
# (their text stays) before the page is parsed, which keeps parsing linear.
MAX_DEPTH = 512
_RAW_TEXT = "script|style|textarea|title|xmp|noscript|plaintext"  # their content holds no tags
# A run of the same tag repeated (<div><div><div>...) is one match, handled at once.
_TAG = re.compile(
    rf"<!--.*?(?:-->|\Z)|<(?:{_RAW_TEXT})\b.*?(?:</(?:{_RAW_TEXT})\s*>|\Z)|(<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>)\1*",
    re.S | re.I,
)
# Elements that hold no content, or that the next of their kind closes: they never nest deep.
_SHALLOW = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt", "rp",
}


def bound_depth(markup: str, limit: int = MAX_DEPTH) -> str:
    """``markup`` with the tags of elements nested deeper than ``limit`` removed
    (a space in their place, so words on either side stay apart). A page
    that nests no deeper is returned as it is. Linear in the length."""
    if markup.count("<") <= limit:
        return markup
    depth = deepest = last = 0
    pieces: list[str] = []
    for match in _TAG.finditer(markup):
        tag, close, name = match.groups()
        if name is None or name.lower() in _SHALLOW or (not close and tag.endswith("/>")):
            continue
        start, end = match.span()
        count = 1 if end - start == len(tag) else (end - start) // len(tag)
        if close:
            if depth <= limit:  # the usual case: nothing past the limit to close
                depth = depth - count if depth > count else 0
                continue
            dropped = min(depth - limit, count)  # the first ones close elements past the limit
            depth = depth - count if depth > count else 0
            replacement = " " + markup[start + dropped * len(tag) : end]
        else:
            depth += count
            if depth <= limit:
                continue
            deepest = max(deepest, depth)
            dropped = min(depth - limit, count)  # the last ones open elements past the limit
            replacement = markup[start : end - dropped * len(tag)] + " "
        pieces += (markup[last:start], replacement)
        last = end
    if deepest <= limit:
        return markup
    pieces.append(markup[last:])
    return "".join(pieces)


def _meta(tree: LexborHTMLParser, *selectors: str) -> str | None:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is None:
            continue
        value = node.attributes.get("content") or node.attributes.get("href") or node.attributes.get("datetime")
        if value is None and node.tag in ("title", "h1"):
            value = node.text()
        if value and value.strip():
            return _SPACE.sub(" ", value).strip()
    return None


def _is_clutter(node: LexborNode) -> bool:
    marks = " ".join(filter(None, (node.attributes.get("class"), node.attributes.get("id"), node.attributes.get("role"))))
    return bool(marks) and bool(_CLUTTER.search(marks)) and node.tag not in ("article", "main", "body")


_ANY_BLOCK = ", ".join(_BLOCKS)
# Blocks holding no other block (an outer one's text is carried by its inner ones),
# matched in one query: asking each block for its inner blocks costs a query a block.
_INNERMOST_BLOCKS = ", ".join(f"{tag}:not(:has({_ANY_BLOCK}))" for tag in _BLOCKS)


def _block_texts(root: LexborNode) -> list[str]:
    texts: list[str] = []
    for node in root.css(_INNERMOST_BLOCKS):
        text = node.text(deep=True, separator="")
        text = text.strip("\n") if node.tag == "pre" else _SPACE.sub(" ", text).strip()
        if text:
            texts.append(text)
    return texts


def extract_html(markup: str) -> tuple[str, dict[str, str | None]]:
    """The article text (paragraphs separated by a blank line) and its metadata:
    ``title``, ``outlet``, ``url``, ``published`` (each None when absent)."""
    tree = LexborHTMLParser(bound_depth(markup))
    meta = {
        "title": _meta(tree, 'meta[property="og:title"]', "title", "h1"),
        "outlet": _meta(tree, 'meta[property="og:site_name"]', 'meta[name="application-name"]'),
        "url": _meta(tree, 'link[rel="canonical"]', 'meta[property="og:url"]'),
        "published": _meta(tree, 'meta[property="article:published_time"]', 'meta[name="date"]', "time[datetime]"),
    }
    tree.strip_tags(_DROPPED_TAGS.split(", "))
    for node in tree.css("[class], [id], [role]"):
        if _is_clutter(node):
            node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    texts = _block_texts(root) if root is not None else []
    if not texts and root is not None:
        texts = [line for line in (_SPACE.sub(" ", t).strip() for t in root.text(separator="\n").split("\n")) if line]
    return "\n\n".join(texts), meta
