<?xml version="1.0" encoding="UTF-8"?>
<!--
  txt.xsl: the plain-text reading edition.  Emits a small block vocabulary
  (h/@level, p and line with optional @prefix, indent/@by, group, br) that
  edition/render.py wraps at 72 columns.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:import href="core.xsl"/>
  <xsl:import href="textstructure.xsl"/>
  <xsl:import href="namesdates.xsl"/>
  <xsl:import href="transcr.xsl"/>
  <xsl:import href="dictionaries.xsl"/>
  <xsl:import href="notes.xsl"/>
  <xsl:import href="header.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:template match="/">
    <doc>
      <xsl:apply-templates select="*[1]" mode="txt"/>
      <xsl:call-template name="footnotes-txt"/>
    </doc>
  </xsl:template>

</xsl:stylesheet>
