<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl: the HTML5 reading edition of one TEI file (or teiCorpus).
  Parameters: css (the page's stylesheet), register (the register page that
  names link to), persons, places, organisations (a register page per kind,
  default $register; for a kind with none, '', the page lists the file's own
  standOff entries of that kind and names link there), fragment ('yes': the
  reading text only, no page).  Output is XML-syntax HTML that edition/render.py
  serialises as HTML5 with its doctype.
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

  <xsl:output method="xml" encoding="UTF-8" omit-xml-declaration="yes" indent="no"/>

  <!-- "yes": only the reading text (article and footnotes), for a page
       template to wrap; otherwise a whole HTML page. -->
  <xsl:param name="fragment" select="''"/>

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="$fragment = 'yes'">
        <div class="reading">
          <xsl:apply-templates select="*[1]"/>
          <xsl:call-template name="footnotes"/>
          <xsl:call-template name="entities"/>
        </div>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="page"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="page">
    <xsl:variable name="root" select="*[1]"/>
    <xsl:variable name="lang" select="($root/@xml:lang | $root/tei:text/@xml:lang
        | $root//tei:langUsage/tei:language/@ident)[1]"/>
    <html>
      <xsl:attribute name="lang">
        <xsl:choose>
          <xsl:when test="$lang">
            <xsl:call-template name="token"><xsl:with-param name="s" select="$lang"/></xsl:call-template>
          </xsl:when>
          <xsl:otherwise>en</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:call-template name="main-title">
            <xsl:with-param name="header" select="$root/tei:teiHeader"/>
          </xsl:call-template>
        </title>
        <link rel="stylesheet" href="{$css}"/>
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to the text</a>
        <main id="main">
          <xsl:apply-templates select="$root"/>
          <xsl:call-template name="footnotes"/>
          <xsl:call-template name="entities"/>
        </main>
      </body>
    </html>
  </xsl:template>

</xsl:stylesheet>
