<?xml version="1.0" encoding="UTF-8"?>
<!--
  notes.xsl: notes (Guidelines 3.9).  A note inside running text becomes a
  numbered footnote (a superscript link to the notes section and back); a
  note standing as a block of a division (a source's own endnotes in
  div type="notes") is shown where it stands, with links back to its anchors.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <!-- render.py numbers the footnotes beforehand (@edition-footnote-number);
       xsl:number is the slow fallback for callers that run the stylesheet alone. -->
  <xsl:template name="footnote-number">
    <xsl:choose>
      <xsl:when test="@edition-footnote-number"><xsl:value-of select="@edition-footnote-number"/></xsl:when>
      <xsl:otherwise><xsl:number level="any" count="key('footnote', 'all')"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="footnote-id">
    <xsl:param name="n"/>
    <xsl:choose>
      <xsl:when test="@xml:id"><xsl:value-of select="@xml:id"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('note-', $n)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ================= HTML ================= -->

  <xsl:template match="key('footnote', 'all')">
    <xsl:variable name="nested"><xsl:call-template name="in-link"/></xsl:variable>
    <xsl:if test="$nested = ''">
      <xsl:apply-templates select="." mode="note-ref"/>
    </xsl:if>
  </xsl:template>

  <!-- The superscript reference of a footnote (inside a link: after it). -->
  <xsl:template match="tei:note" mode="note-ref">
    <xsl:variable name="n"><xsl:call-template name="footnote-number"/></xsl:variable>
    <xsl:variable name="id">
      <xsl:call-template name="footnote-id"><xsl:with-param name="n" select="$n"/></xsl:call-template>
    </xsl:variable>
    <sup class="note-ref">
      <a href="#{$id}" id="{$id}-ref" role="doc-noteref" aria-label="Note {$n}">
        <xsl:value-of select="$n"/>
      </a>
    </sup>
  </xsl:template>

  <!-- The notes section of the page (nothing if the text has no notes). -->
  <xsl:template name="footnotes">
    <xsl:variable name="notes" select="key('footnote', 'all')"/>
    <xsl:if test="$notes">
      <section class="footnotes" aria-labelledby="footnotes-heading" role="doc-endnotes">
        <h2 id="footnotes-heading">Editorial notes</h2>
        <ol>
          <xsl:for-each select="$notes">
            <xsl:variable name="id">
              <xsl:call-template name="footnote-id">
                <xsl:with-param name="n" select="position()"/>
              </xsl:call-template>
            </xsl:variable>
            <li value="{position()}">
              <xsl:call-template name="attrs">
                <xsl:with-param name="id" select="$id"/>
              </xsl:call-template>
              <xsl:apply-templates select="." mode="note-label"/>
              <xsl:apply-templates/>
              <xsl:text> </xsl:text>
              <a class="note-back" href="#{$id}-ref" aria-label="Back to the text" title="Back to the text">↩</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- What a note comments on, said before its text. -->
  <xsl:template match="tei:note" mode="note-label"/>
  <xsl:template match="tei:note[@type = 'redaction']" mode="note-label">
    <xsl:variable name="choice" select="preceding-sibling::*[1][self::tei:choice]"/>
    <span class="note-label">
      <xsl:text>Redaction</xsl:text>
      <xsl:if test="$choice/tei:supplied">
        <xsl:text>: </xsl:text>
        <xsl:call-template name="proposal-text">
          <xsl:with-param name="supplied" select="$choice/tei:supplied[1]"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:text>. </xsl:text>
    </span>
  </xsl:template>

  <!-- A note standing as a block: shown in place. -->
  <xsl:template match="tei:note">
    <div>
      <xsl:call-template name="attrs"/>
      <xsl:if test="@n and not(starts-with(normalize-space(.), @n))">
        <span class="note-n"><xsl:value-of select="@n"/></span><xsl:text> </xsl:text>
      </xsl:if>
      <xsl:apply-templates/>
      <xsl:variable name="anchor" select="key('ref-by-target', concat('#', @xml:id))"/>
      <xsl:if test="@xml:id and $anchor">
        <xsl:text> </xsl:text>
        <a class="note-back" href="#ref-{@xml:id}" aria-label="Back to the text" title="Back to the text">↩</a>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- ================= plain text ================= -->

  <xsl:template match="key('footnote', 'all')" mode="txt">
    <xsl:text>[</xsl:text><xsl:call-template name="footnote-number"/><xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template name="footnotes-txt">
    <xsl:variable name="notes" select="key('footnote', 'all')"/>
    <xsl:if test="$notes">
      <h level="2">Editorial notes</h>
      <xsl:for-each select="$notes">
        <p prefix="[{position()}] ">
          <xsl:apply-templates select="." mode="note-label-txt"/>
          <xsl:apply-templates mode="txt"/>
        </p>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:note" mode="note-label-txt">
    <xsl:variable name="label"><xsl:apply-templates select="." mode="note-label"/></xsl:variable>
    <xsl:value-of select="$label"/>
  </xsl:template>

  <xsl:template match="tei:note" mode="txt">
    <p>
      <xsl:if test="@n and not(starts-with(normalize-space(.), @n))">
        <xsl:attribute name="prefix"><xsl:value-of select="concat(@n, '. ')"/></xsl:attribute>
      </xsl:if>
      <xsl:apply-templates mode="txt"/>
    </p>
  </xsl:template>

</xsl:stylesheet>
