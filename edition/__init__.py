"""A TEI-XML scholarly digital edition pipeline.

read -> encode -> enrich -> validate -> render: plain-text sources become TEI P5
files, validated against the edition's schema, ``tei_all`` and rule checks, and
rendered to HTML and plain-text reading editions.
"""

__version__ = "0.1.0"
