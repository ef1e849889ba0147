"""The text-preservation proof: what it removes, and that it catches loss."""

import pytest
from lxml import etree

from edition import preserve

TEI = "http://www.tei-c.org/ns/1.0"


def tei(body: str) -> etree._Element:
    return etree.fromstring(
        f'<TEI xmlns="{TEI}"><teiHeader><fileDesc/></teiHeader>'
        f"<text><body>{body}</body></text></TEI>"
    )


def test_editorial_layer_is_removed_and_source_kept():
    tree = tei(
        '<p>Gen. <choice><seg type="redaction">***</seg>'
        '<supplied reason="redacted" resp="#editors"><persName>Chi Haotian</persName></supplied>'
        '</choice><note type="redaction" resp="#editors">'
        'evidence</note> visited <supplied resp="#translator">[Stalin]</supplied>.</p>'
        '<note type="endnote" place="end" n="3">3. Source note Back</note>'
    )
    layer = preserve.squeeze(preserve.source_layer(tree))
    assert layer == "Gen.***visited[Stalin].3.SourcenoteBack"
    preserve.check("Gen. *** visited\n[Stalin].\n3. Source note Back", tree)


def test_lost_character_is_reported_with_its_line():
    tree = tei("<p>First line</p><p>Second lne</p>")
    with pytest.raises(preserve.TextLost) as info:
        preserve.check("First line\nSecond line\n", tree)
    assert info.value.line == 2
    assert "line 2" in str(info.value)


def test_added_text_is_caught():
    tree = tei("<p>abc <hi>extra</hi></p>")
    with pytest.raises(preserve.TextLost):
        preserve.check("abc", tree)
