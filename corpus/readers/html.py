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


def _block_texts(root: LexborNode) -> list[str]:
    texts: list[str] = []
    selector = ", ".join(_BLOCKS)
    for node in root.css(selector):
        if len(node.css(selector)) > 1:  # the match includes the node itself
            continue  # its inner blocks carry the text
        text = node.text(deep=True, separator="")
        text = text.strip("\n") if node.tag == "pre" else _SPACE.sub(" ", text).strip()
        if text:
            texts.append(text)
    return texts


def extract_html(markup: str) -> tuple[str, dict[str, str | None]]:
    """The article text (paragraphs separated by a blank line) and its metadata:
    ``title``, ``outlet``, ``url``, ``published`` (each None when absent)."""
    tree = LexborHTMLParser(markup)
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
